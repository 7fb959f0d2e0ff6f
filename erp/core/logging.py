import logging

from .pii import mask_pii


class MaskPIIFilter(logging.Filter):
    """Masks personal data in every log record before any handler formats it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the record
            return True
        masked = mask_pii(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
