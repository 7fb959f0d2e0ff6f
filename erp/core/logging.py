"""Personal data never reaches a log line, tracebacks included."""

import logging

from .pii import mask_pii


class MaskingFormatter(logging.Formatter):
    """Masks the whole formatted record: message, exception text and stack.

    Masking the finished string (rather than ``record.msg``) also covers tracebacks from
    ``logger.exception`` and ``django.request``, whose locals and messages may hold PII.
    ``inner`` lets Celery keep its own (coloured) formatter underneath.
    """

    def __init__(self, *args, inner: logging.Formatter | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.inner = inner

    def format(self, record: logging.LogRecord) -> str:
        text = self.inner.format(record) if self.inner is not None else super().format(record)
        return mask_pii(text)


def mask_handlers(logger: logging.Logger) -> None:
    """Wrap every handler's formatter of ``logger`` so its output is masked (idempotent)."""
    for handler in logger.handlers:
        if not isinstance(handler.formatter, MaskingFormatter):
            handler.setFormatter(MaskingFormatter(inner=handler.formatter or logging.Formatter()))
