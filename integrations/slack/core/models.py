"""Outbound Slack delivery: the outbox, message references and routing rules.

The outbox row is the unit of delivery (DESIGN.md conventions 4–5): written in the same
transaction as the domain change, delivered by one idempotent Celery task keyed by its id.
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from integrations.slack.core.privacy.classes import PrivacyClass, TargetClass

PRIVACY_CLASSES = PrivacyClass.choices
PRIVACY_TARGETS = TargetClass.choices


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    NOT_CONFIGURED = "not_configured", _("Slack not configured")
    SKIPPED = "skipped", _("Skipped")


class Operation(models.TextChoices):
    """The core's operations; modules add their own (SlackModule.operations), so the column is
    an open string checked against the delivery registry, not a choices list needing a migration."""

    POST = "post", _("Post a message")
    UPDATE = "update", _("Update the original message")
    REPLY = "reply", _("Reply in the original message's thread")


# Labels of the operations modules add (delivery.register_operation fills it).
OPERATION_LABELS: dict[str, str] = {}


class SlackMessage(models.Model):
    """One delivery to Slack, rendered when the domain change happened.

    ``message_key`` names the logical message of a record (e.g. ``tickets.ticket:42``);
    together with ``target`` it finds the MessageRef of the original post, so later
    changes update that message and reply in its thread instead of posting anew.
    """

    kind = models.CharField(_("kind"), max_length=64, db_index=True, help_text=_("e.g. tickets.created"))
    operation = models.CharField(_("operation"), max_length=20, default=Operation.POST)
    target = models.CharField(
        _("target"), max_length=80, help_text=_("Channel id (C…/G…), user id (U…) for a direct message, or #name.")
    )
    text = models.TextField(_("fallback text"))
    blocks = models.JSONField(_("blocks"), default=list, blank=True)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("record type"), null=True, blank=True, on_delete=models.SET_NULL
    )
    object_id = models.CharField(_("record id"), max_length=64, blank=True)
    record = GenericForeignKey("content_type", "object_id")
    message_key = models.CharField(_("message key"), max_length=120, blank=True, db_index=True)
    # Set for "once per record and target" notifications (SLA warnings): a unique key makes
    # a second enqueue of the same alert a no-op even if the domain sends it twice.
    dedupe_key = models.CharField(_("deduplication key"), max_length=200, unique=True, null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    sending_started_at = models.DateTimeField(_("sending started at"), null=True, blank=True)
    # Last time a delivery task for this row reached the broker: the sweeper re-publishes a
    # row only when this is old, so a backlog in the queue is not flooded with duplicates.
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    error_code = models.CharField(_("error code"), max_length=80, blank=True)
    # A timed-out call may still have reached Slack: a retry after it can duplicate a post.
    ambiguous_attempts = models.PositiveSmallIntegerField(_("ambiguous attempts"), default=0)
    channel_id = models.CharField(_("channel id"), max_length=32, blank=True)
    ts = models.CharField(_("message ts"), max_length=32, blank=True)
    thread_ts = models.CharField(_("thread ts"), max_length=32, blank=True)
    # Progress of multi-step operations (incident channel: created, invited, pinned ...).
    state = models.JSONField(_("progress"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Slack message")
        verbose_name_plural = _("Slack outbox")
        # Seeing the outbox is view_slackmessage; reading other people's DMs needs more.
        permissions = [("view_direct_messages", _("Can read other people's direct messages in the Slack outbox"))]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="slackmsg_status_due"),
            models.Index(fields=["message_key", "target"], name="slackmsg_key_target"),
            models.Index(fields=["content_type", "object_id"], name="slackmsg_record"),
        ]

    def __str__(self):
        return f"{self.kind} → {self.target} ({self.get_status_display()})"

    def get_operation_display(self) -> str:
        """The operation's label: the core's choices, or what its module registered."""
        if self.operation in Operation.values:
            return Operation(self.operation).label
        return str(OPERATION_LABELS.get(self.operation, self.operation))

    @property
    def is_direct_message(self) -> bool:
        return self.target[:1] in ("U", "W")


class MessageRef(models.Model):
    """Where the original message of a record landed in one target: for chat.update and threads."""

    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    object_id = models.CharField(max_length=64, blank=True)
    message_key = models.CharField(_("message key"), max_length=120)
    target = models.CharField(_("target"), max_length=80)
    channel_id = models.CharField(_("channel id"), max_length=32)
    ts = models.CharField(_("message ts"), max_length=32)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("Slack message reference")
        verbose_name_plural = _("Slack message references")
        constraints = [models.UniqueConstraint(fields=["message_key", "target"], name="slackref_unique_key_target")]
        indexes = [models.Index(fields=["content_type", "object_id"], name="slackref_record")]

    def __str__(self):
        return f"{self.message_key} @ {self.channel_id}/{self.ts}"


class TimeWindow(models.TextChoices):
    ANY = "any", _("Any time")
    BUSINESS_HOURS = "business_hours", _("Business hours")
    AFTER_HOURS = "after_hours", _("After hours (nights, weekends and holidays)")
    HOLIDAY = "holiday", _("Holidays and company days off")


class RoutingRule(models.Model):
    """Where a ticket event is posted. Rules are tried in position order; the first match
    wins unless it says "continue", in which case later matches add their channels too.
    An empty criterion matches anything.
    """

    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveIntegerField(_("position"), default=100, help_text=_("Lower runs first."))
    is_active = models.BooleanField(_("active"), default=True)
    event_kinds = models.JSONField(_("events"), default=list, blank=True)
    ticket_types = models.JSONField(_("ticket types"), default=list, blank=True)
    priorities = models.JSONField(_("priorities"), default=list, blank=True)
    groups = models.ManyToManyField("people.Department", verbose_name=_("agent groups"), blank=True, related_name="+")
    time_window = models.CharField(_("time window"), max_length=20, choices=TimeWindow.choices, default=TimeWindow.ANY)
    channels = models.CharField(
        _("channels"), max_length=500, blank=True, help_text=_("Channel ids separated by commas, e.g. C0123ABCD.")
    )
    to_group_channel = models.BooleanField(
        _("also the group's channel"), default=False, help_text=_("Post to the agent group's own Slack channel too.")
    )
    mentions = models.CharField(
        _("mentions"),
        max_length=500,
        blank=True,
        help_text=_("User group ids (S…) and user ids (U…) to mention, separated by commas."),
    )
    continue_matching = models.BooleanField(
        _("continue with later rules"), default=False, help_text=_("Otherwise the first matching rule wins.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("Slack routing rule")
        verbose_name_plural = _("Slack routing rules")

    def __str__(self):
        return self.name

    @property
    def channel_list(self) -> list[str]:
        return [c.strip() for c in self.channels.split(",") if c.strip()]

    @property
    def mention_list(self) -> list[str]:
        return [m.strip() for m in self.mentions.split(",") if m.strip()]


class TargetPolicy(models.Model):
    """One row of the Slack privacy policy: the most private field a kind of target may see.

    Missing rows fall back to ``privacy.classes.DEFAULT_POLICY`` (the migration writes them).
    """

    target_class = models.CharField(_("target"), max_length=20, unique=True, choices=PRIVACY_TARGETS)
    highest_allowed = models.CharField(_("highest privacy class shown"), max_length=20, choices=PRIVACY_CLASSES)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("Slack privacy policy")
        verbose_name_plural = _("Slack privacy policy")

    def __str__(self):
        return f"{self.get_target_class_display()} → {self.get_highest_allowed_display()}"
