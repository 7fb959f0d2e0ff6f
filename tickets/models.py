"""IT tickets: the ITSM system of record.

Every write goes through ``tickets.services``; reads that depend on the acting user go
through ``tickets.selectors``. The SLA columns on Ticket are maintained by
``tickets.services.sla`` and the ``tickets.tasks.check_sla`` beat task so that the SLA
state is queryable (filters, Slack search, reports) without recomputing clocks per row.
"""

import re
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from erp.people.models import Department


class TicketType(models.TextChoices):
    INCIDENT = "incident", _("Incident")
    SERVICE_REQUEST = "service_request", _("Service request")


# Human number prefixes: INC-123, SR-45.
NUMBER_PREFIX = {TicketType.INCIDENT: "INC", TicketType.SERVICE_REQUEST: "SR"}
PREFIX_TYPE = {prefix: ticket_type for ticket_type, prefix in NUMBER_PREFIX.items()}
NUMBER_RE = re.compile(r"^\s*#?(?:(?P<prefix>[A-Za-z]+)-?)?(?P<seq>\d+)\s*$")


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    PENDING = "pending", _("Pending")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


# Statuses in which somebody still has to act on the ticket.
ACTIVE_STATUSES = (Status.OPEN, Status.IN_PROGRESS, Status.PENDING)


class Level(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class Priority(models.TextChoices):
    P1 = "P1", _("P1 · Critical")
    P2 = "P2", _("P2 · High")
    P3 = "P3", _("P3 · Medium")
    P4 = "P4", _("P4 · Low")


class TicketSource(models.TextChoices):
    WEB = "web", _("Web")
    SLACK = "slack", _("Slack")
    EMAIL = "email", _("E-mail")
    API = "api", _("API")
    INQUIRY = "inquiry", _("Website inquiry")


class SLACalendar(models.TextChoices):
    BUSINESS_HOURS = "business", _("Business hours")
    ALWAYS = "24x7", _("24×7")


class SLAState(models.TextChoices):
    NONE = "none", _("No SLA")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    BREACHED = "breached", _("Breached")
    PAUSED = "paused", _("Paused")
    MET = "met", _("Met")


class SLATarget(models.TextChoices):
    FIRST_RESPONSE = "first_response", _("First response")
    RESOLUTION = "resolution", _("Resolution")


class PriorityMatrix(models.Model):
    """One cell of the impact × urgency → priority matrix (admin-editable, seeded)."""

    impact = models.CharField(_("impact"), max_length=10, choices=Level.choices)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Level.choices)
    priority = models.CharField(_("priority"), max_length=2, choices=Priority.choices)

    class Meta:
        ordering = ["impact", "urgency"]
        verbose_name = _("priority matrix cell")
        verbose_name_plural = _("priority matrix")
        constraints = [models.UniqueConstraint(fields=["impact", "urgency"], name="tickets_matrix_unique_cell")]

    def __str__(self):
        return f"{self.get_impact_display()} × {self.get_urgency_display()} → {self.priority}"


