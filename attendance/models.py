"""Attendance ledger: raw punches (evidence, kept forever) and the work days derived from them.

* ``Punch`` is what a fingerprint reader, Slack, the web or an admin reported, as received.
  Punches are never edited or deleted by the product; corrections live on the work day.
* ``WorkDay`` is one row per employee and KST date, re-derived from the punch set by
  ``attendance.derivation`` (deterministic: the same punches give the same day whatever order
  or batch they arrived in) plus an approved correction's override times.
* ``Correction`` is a request to change a day's times, decided by a manager.
* ``Device`` authenticates a reader with a hashed token; ``DeviceIdentifier`` maps the id a
  reader sends (badge or finger id) to an employee when it is not the employee number.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from erp.audit.models import Source


class Location(models.TextChoices):
    OFFICE = "office", _("Office")
    REMOTE = "remote", _("Remote")
    CLIENT = "client", _("Client site")


class Direction(models.TextChoices):
    IN = "in", _("Check-in")
    OUT = "out", _("Check-out")
    UNKNOWN = "unknown", _("Unknown")
    # Only deducted when the company records breaks by punches (workcalendar.BreakPolicy).
    BREAK_START = "break_start", _("Break start")
    BREAK_END = "break_end", _("Break end")


BREAK_DIRECTIONS = (Direction.BREAK_START, Direction.BREAK_END)


class PunchSource(models.TextChoices):
    DEVICE = Source.DEVICE.value, Source.DEVICE.label
    SLACK = Source.SLACK.value, Source.SLACK.label
    WEB = Source.WEB.value, Source.WEB.label
    ADMIN = Source.ADMIN.value, Source.ADMIN.label
    API = Source.API.value, Source.API.label


class Device(models.Model):
    """A punch clock (fingerprint / card reader). Authenticates with a token shown once."""

    code = models.SlugField(
        _("device id"),
        max_length=64,
        unique=True,
        help_text=_("The id the device sends as device_id, e.g. seoul-hq-1f."),
    )
    name = models.CharField(_("name"), max_length=100)
    location = models.CharField(_("location"), max_length=10, choices=Location.choices, default=Location.OFFICE)
    place = models.CharField(_("place"), max_length=100, blank=True, help_text=_("e.g. Seoul HQ 1F lobby"))
    # Only a SHA-256 of the token is stored: tokens are 256-bit random strings, so a fast
    # hash is safe and lets every webhook request find its device with one indexed lookup.
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    token_prefix = models.CharField(_("token starts with"), max_length=12, blank=True, editable=False)
    token_issued_at = models.DateTimeField(_("token issued"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True, editable=False)
    # Request signing (issue 15): kept in clear because verifying an HMAC needs the key itself;
    # it is shown once when issued and never in a form. Empty: the device may send unsigned.
    signing_secret = models.CharField(max_length=100, blank=True, editable=False)
    signing_secret_issued_at = models.DateTimeField(_("signing secret issued"), null=True, blank=True, editable=False)
    # Employee scope: a device that knows its people punches only for them (empty: anyone).
    allowed_employees = models.ManyToManyField(
        "people.Employee",
        verbose_name=_("employees it may punch for"),
        blank=True,
        related_name="+",
        help_text=_("Leave both lists empty when the device may punch for anyone."),
    )
    allowed_departments = models.ManyToManyField(
        "people.Department",
        verbose_name=_("departments it may punch for"),
        blank=True,
        related_name="+",
        help_text=_("Members of these departments (not of their sub-departments)."),
    )
    backdate_days = models.PositiveSmallIntegerField(
        _("back-dating window (days)"),
        null=True,
        blank=True,
        help_text=_(
            "Punches older than this many days are held for an admin's review instead of being applied. "
            "Empty: the company setting (ATTENDANCE_BACKDATE_DAYS)."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("punch device")
        verbose_name_plural = _("punch devices")

    def __str__(self):
        return self.name

    @property
    def has_active_token(self) -> bool:
        return bool(self.token_hash) and self.revoked_at is None

    @property
    def requires_signature(self) -> bool:
        return bool(self.signing_secret)


class DeviceIdentifier(models.Model):
    """What a device calls an employee (badge, finger slot) when it is not the employee number.

    ``device`` empty means the mapping holds for every device.
    """

    device = models.ForeignKey(
        Device, verbose_name=_("device"), null=True, blank=True, on_delete=models.CASCADE, related_name="identifiers"
    )
    identifier = models.CharField(_("identifier"), max_length=64)
    employee = models.ForeignKey(
        "people.Employee", verbose_name=_("employee"), on_delete=models.CASCADE, related_name="device_identifiers"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("device identifier")
        verbose_name_plural = _("device identifiers")
        constraints = [
            models.UniqueConstraint(
                fields=["device", "identifier"], condition=Q(device__isnull=False), name="att_ident_unique_per_device"
            ),
            models.UniqueConstraint(
                fields=["identifier"], condition=Q(device__isnull=True), name="att_ident_unique_global"
            ),
        ]

    def __str__(self):
        return f"{self.identifier} → {self.employee}"


class PunchBatch(models.Model):
    """One delivery of punches (a webhook call or a CSV upload), kept as evidence with its tally."""

    class Kind(models.TextChoices):
        WEBHOOK = "webhook", _("Webhook")
        CSV = "csv", _("CSV upload")

    device = models.ForeignKey(Device, verbose_name=_("device"), on_delete=models.PROTECT, related_name="batches")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.WEBHOOK)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    received_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    accepted = models.PositiveIntegerField(_("accepted"), default=0)
    duplicates = models.PositiveIntegerField(_("duplicates"), default=0)
    unmatched = models.PositiveIntegerField(_("unmatched"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("punch batch")
        verbose_name_plural = _("punch batches")

    def __str__(self):
        return f"{self.device} {self.received_at:%Y-%m-%d %H:%M}"


class Punch(models.Model):
    """One raw punch as received. Evidence: never edited or deleted by the product."""

    source = models.CharField(_("source"), max_length=10, choices=PunchSource.choices)
    device = models.ForeignKey(
        Device, verbose_name=_("device"), null=True, blank=True, on_delete=models.PROTECT, related_name="punches"
    )
    batch = models.ForeignKey(
        PunchBatch, verbose_name=_("batch"), null=True, blank=True, on_delete=models.PROTECT, related_name="punches"
    )
    # NULL (not "") for punches without a device event, so the unique constraint ignores them.
    device_event_id = models.CharField(_("device event id"), max_length=100, null=True, blank=True)  # noqa: DJ001
    employee_identifier = models.CharField(_("employee identifier (as received)"), max_length=64, blank=True)
    employee = models.ForeignKey(
        "people.Employee",
        verbose_name=_("employee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="punches",
    )
    at = models.DateTimeField(_("time"))
    direction = models.CharField(_("direction"), max_length=12, choices=Direction.choices, default=Direction.UNKNOWN)
    location = models.CharField(_("location"), max_length=10, choices=Location.choices, default=Location.OFFICE)
    place = models.CharField(_("place"), max_length=100, blank=True)
    raw = models.JSONField(_("as received"), default=dict, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    received_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("punch")
        verbose_name_plural = _("punches")
        constraints = [
            # Idempotent ingestion: a device replaying its backlog cannot double-count.
            models.UniqueConstraint(
                fields=["device", "device_event_id"],
                condition=Q(device__isnull=False, device_event_id__isnull=False),
                name="att_punch_device_event_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["employee", "at"], name="att_punch_employee_at"),
            models.Index(
                fields=["employee_identifier"], condition=Q(employee__isnull=True), name="att_punch_unmatched"
            ),
        ]

    def __str__(self):
        who = self.employee or self.employee_identifier
        return f"{who} {self.get_direction_display()} {self.at:%Y-%m-%d %H:%M}"


class HeldPunch(models.Model):
    """A device punch older than the back-dating window: kept, not applied, until an admin
    decides. Approving writes the Punch (and re-derives the day); rejecting keeps this row as
    evidence. Nothing is rewritten without a decision (security review M5)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    device = models.ForeignKey(Device, verbose_name=_("device"), on_delete=models.PROTECT, related_name="held_punches")
    batch = models.ForeignKey(PunchBatch, verbose_name=_("batch"), on_delete=models.PROTECT, related_name="held")
    device_event_id = models.CharField(_("device event id"), max_length=100)
    employee_identifier = models.CharField(_("employee identifier (as received)"), max_length=64)
    employee = models.ForeignKey(
        "people.Employee", verbose_name=_("employee"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("time"))
    direction = models.CharField(_("direction"), max_length=12, choices=Direction.choices, default=Direction.UNKNOWN)
    raw = models.JSONField(_("as received"), default=dict, blank=True)
    window_days = models.PositiveSmallIntegerField(_("back-dating window (days)"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    punch = models.OneToOneField(
        Punch, verbose_name=_("applied punch"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("held punch")
        verbose_name_plural = _("held punches (back-dated)")
        constraints = [
            # A device re-sending its backlog does not queue the same event twice.
            models.UniqueConstraint(fields=["device", "device_event_id"], name="att_held_device_event_unique"),
        ]
        indexes = [models.Index(fields=["status", "received_at"], name="att_held_status")]

    def __str__(self):
        who = self.employee or self.employee_identifier
        return f"{who} {self.get_direction_display()} {self.at:%Y-%m-%d %H:%M}"


class UnmatchedPunch(Punch):
    """Admin view of punches whose employee identifier is not mapped yet."""

    class Meta:
        proxy = True
        verbose_name = _("unmatched punch")
        verbose_name_plural = _("unmatched punches")


class DayState(models.TextChoices):
    WORKING = "working", _("Working")
    DONE = "done", _("Done")
    MISSING_CHECKOUT = "missing_checkout", _("Missing check-out")
    MISSING_CHECKIN = "missing_checkin", _("Missing check-in")
    LEAVE = "leave", _("On leave")
    HOLIDAY = "holiday", _("Holiday")


class WorkDay(models.Model):
    """One employee's attendance on one KST date, derived from punches (+ an approved correction).

    ``worked_minutes`` counts only closed days (check-in and check-out known): an open or
    missing check-out day counts 0 until someone checks out or a correction is approved,
    because guessing an end time would silently invent working hours.
    """

    employee = models.ForeignKey(
        "people.Employee", verbose_name=_("employee"), on_delete=models.CASCADE, related_name="work_days"
    )
    date = models.DateField(_("date"))
    # Monday of the date's Mon–Sun week: weekly totals are one indexed GROUP BY.
    week_start = models.DateField(_("week"), editable=False)
    state = models.CharField(_("state"), max_length=20, choices=DayState.choices, default=DayState.WORKING)
    first_in = models.DateTimeField(_("check-in"), null=True, blank=True)
    last_out = models.DateTimeField(_("check-out"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=10, choices=Location.choices, default=Location.OFFICE)
    place = models.CharField(_("place"), max_length=100, blank=True)
    gross_minutes = models.PositiveIntegerField(_("present (min)"), default=0)
    break_minutes = models.PositiveIntegerField(_("breaks (min)"), default=0)
    worked_minutes = models.PositiveIntegerField(_("worked (min)"), default=0)
    punch_count = models.PositiveSmallIntegerField(_("punches"), default=0)
    holiday_name = models.CharField(_("holiday"), max_length=100, blank=True)
    on_leave = models.BooleanField(_("on leave"), default=False)
    # Set by an approved correction; they win over the punches on re-derivation.
    corrected_in = models.DateTimeField(_("corrected check-in"), null=True, blank=True)
    corrected_out = models.DateTimeField(_("corrected check-out"), null=True, blank=True)
    checkout_reminded_at = models.DateTimeField(_("check-out reminder sent"), null=True, blank=True)
    derived_at = models.DateTimeField(_("derived"), auto_now=True)

    class Meta:
        ordering = ["-date", "employee"]
        verbose_name = _("work day")
        verbose_name_plural = _("work days")
        constraints = [models.UniqueConstraint(fields=["employee", "date"], name="att_workday_employee_date")]
        indexes = [
            models.Index(fields=["employee", "week_start"], name="att_workday_week"),
            models.Index(fields=["date", "state"], name="att_workday_date_state"),
        ]

    def __str__(self):
        return f"{self.employee} {self.date:%Y-%m-%d}"

    @property
    def is_corrected(self) -> bool:
        return self.corrected_in is not None or self.corrected_out is not None


class WeeklyAlert(models.Model):
    """Marks that a weekly-hours signal was sent, so each fires once per employee and week."""

    class Kind(models.TextChoices):
        THRESHOLD = "threshold", _("Threshold crossed")
        CAP = "cap", _("Cap exceeded")
        PROJECTED = "projected", _("Breach projected")

    employee = models.ForeignKey("people.Employee", on_delete=models.CASCADE, related_name="+")
    week_start = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    minutes = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["employee", "week_start", "kind"], name="att_weekly_alert_once")]

    def __str__(self):
        return f"{self.employee_id} {self.week_start:%Y-%m-%d} {self.kind}"


class Correction(models.Model):
    """An employee's request to change a day's check-in/check-out, decided by a manager."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")

    employee = models.ForeignKey(
        "people.Employee", verbose_name=_("employee"), on_delete=models.CASCADE, related_name="attendance_corrections"
    )
    date = models.DateField(_("date"))
    proposed_in = models.DateTimeField(_("proposed check-in"), null=True, blank=True)
    proposed_out = models.DateTimeField(_("proposed check-out"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    # The day's times when the request was decided: the audit trail keeps both values.
    previous_in = models.DateTimeField(_("previous check-in"), null=True, blank=True)
    previous_out = models.DateTimeField(_("previous check-out"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("attendance correction")
        verbose_name_plural = _("attendance corrections")
        indexes = [models.Index(fields=["status", "employee"], name="att_correction_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "date"], condition=Q(status="pending"), name="att_correction_one_pending"
            )
        ]

    def __str__(self):
        return f"{self.employee} {self.date:%Y-%m-%d} ({self.get_status_display()})"
