"""Customer inquiries: what a website visitor (or a colleague on their behalf) asked, and its handling.

An inquiry is never deleted by the product: spam is quarantined (status ``spam``, kept,
searchable, releasable) and a repeat of a recent inquiry is linked to it (``duplicate_of``).
IP address and user agent are kept for abuse handling only: only the sales team sees them,
and they are never sent to Slack.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

NUMBER_PREFIX = "INQ-"


class InquirySource(models.TextChoices):
    WEBSITE = "website", _("Website form")
    WIDGET = "widget", _("Embedded widget")
    API = "api", _("API")
    EMAIL = "email", _("E-mail")
    MANUAL = "manual", _("Entered by staff")


class Category(models.TextChoices):
    ADOPTION = "adoption", _("Adoption inquiry")
    QUOTE = "quote", _("Quote request")
    PARTNERSHIP = "partnership", _("Partnership proposal")
    DEMO = "demo", _("Chatbot demo request")
    SUPPORT = "support", _("Technical support")
    OTHER = "other", pgettext_lazy("inquiry category", "Other")


class Status(models.TextChoices):
    NEW = "new", pgettext_lazy("inquiry status", "New")
    IN_PROGRESS = "in_progress", pgettext_lazy("inquiry status", "In progress")
    ANSWERED = "answered", pgettext_lazy("inquiry status", "Answered")
    CLOSED = "closed", pgettext_lazy("inquiry status", "Closed")
    SPAM = "spam", pgettext_lazy("inquiry status", "Spam")
    DUPLICATE = "duplicate", pgettext_lazy("inquiry status", "Duplicate")


# Waiting for the sales team: what the daily nudge and the "open" filter count.
OPEN_STATUSES = (Status.NEW, Status.IN_PROGRESS)


class Site(models.Model):
    """A website (or landing page) that sends inquiries: its key, origins and form language."""

    key = models.SlugField(
        _("site key"), max_length=40, unique=True, help_text=_("Part of the form's address, e.g. haru-main.")
    )
    name = models.CharField(_("name"), max_length=100)
    allowed_origins = models.TextField(
        _("allowed origins"),
        blank=True,
        help_text=_("One origin per line, e.g. https://www.example.co.kr (browsers may post from these)."),
    )
    api_key_digest = models.CharField(_("API key (SHA-256)"), max_length=64, blank=True, editable=False)
    require_api_key = models.BooleanField(
        _("require the API key"), default=False, help_text=_("Refuse posts without this site's API key.")
    )
    language = models.CharField(_("form language"), max_length=8, choices=settings.LANGUAGES, default="ko")
    default_category = models.CharField(
        _("default category"), max_length=20, choices=Category.choices, default=Category.ADOPTION
    )
    thank_you_url = models.URLField(_("thank-you page"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("inquiry site")
        verbose_name_plural = _("inquiry sites")

    def __str__(self):
        return self.name

    def origin_list(self) -> list[str]:
        return [line.strip().rstrip("/") for line in self.allowed_origins.splitlines() if line.strip()]


class Inquiry(models.Model):
    site = models.ForeignKey(
        Site, verbose_name=_("site"), null=True, blank=True, on_delete=models.SET_NULL, related_name="inquiries"
    )
    source = models.CharField(_("source"), max_length=10, choices=InquirySource.choices)
    received_at = models.DateTimeField(_("received at"), db_index=True)
    customer_name = models.CharField(_("customer name"), max_length=100)
    company = models.CharField(_("company"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), max_length=254, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    # Lower-cased e-mail and digits-only phone: what duplicate detection compares.
    email_key = models.CharField(max_length=254, blank=True, editable=False)
    phone_key = models.CharField(max_length=20, blank=True, editable=False)
    subject = models.CharField(_("subject"), max_length=200)
    message = models.TextField(_("message"))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, default=Category.OTHER)
    product = models.CharField(_("product"), max_length=100, blank=True)
    consent_contact = models.BooleanField(_("consents to be contacted"), default=False)
    language = models.CharField(_("language"), max_length=8, default="ko")
    # Where the visitor came from (marketing reads these in aggregate).
    utm_source = models.CharField("utm_source", max_length=100, blank=True)
    utm_medium = models.CharField("utm_medium", max_length=100, blank=True)
    utm_campaign = models.CharField("utm_campaign", max_length=100, blank=True)
    utm_term = models.CharField("utm_term", max_length=100, blank=True)
    utm_content = models.CharField("utm_content", max_length=100, blank=True)
    referrer = models.URLField(_("referrer"), max_length=500, blank=True)
    landing_page = models.URLField(_("landing page"), max_length=500, blank=True)
    # For abuse handling only (rate limits, spam review); never shown outside the sales team.
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    submission_id = models.CharField(_("submission id"), max_length=200, blank=True)

    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NEW, db_index=True)
    spam_reasons = models.JSONField(_("spam reasons"), default=list, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_inquiries",
    )
    tags = models.CharField(_("tags"), max_length=300, blank=True, help_text=_("Comma-separated."))
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("earlier inquiry from the same customer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="repeats",
    )
    shared_with_marketing = models.BooleanField(_("shared with marketing"), default=False)
    shared_at = models.DateTimeField(_("shared at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        indexes = [
            models.Index(fields=["email_key", "received_at"], name="inquiry_email_recent"),
            models.Index(fields=["phone_key", "received_at"], name="inquiry_phone_recent"),
            models.Index(fields=["status", "received_at"], name="inquiry_status_recent"),
            models.Index(fields=["shared_with_marketing", "received_at"], name="inquiry_shared_recent"),
        ]
        permissions = [
            ("handle_inquiry", "Can handle customer inquiries (sales)"),
            ("view_shared_inquiry", "Can see inquiries shared with marketing"),
        ]

    def __str__(self):
        return f"{self.number} {self.subject}"

    def get_absolute_url(self):
        return reverse("inquiries:detail", args=[self.pk])

    @property
    def number(self) -> str:
        # Derived from the primary key: no counter row to lock on the intake path.
        return f"{NUMBER_PREFIX}{self.pk}" if self.pk else NUMBER_PREFIX + "?"

    @property
    def tag_list(self) -> list[str]:
        return [tag for tag in self.tags.split(",") if tag]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Note(models.Model):
    """An internal note: never leaves the portal (no Slack, no e-mail)."""

    inquiry = models.ForeignKey(Inquiry, verbose_name=_("inquiry"), on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("note"))
    # Set when the note is a customer's e-mail reply (no author): the reply is stored once.
    message_id = models.CharField(_("Message-ID"), max_length=250, blank=True, db_index=True)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("inquiry note")
        verbose_name_plural = _("inquiry notes")

    def __str__(self):
        return f"{self.inquiry.number} #{self.pk}"


class AnswerTemplate(models.Model):
    """A reply the sales team starts from; ``{{ name }}``, ``{{ company }}``, ``{{ number }}``,
    ``{{ subject }}`` and ``{{ agent }}`` are filled in."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("answer template")
        verbose_name_plural = _("answer templates")

    def __str__(self):
        return self.name


class AnswerStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Answer(models.Model):
    """An e-mail answer sent from the portal (kept whether or not the mail server took it)."""

    inquiry = models.ForeignKey(Inquiry, verbose_name=_("inquiry"), on_delete=models.CASCADE, related_name="answers")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sent by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    template = models.ForeignKey(
        AnswerTemplate, verbose_name=_("template"), null=True, blank=True, on_delete=models.SET_NULL
    )
    to_email = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    status = models.CharField(_("status"), max_length=10, choices=AnswerStatus.choices)
    error = models.CharField(_("error"), max_length=500, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=250, blank=True)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["sent_at", "id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self):
        return f"{self.inquiry.number} → {self.to_email}"


class TicketLink(models.Model):
    """A ticket opened from an inquiry (both pages link to each other through this row)."""

    inquiry = models.ForeignKey(
        Inquiry, verbose_name=_("inquiry"), on_delete=models.CASCADE, related_name="ticket_links"
    )
    ticket = models.ForeignKey(
        "tickets.Ticket", verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="inquiry_links"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("ticket link")
        verbose_name_plural = _("ticket links")
        constraints = [models.UniqueConstraint(fields=["inquiry", "ticket"], name="inquiry_ticket_once")]

    def __str__(self):
        return f"{self.inquiry.number} → {self.ticket.number}"


class TimeWindow(models.TextChoices):
    ANY = "any", _("Any time")
    BUSINESS_HOURS = "business_hours", _("Business hours")
    AFTER_HOURS = "after_hours", _("After hours")


class RoutingRule(models.Model):
    """Which Slack channel a new inquiry's card goes to; the first matching active rule wins.

    Empty conditions match everything. Without a match the card goes to
    INQUIRIES_SALES_CHANNEL.
    """

    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)
    categories = models.JSONField(_("categories"), default=list, blank=True)
    sources = models.JSONField(_("sources"), default=list, blank=True)
    product_contains = models.CharField(_("product contains"), max_length=100, blank=True)
    time_window = models.CharField(_("time window"), max_length=20, choices=TimeWindow.choices, default=TimeWindow.ANY)
    channel = models.CharField(_("Slack channel"), max_length=80, help_text=_("A channel id such as C0123ABCD."))
    mention = models.CharField(
        _("mention"), max_length=40, blank=True, help_text=_("A user (U…) or user group (S…) to mention.")
    )

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("inquiry routing rule")
        verbose_name_plural = _("inquiry routing rules")

    def __str__(self):
        return self.name
