"""What arrives from outside: sources (feeds, mailboxes, webhook endpoints), the items they
deliver, kept as received, and the groups repeated items fold into.

A group is the unit people act on (acknowledge, snooze, open a ticket, resolve) and the unit
Slack shows: one message per group, updated in place as items arrive.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceKind(models.TextChoices):
    WEBHOOK = "webhook", _("Webhook endpoint")
    FEED = "feed", _("Release feed")
    MAILBOX = "mailbox", _("Mailbox address")


class Shape(models.TextChoices):
    """The body a webhook endpoint expects (erp/alerts parsers)."""

    ALERTMANAGER = "alertmanager", _("Prometheus Alertmanager (v4)")
    GOOGLE_CLOUD = "google_cloud", _("Google Cloud Monitoring (1.2)")
    GRAFANA = "grafana", _("Grafana alerting")
    GENERIC = "generic", _("Generic JSON")


class WebhookAuth(models.TextChoices):
    URL_TOKEN = "url_token", _("Token in the URL")
    BASIC = "basic", _("Basic authentication")
    BEARER = "bearer", _("Bearer token")
    HMAC = "hmac", _("HMAC-SHA256 signature")


class FeedPreset(models.TextChoices):
    NONE = "", _("No preset")
    NGINX = "nginx", _("nginx.org news")
    NODEJS = "nodejs", _("Node.js blog")


class MailSecurity(models.TextChoices):
    """How the IMAP connection is protected (port 993 SSL, or 143 upgraded by STARTTLS)."""

    SSL = "ssl", _("SSL/TLS")
    STARTTLS = "starttls", _("STARTTLS")
    NONE = "none", _("None (loopback or test servers only)")


class Delivery(models.TextChoices):
    INSTANT = "instant", _("Post each release")
    DIGEST = "digest", _("Daily digest")
    NONE = "none", _("Store only")


class Severity(models.TextChoices):
    CRITICAL = "critical", _("Critical")
    ERROR = "error", _("Error")
    WARNING = "warning", _("Warning")
    INFO = "info", _("Info")


SEVERITY_RANK = {Severity.CRITICAL: 0, Severity.ERROR: 1, Severity.WARNING: 2, Severity.INFO: 3}


class GroupState(models.TextChoices):
    FIRING = "firing", _("Firing")
    RESOLVED = "resolved", _("Resolved")


class ItemKind(models.TextChoices):
    ALERT = "alert", _("Alert")
    EMAIL = "email", _("E-mail")
    RELEASE = "release", _("Release")
    UNPARSED = "unparsed", _("Unparsed")


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Source(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=SourceKind.choices)
    owner_team = models.ForeignKey(
        "people.Department",
        verbose_name=_("owner team"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="alert_sources",
    )
    slack_channel = models.CharField(
        _("Slack channel"),
        max_length=80,
        blank=True,
        help_text=_("Channel id or #name; empty: the owner team's channel, else the default channel."),
    )
    critical_channel = models.CharField(
        _("Slack channel for critical alerts"),
        max_length=80,
        blank=True,
        help_text=_("Critical groups go here as well; empty: only the channel above."),
    )
    page_on_call_after_hours = models.BooleanField(
        _("page the on-call person after hours"),
        default=True,
        help_text=_("Outside business hours a critical or error group is sent to the owner team's on-call person."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    # Webhook endpoints
    shape = models.CharField(_("body shape"), max_length=20, choices=Shape.choices, blank=True)
    auth = models.CharField(_("authentication"), max_length=10, choices=WebhookAuth.choices, blank=True)
    token = models.CharField(
        _("URL token"), max_length=64, unique=True, default=new_token, help_text=_("Part of the webhook URL.")
    )
    username = models.CharField(_("user name (Basic or IMAP)"), max_length=100, blank=True)
    secret = models.CharField(
        _("secret"),
        max_length=200,
        blank=True,
        help_text=_("Basic password, bearer token, HMAC secret or IMAP password."),
    )
    hmac_header = models.CharField(
        _("signature header"), max_length=100, blank=True, default="X-Grafana-Alerting-Signature"
    )
    hmac_timestamp_header = models.CharField(_("signature timestamp header"), max_length=100, blank=True)

    # Mailboxes
    address = models.EmailField(_("address"), blank=True)
    allowed_senders = models.TextField(
        _("allowed senders"),
        blank=True,
        help_text=_("One address or @domain per line; empty: anyone."),
    )
    helpdesk = models.BooleanField(
        _("helpdesk address"),
        default=False,
        help_text=_(
            "Mail to this address opens tickets instead of alerts. Senders without a Haru account are kept as "
            "unparsed items for an agent to look at."
        ),
    )

    # IMAP polling of a mailbox (empty host: the mail arrives at the SMTP receiver instead).
    # The login is ``username`` / ``secret``; polling health uses the fetch columns below.
    imap_host = models.CharField(_("IMAP server"), max_length=200, blank=True)
    imap_port = models.PositiveIntegerField(
        _("IMAP port"), null=True, blank=True, help_text=_("Empty: 993 with SSL/TLS, else 143.")
    )
    imap_security = models.CharField(
        _("IMAP connection security"), max_length=10, choices=MailSecurity.choices, default=MailSecurity.SSL
    )
    imap_folder = models.CharField(_("IMAP folder"), max_length=200, default="INBOX")
    # Where the last poll stopped: the folder's UIDVALIDITY and the highest UID read. A new
    # UIDVALIDITY means the server renumbered the folder: everything is read again, and the
    # Message-ID de-duplication keeps what was stored already from being stored twice.
    imap_uidvalidity = models.BigIntegerField(null=True, blank=True, editable=False)
    imap_last_uid = models.BigIntegerField(default=0, editable=False)

    # Release feeds
    url = models.URLField(_("feed URL"), max_length=500, blank=True)
    preset = models.CharField(_("preset"), max_length=10, choices=FeedPreset.choices, blank=True, default="")
    keywords = models.CharField(_("keywords"), max_length=300, blank=True, help_text=_("Comma-separated; any matches."))
    pattern = models.CharField(_("regular expression"), max_length=300, blank=True)
    security_only = models.BooleanField(_("security releases only"), default=False)
    lts_only = models.BooleanField(_("LTS only"), default=False)
    major_only = models.BooleanField(_("major versions only"), default=False)
    delivery = models.CharField(_("Slack delivery"), max_length=10, choices=Delivery.choices, default=Delivery.INSTANT)
    poll_minutes = models.PositiveIntegerField(_("poll every (minutes)"), default=30)
    etag = models.CharField(max_length=300, blank=True, editable=False)
    modified = models.CharField(max_length=100, blank=True, editable=False)
    last_fetched_at = models.DateTimeField(_("last fetch"), null=True, blank=True, editable=False)
    last_status = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True, editable=False)
    failures = models.PositiveIntegerField(_("failures in a row"), default=0, editable=False)
    next_fetch_at = models.DateTimeField(_("next fetch"), null=True, blank=True, editable=False)
    disabled_reason = models.CharField(_("disabled because"), max_length=200, blank=True, editable=False)

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("alert source")
        verbose_name_plural = _("alert sources")
        ordering = ["name"]
        permissions = [("manage_sources", _("Can manage alert sources and their secrets"))]
        indexes = [models.Index(fields=["kind", "is_active", "next_fetch_at"])]

    def __str__(self):
        return self.name


class AlertGroup(models.Model):
    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.CASCADE, related_name="groups")
    key = models.CharField(_("grouping key"), max_length=255)
    title = models.CharField(_("title"), max_length=300)
    state = models.CharField(_("state"), max_length=10, choices=GroupState.choices, default=GroupState.FIRING)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.WARNING)
    first_seen = models.DateTimeField(_("first seen"))
    last_seen = models.DateTimeField(_("last seen"))
    count = models.PositiveIntegerField(_("count"), default=0)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    ticket = models.ForeignKey(
        "tickets.Ticket", verbose_name=_("ticket"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    snoozed_until = models.DateTimeField(_("snoozed until"), null=True, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    # Repeats counted during a mail storm but not yet shown in Slack: the storm job shows them
    # in one update (alerts.services.storm).
    held_repeats = models.PositiveIntegerField(_("repeats held back"), default=0, editable=False)

    class Meta:
        verbose_name = _("alert group")
        verbose_name_plural = _("alert groups")
        constraints = [models.UniqueConstraint(fields=["source", "key"], name="alerts_group_source_key")]
        indexes = [
            models.Index(fields=["state", "-last_seen", "-id"]),
            models.Index(fields=["source", "-last_seen"]),
            # Newest first over every state: the history search's order (erp.history.engine), so a
            # frequent word's first page is a short walk, not a sort of every match.
            models.Index(fields=["-last_seen", "-id"], name="alerts_group_last_seen"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_firing(self) -> bool:
        return self.state == GroupState.FIRING


class Item(models.Model):
    """One thing as it arrived: a release entry, an e-mail, one alert of a webhook delivery."""

    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.CASCADE, related_name="items")
    group = models.ForeignKey(
        AlertGroup, verbose_name=_("group"), on_delete=models.SET_NULL, null=True, blank=True, related_name="items"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices)
    # The sender's identity of the item (feed guid, Message-ID, alert fingerprint + status +
    # start): a repeated delivery finds it and is stored once.
    external_id = models.CharField(_("external id"), max_length=255)
    title = models.CharField(_("title"), max_length=500, blank=True)
    body = models.TextField(_("text"), blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, blank=True)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, blank=True)
    occurred_at = models.DateTimeField(_("occurred at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), db_index=True)
    raw = models.TextField(_("as received"), blank=True)
    facts = models.JSONField(_("facts"), default=dict, blank=True)
    error = models.CharField(_("parse error"), max_length=300, blank=True)
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("alert item")
        verbose_name_plural = _("alert items")
        constraints = [models.UniqueConstraint(fields=["source", "external_id"], name="alerts_item_source_external")]
        indexes = [models.Index(fields=["source", "-received_at"]), models.Index(fields=["group", "-received_at"])]

    def __str__(self):
        return self.title or self.external_id


class IntakeWindow(models.Model):
    """How many mails one sender (``sender`` set) or a whole mailbox (``sender`` empty) sent
    in the minute starting at ``window_start``: the mail-storm limits read it."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="+")
    sender = models.CharField(max_length=254, blank=True)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "sender", "window_start"], name="alerts_intake_window")
        ]

    def __str__(self):
        return f"{self.sender or '*'} {self.window_start:%H:%M} × {self.count}"


class Direction(models.TextChoices):
    INBOUND = "in", _("Received")
    OUTBOUND = "out", _("Sent")


class SendState(models.TextChoices):
    """Delivery of an outgoing ticket mail (received mails are always "sent")."""

    PENDING = "pending", _("Waiting to be sent")
    RETRYING = "retrying", _("Sending failed, will retry")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Sending failed")


class TicketMail(models.Model):
    """A mail of a helpdesk conversation: its Message-ID finds the ticket a reply belongs to.

    An outgoing one (an agent's reply) also keeps what is sent and how sending went: a mail
    server that is down is retried with back-off (alerts.services.reply_mail).
    """

    ticket = models.ForeignKey("tickets.Ticket", verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="+")
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    address = models.EmailField(_("address"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    comment = models.ForeignKey(
        "tickets.Comment", verbose_name=_("comment"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body = models.TextField(_("text"), blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    send_state = models.CharField(_("sending"), max_length=10, choices=SendState.choices, default=SendState.SENT)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("ticket mail")
        verbose_name_plural = _("ticket mails")
        indexes = [
            models.Index(fields=["ticket", "-created_at"]),
            models.Index(fields=["send_state", "next_attempt_at"]),
        ]

    def __str__(self):
        return self.message_id
