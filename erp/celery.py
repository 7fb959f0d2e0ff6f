"""The Celery application: worker and beat share Django's settings (CELERY_* keys)."""

import os

from celery import Celery
from celery.signals import after_setup_logger, task_postrun, task_prerun, worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "erp.settings.base")

app = Celery("erp")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Celery's Django fix-up closes every database connection before and after each task unless
# CELERY_DB_REUSE_MAX is set: a fresh PostgreSQL backend (fork and authentication) per Slack
# delivery, a few milliseconds of CPU on both ends for a task that itself costs a few. The
# worker keeps its connections instead, and treats them as Django treats a web request's:
# close_old_connections before and after each task applies CONN_MAX_AGE and
# CONN_HEALTH_CHECKS, so an old or broken connection is still replaced. (Not an app setting:
# the fix-up reads this one key under its old name.)
app.conf["CELERY_DB_REUSE_MAX"] = 2**31


@task_prerun.connect
@task_postrun.connect
def _recycle_old_connections(sender=None, **kwargs):
    # An eager task runs inside its caller's request or test transaction: leave it alone.
    if sender is None or getattr(sender.request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()


@worker_process_init.connect
def _freeze_startup_heap(**kwargs):
    """A pool process starts with Django and every task module loaded: those objects live as
    long as the process, so the collector's full passes skip them (see erp/wsgi.py)."""
    import gc

    gc.collect()
    gc.freeze()


@after_setup_logger.connect
def _mask_pii_in_worker_logs(logger, **kwargs):
    from erp.core.logging import mask_handlers

    mask_handlers(logger)
