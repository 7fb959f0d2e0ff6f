"""gunicorn reads this file from the working directory: its error and access logs are masked.

Access lines carry query strings (``/tickets/?q=900101-1234567``), so they go through the
same MaskingFormatter as every other log line (security review L3).
"""

accesslog = "-"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "masked": {
            "()": "erp.core.logging.MaskingFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s: %(message)s",
        },
        "access": {"()": "erp.core.logging.MaskingFormatter", "format": "%(message)s"},
    },
    "handlers": {
        # gunicorn's own handler names (its defaults are merged with this dict).
        "console": {"class": "logging.StreamHandler", "formatter": "access", "stream": "ext://sys.stdout"},
        "error_console": {"class": "logging.StreamHandler", "formatter": "masked", "stream": "ext://sys.stderr"},
    },
    "root": {"level": "INFO", "handlers": ["error_console"]},
    "loggers": {
        "gunicorn.error": {
            "handlers": ["error_console"],
            "level": "INFO",
            "propagate": False,
            "qualname": "gunicorn.error",
        },
        "gunicorn.access": {
            "handlers": ["console"],
            "level": "INFO",
            "propagate": False,
            "qualname": "gunicorn.access",
        },
    },
}
