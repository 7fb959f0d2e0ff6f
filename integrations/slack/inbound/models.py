"""Inbound Slack state: event receipts (dedupe) and satisfaction ratings.

SatisfactionRating lives here only because tickets/ has no satisfaction field or service
yet (reported to the tickets owner); it is ticket data and should move there.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
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


class SatisfactionRating(models.Model):
    """A requester's 1–5 satisfaction score for a resolved ticket (one per ticket and person)."""

    ticket = models.ForeignKey(
        "tickets.Ticket", verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="satisfaction_ratings"
    )
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("rated by"), on_delete=models.CASCADE, related_name="+"
    )
    score = models.PositiveSmallIntegerField(_("score"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("satisfaction rating")
        verbose_name_plural = _("satisfaction ratings")
        constraints = [
            models.UniqueConstraint(fields=["ticket", "rated_by"], name="slack_rating_one_per_person"),
            models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=5), name="slack_rating_score_1_5"),
        ]

    def __str__(self):
        return f"{self.ticket_id}: {self.score}"
