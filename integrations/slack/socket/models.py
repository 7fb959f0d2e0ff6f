"""Socket Mode state shared by every `slack_socket` process through the database."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EnvelopeStatus(models.TextChoices):
    PROCESSING = "processing", _("Processing")
    DONE = "done", _("Done")


class SocketEnvelope(models.Model):
    """One Socket Mode envelope we took on; the unique envelope_id makes redeliveries harmless.

    Slack sends an envelope again when its acknowledgement did not arrive (a connection
    that dropped between handling and ack, a refresh in the middle), possibly to another
    process. The row is committed before the handler runs; a redelivery of a finished
    envelope is acknowledged again with the stored answer instead of being handled twice.
    """

    envelope_id = models.CharField(_("envelope id"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=32)
    status = models.CharField(
        _("status"), max_length=12, choices=EnvelopeStatus.choices, default=EnvelopeStatus.PROCESSING
    )
    # The ack payload (slash command reply, response_action), replayed on redelivery.
    response = models.JSONField(_("response payload"), null=True, blank=True)
    handled_by = models.CharField(_("handled by"), max_length=120, blank=True)
    duplicates = models.PositiveIntegerField(_("redeliveries"), default=0)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("Socket Mode envelope")
        verbose_name_plural = _("Socket Mode envelopes")

    def __str__(self):
        return f"{self.envelope_id} ({self.kind})"


class ConnectionState(models.TextChoices):
    CONNECTING = "connecting", _("Connecting")
    CONNECTED = "connected", _("Connected")
    RECONNECTING = "reconnecting", _("Reconnecting")
    STOPPED = "stopped", _("Stopped")


class SocketConnection(models.Model):
    """One running `slack_socket` process, as the system status page shows it."""

    name = models.CharField(_("process"), max_length=120, unique=True)
    state = models.CharField(_("state"), max_length=16, choices=ConnectionState.choices)
    num_connections = models.PositiveSmallIntegerField(_("connections Slack counts"), null=True, blank=True)
    reconnects = models.PositiveIntegerField(_("reconnects"), default=0)
    envelopes = models.PositiveIntegerField(_("envelopes handled"), default=0)
    last_disconnect_reason = models.CharField(_("last disconnect reason"), max_length=64, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    started_at = models.DateTimeField(_("started at"))
    connected_at = models.DateTimeField(_("connected at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("heartbeat"), db_index=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Socket Mode connection")
        verbose_name_plural = _("Socket Mode connections")

    def __str__(self):
        return f"{self.name}: {self.state}"
