"""JSON log lines for log shippers (LOG_FORMAT=json), masked like the plain ones."""

from pythonjsonlogger.json import JsonFormatter

from erp.core.pii import mask_pii


class MaskingJsonFormatter(JsonFormatter):
    """One JSON object per line; the whole line is masked (messages and tracebacks alike)."""

    def format(self, record):
        return mask_pii(super().format(record))