class SLAPolicy(models.Model):
    """Targets for one priority. Minutes count business minutes on a business-hours policy."""

    priority = models.CharField(_("priority"), max_length=2, choices=Priority.choices, unique=True)
    first_response_minutes = models.PositiveIntegerField(_("first response target (minutes)"))
    resolution_minutes = models.PositiveIntegerField(_("resolution target (minutes)"))
    calendar = models.CharField(
        _("clock"), max_length=10, choices=SLACalendar.choices, default=SLACalendar.BUSINESS_HOURS
    )
    at_risk_percent = models.PositiveSmallIntegerField(
        _("at risk from (percent elapsed)"),
        default=75,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
        help_text=_("A target is flagged 'at risk' once this share of its time has elapsed."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["priority"]
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")

    def __str__(self):
        return f"{self.priority} · {self.get_calendar_display()}"


class Category(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    default_group = models.ForeignKey(
        Department,
        verbose_name=_("default group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("New tickets of this category go to this group unless one is chosen."),
    )
    escalation_group = models.ForeignKey(
        Department,
        verbose_name=_("escalation group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Escalated tickets of this category move here (overrides the group's setting)."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name


class GroupSettings(models.Model):
    """Ticket handling settings of one agent group (a Department)."""

    group = models.OneToOneField(
        Department, verbose_name=_("group"), on_delete=models.CASCADE, related_name="ticket_settings"
    )
    escalation_group = models.ForeignKey(
        Department,
        verbose_name=_("escalation group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    auto_assign = models.BooleanField(
        _("auto-assign new tickets"),
        default=False,
        help_text=_("Round-robin new tickets to the group's agents who are working today."),
    )

    class Meta:
        verbose_name = _("group settings")
        verbose_name_plural = _("group settings")

    def __str__(self):
        return str(self.group)


class TicketCounter(models.Model):
    """Last number handed out per ticket type, on SQLite (locked while allocating).

    PostgreSQL allocates from one sequence per type instead (tickets.services.numbering).
    """

    ticket_type = models.CharField(max_length=20, choices=TicketType.choices, primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("ticket counter")

    def __str__(self):
        return f"{self.ticket_type}: {self.last_number}"


class Ticket(models.Model):
    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    ticket_type = models.CharField(_("type"), max_length=20, choices=TicketType.choices, default=TicketType.INCIDENT)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets"
    )
    impact = models.CharField(_("impact"), max_length=10, choices=Level.choices, default=Level.MEDIUM)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Level.choices, default=Level.MEDIUM)
    priority = models.CharField(_("priority"), max_length=2, choices=Priority.choices, default=Priority.P3)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requester"),
        on_delete=models.PROTECT,
        related_name="tickets_requested",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets_assigned",
    )
    group = models.ForeignKey(
        Department,
        verbose_name=_("agent group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    # People who keep read access after handing the ticket on (e.g. the agent who escalated it
    # to another group, who would otherwise lose sight of it).
    watchers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("watchers"), blank=True, related_name="tickets_watched"
    )
    source = models.CharField(_("source"), max_length=10, choices=TicketSource.choices, default=TicketSource.WEB)
    sensitive = models.BooleanField(
        _("sensitive"),
        default=False,
        help_text=_("Only the requester, the assignee, the group's managers and admins can see it."),
    )
    # Normalized as ",vpn,network," so one tag is matched exactly with a LIKE on ",tag,".
    tags = models.CharField(_("tags"), max_length=300, blank=True, default="")
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    resolution = models.TextField(_("resolution"), blank=True)

    # SLA: due moments already include paused time; *_warn_at is when "at risk" starts.
    sla_policy = models.ForeignKey(
        SLAPolicy, verbose_name=_("SLA policy"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sla_state = models.CharField(_("SLA state"), max_length=10, choices=SLAState.choices, default=SLAState.NONE)
    first_response_due = models.DateTimeField(_("first response due"), null=True, blank=True)
    first_response_warn_at = models.DateTimeField(null=True, blank=True, editable=False)
    resolution_due = models.DateTimeField(_("resolution due"), null=True, blank=True)
    resolution_warn_at = models.DateTimeField(null=True, blank=True, editable=False)
    sla_paused_at = models.DateTimeField(_("SLA clock paused at"), null=True, blank=True)
    sla_paused_minutes = models.FloatField(_("paused time (minutes)"), default=0)
    first_response_at_risk = models.BooleanField(_("first response at risk"), default=False)
    first_response_breached = models.BooleanField(_("first response breached"), default=False)
    resolution_at_risk = models.BooleanField(_("resolution at risk"), default=False)
    resolution_breached = models.BooleanField(_("resolution breached"), default=False)

    first_responded_at = models.DateTimeField(_("first responded at"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        indexes = [
            # Keyset pagination and the default sort.
            models.Index(fields=["-created_at", "-id"], name="tickets_created_id"),
            models.Index(fields=["-updated_at", "-id"], name="tickets_updated_id"),
            models.Index(fields=["priority", "-created_at", "-id"], name="tickets_priority_created"),
            models.Index(fields=["status", "-created_at"], name="tickets_status_created"),
            models.Index(fields=["group", "status", "-created_at"], name="tickets_group_status"),
            models.Index(fields=["assignee", "status"], name="tickets_assignee_status"),
            # Someone's open tickets by due time (the home panel, Slack's `list`): a walk in
            # order that stops after a page, not a sort of everything they hold open.
            models.Index(
                fields=["assignee", "resolution_due", "id"],
                name="tickets_assignee_open_due",
                condition=models.Q(status__in=ACTIVE_STATUSES),
            ),
            models.Index(fields=["requester", "-created_at"], name="tickets_requester_created"),
            models.Index(fields=["assignee", "-assigned_at"], name="tickets_assignee_assigned"),
            models.Index(fields=["sla_state", "-created_at"], name="tickets_sla_state"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("tickets:detail", kwargs={"ref": self.number})

    @property
    def tag_list(self) -> list[str]:
        return [tag for tag in self.tags.split(",") if tag]

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def sla_paused(self) -> bool:
        return self.sla_paused_at is not None


class Comment(models.Model):
    """A public reply (seen by the requester) or an internal note (agents only)."""

    ticket = models.ForeignKey(Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("text"))
    internal = models.BooleanField(_("internal note"), default=False)
    source = models.CharField(_("source"), max_length=10, choices=TicketSource.choices, default=TicketSource.WEB)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [models.Index(fields=["ticket", "created_at"], name="tickets_comment_ticket")]

    def __str__(self):
        return f"{self.ticket.number} #{self.pk}"


def attachment_upload_to(instance, filename: str) -> str:
    """A random stored name: the uploader's file name is never part of a path or URL.

    Only the (whitelisted) extension is kept; the name people see is ``original_name``.
    """
    extension = PurePosixPath(filename).suffix.lower()[:10]
    return f"tickets/{uuid.uuid4().hex}{extension}"


class Attachment(models.Model):
    ticket = models.ForeignKey(Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="attachments")
    comment = models.ForeignKey(
        Comment,
        verbose_name=_("comment"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name


class SatisfactionRating(models.Model):
    """A requester's 1–5 satisfaction score (and optional comment) on a resolved or closed ticket.

    One row per ticket and rater: rating again updates the row (``updated_at`` moves), so
    reports count each person's latest opinion once. Written only by
    ``tickets.services.ticket_rate``.
    """

    ticket = models.ForeignKey(Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="ratings")
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("rated by"), on_delete=models.CASCADE, related_name="+"
    )
    score = models.PositiveSmallIntegerField(_("score"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("satisfaction rating")
        verbose_name_plural = _("satisfaction ratings")
        constraints = [
            models.UniqueConstraint(fields=["ticket", "rater"], name="tickets_rating_one_per_rater"),
            models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=5), name="tickets_rating_score_1_5"),
        ]
        # Reports select ratings by the moment they were given (digest day, report week).
        indexes = [models.Index(fields=["updated_at"], name="tickets_rating_updated")]

    def __str__(self):
        return f"{self.ticket_id}: {self.score}"


class SavedView(models.Model):
    """A ticket-list query someone saved under a name (``?view=…&status=…&sort=due``); a shared
    one is offered to every agent on the list page. Written by tickets.services.saved_views."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("name"), max_length=60)
    query = models.CharField(_("query"), max_length=1000, blank=True)
    shared = models.BooleanField(_("shared"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("saved ticket view")
        verbose_name_plural = _("saved ticket views")
        indexes = [models.Index(fields=["owner", "name"], name="tickets_savedview_owner")]

    def __str__(self):
        return self.name


# The on-call roster lives in its own module; imported here so Django registers its models.
from .oncall.models import OnCallMember, OnCallOverride, OnCallRotation  # noqa: E402, F401


class P1Policy(models.TextChoices):
    AGENTS = "agents", _("Agents only (agent, manager and admin roles)")
    AGENTS_AND_TEAM_LEADS = "agents_team_leads", _("Agents and team leads (anyone with direct reports)")
    ANYONE = "anyone", _("Anyone")


class TicketSettings(models.Model):
    """Ticket rules an admin sets for the whole company (one row, ``TicketSettings.current()``).

    ``p1_policy``: who may raise a P1, which opens an incident channel and pages on-call
    (security review L6). Someone else's P1 is filed at P2 and noted (tickets/p1_policy.py).
    ``intake_group``: the group of a new ticket that no category routes (requesters pick none).
    """

    p1_policy = models.CharField(
        _("who may raise a P1"),
        max_length=20,
        choices=P1Policy.choices,
        default=P1Policy.AGENTS_AND_TEAM_LEADS,
        help_text=_(
            "A P1 opens an incident channel and pages on-call. Others who choose high impact and high "
            "urgency get their ticket filed at P2, for an agent to raise."
        ),
    )
    intake_group = models.ForeignKey(
        "people.Department",
        verbose_name=_("intake group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Where a new ticket goes when neither its category nor the person filing it names a group "
            "(e.g. the service desk). Requesters do not pick a group."
        ),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("ticket settings")
        verbose_name_plural = _("ticket settings")

    def __str__(self):
        return str(_("Ticket settings"))

    @classmethod
    def current(cls) -> "TicketSettings":
        found = cls.objects.order_by("pk").first()
        return found if found is not None else cls()
