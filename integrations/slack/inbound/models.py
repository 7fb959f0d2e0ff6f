"""Inbound Slack state: event receipts (dedupe).

Satisfaction ratings used to live here as a stop-gap; they are ticket data and moved to
tickets.models.SatisfactionRating (migration 0002 copies the rows, 0003 drops the table).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventStatus(models.TextChoices):
    PROCESSING = "processing", _("Processing")
    DONE = "done", _("Done")
    IGNORED = "ignored", _("Ignored")


class SlackEventReceipt(models.Model):
    """One Events API delivery we accepted; the unique event_id drops Slack's retries.

    The row is inserted (and committed) BEFORE the event is handled, so a retry that
    arrives while the first delivery is still running hits the unique constraint and is
    acknowledged without being handled twice. A delivery whose handling failed deletes
    its row again, so Slack's next retry gets another chance.
    """

    event_id = models.CharField(_("event id"), max_length=64, unique=True)
    event_type = models.CharField(_("event type"), max_length=64, blank=True)
    team_id = models.CharField(_("team id"), max_length=32, blank=True)
    retry_num = models.PositiveSmallIntegerField(_("retry number"), default=0)
    status = models.CharField(_("status"), max_length=12, choices=EventStatus.choices, default=EventStatus.PROCESSING)
    duplicates = models.PositiveIntegerField(_("duplicate deliveries"), default=0)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("Slack event receipt")
        verbose_name_plural = _("Slack event receipts")

    def __str__(self):
        return f"{self.event_id} ({self.event_type})"


class SlackRequestNonce(models.Model):
    """A signed Slack request (or modal submission) already acted on: replays are dropped.

    ``sig:<sha256 of the signature>`` for commands and interactivity, ``view:<view id>`` for
    a modal submission that went through (a user retrying after Slack's 3 s timeout).
    Rows older than the 5-minute signature window are useless and purged with the receipts.
    """

    key = models.CharField(_("key"), max_length=80, unique=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("Slack request seen")
        verbose_name_plural = _("Slack requests seen")

    def __str__(self):
        return self.key
