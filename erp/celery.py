"""The Celery application: worker and beat share Django's settings (CELERY_* keys)."""

import os

from celery import Celery
from celery.signals import after_setup_logger

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "erp.settings.base")

app = Celery("erp")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@after_setup_logger.connect
def _mask_pii_in_worker_logs(logger, **kwargs):
    from erp.core.logging import mask_handlers

    mask_handlers(logger)
