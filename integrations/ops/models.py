from django.db import models
from django.utils.translation import gettext_lazy as _


class ProcessRole(models.TextChoices):
    WORKER = "worker", _("Worker")
    BEAT = "beat", _("Beat")


class Heartbeat(models.Model):
    """A Celery worker or beat saying "still here" every HEARTBEAT_SECONDS (system status page)."""

    name = models.CharField(_("process"), max_length=160, unique=True)
    role = models.CharField(_("role"), max_length=12, choices=ProcessRole.choices)
    queues = models.CharField(_("queues"), max_length=200, blank=True)
    started_at = models.DateTimeField(_("started at"))
    seen_at = models.DateTimeField(_("last seen"), db_index=True)

    class Meta:
        ordering = ["role", "name"]
        verbose_name = _("process heartbeat")
        verbose_name_plural = _("process heartbeats")

    def __str__(self):
        return self.name
