"""Leave (연차·반차·병가 …): the types a company offers, the requests, and what decides the
annual-leave balance (hire dates, the company policy, manual adjustments).

The balance itself is never stored: it is computed from the hire date and the policy
(leave.accrual, pure) minus the approved requests of the leave year (leave.selectors), so a
cancellation restores it by construction.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from erp.people.models import Employee


class DayPart(models.TextChoices):
    FULL = "full", _("Full day")
    AM = "am", _("Morning")
    PM = "pm", _("Afternoon")


class LeaveType(models.Model):
    """A kind of leave, edited in the admin (seeded: 연차, 반차 오전/오후, 반반차, 병가, 경조사, 공가)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=40, help_text=_("Korean name, shown by default."))
    name_en = models.CharField(_("English name"), max_length=40, blank=True)
    day_fraction = models.DecimalField(
        _("days per use"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(Decimal("1"))],
        help_text=_("1 for a full day (a date range may be requested), 0.5 for a half day, 0.25 for a quarter day."),
    )
    part = models.CharField(
        _("part of the day"),
        max_length=4,
        choices=DayPart.choices,
        blank=True,
        help_text=_("For a partial day: fixed morning or afternoon, or empty to let the requester choose."),
    )
    is_paid = models.BooleanField(_("paid"), default=True)
    deducts_annual = models.BooleanField(_("draws on annual leave"), default=False)
    counts_as_attended = models.BooleanField(
        _("counts as attended"),
        default=True,
        help_text=_(
            "Approved days of this kind count as attended for annual leave, which needs an attendance "
            "of at least 80%. The law counts e.g. maternity, parental and work-injury leave (근로기준법 제60조)."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("leave type")
        verbose_name_plural = _("leave types")

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """The name in the reader's language (Korean unless an English name is set and wanted)."""
        if self.name_en and (get_language() or "ko").startswith("en"):
            return self.name_en
        return self.name

    @property
    def is_full_day(self) -> bool:
        return self.day_fraction >= 1


class LeaveRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("leave status", "Pending")
        APPROVED = "approved", pgettext_lazy("leave status", "Approved")
        REJECTED = "rejected", pgettext_lazy("leave status", "Rejected")
        CANCELLED = "cancelled", pgettext_lazy("leave status", "Cancelled")

    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.CASCADE, related_name="leave_requests"
    )
    leave_type = models.ForeignKey(LeaveType, verbose_name=_("leave type"), on_delete=models.PROTECT)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    part = models.CharField(_("part of the day"), max_length=4, choices=DayPart.choices, default=DayPart.FULL)
    days = models.DecimalField(_("days"), max_digits=5, decimal_places=2)
    reason = models.TextField(_("reason"), max_length=1000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")
        # HR staff who administer leave without being company admins (erp.people.roles.is_module_admin).
        permissions = [("manage_leave", _("Can administer leave"))]
        indexes = [
            models.Index(fields=["employee", "start_date"]),
            models.Index(fields=["status", "start_date"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")), name="leave_dates_ordered")
        ]

    def __str__(self):
        return f"{self.employee} · {self.leave_type} · {self.start_date:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        """Pending or approved: it blocks overlapping requests and counts on the balance."""
        return self.status in (self.Status.PENDING, self.Status.APPROVED)


class LeaveProfile(models.Model):
    """What the accrual needs about a person that erp.people does not hold: the hire date."""

    employee = models.OneToOneField(
        Employee, verbose_name=_("employee"), on_delete=models.CASCADE, related_name="leave_profile"
    )
    hire_date = models.DateField(_("hire date"))
    short_years = models.JSONField(
        _("attendance overrides (rule of 80%)"),
        default=dict,
        blank=True,
        help_text=_(
            "Computed from the attendance ledger; only for exceptions. Per year of service (1 = the first "
            'full year): the months fully worked if under 80%, e.g. {"2": 7}, or true if 80% was met, '
            'e.g. {"2": true} (근로기준법 제60조).'
        ),
    )

    class Meta:
        verbose_name = _("leave profile")
        verbose_name_plural = _("leave profiles")

    def __str__(self):
        return str(self.employee)

    def clean(self):
        """An override names a year of service (1, 2 …) and gives the months fully worked
        (0–12) or true; anything else would break every balance of the person."""
        overrides = self.short_years
        if overrides in (None, ""):
            self.short_years = {}
            return
        valid = isinstance(overrides, dict) and all(
            str(year).isdigit()
            and int(year) >= 1
            and (isinstance(value, bool) or (isinstance(value, int) and 0 <= value <= 12))
            for year, value in overrides.items()
        )
        if not valid:
            raise ValidationError(
                {"short_years": _('Write years of service with months (0–12) or true, e.g. {"2": 7} or {"2": true}.')}
            )


class LeavePolicy(models.Model):
    """The company's annual-leave policy; without a row the statutory hire-date basis applies."""

    class Basis(models.TextChoices):
        STATUTORY = "statutory", _("Statutory, from the hire date (근로기준법 제60조)")
        FISCAL_YEAR = "fiscal_year", _("Fiscal year (회계연도 기준)")
        FIXED = "fixed", _("Fixed grant each fiscal year")

    basis = models.CharField(_("basis"), max_length=12, choices=Basis.choices, default=Basis.STATUTORY)
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        _("fiscal year starts in month"), default=1, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    fixed_days = models.DecimalField(
        _("fixed days per year"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("15"),
        help_text=_("Only for the fixed grant."),
    )

    class Meta:
        verbose_name = _("annual leave policy")
        verbose_name_plural = _("annual leave policy")

    def __str__(self):
        return str(self.get_basis_display())


class LeaveAdjustment(models.Model):
    """A manual change of one person's annual leave in one leave year (carry-over, a grant …)."""

    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.CASCADE, related_name="leave_adjustments"
    )
    effective_date = models.DateField(_("effective date"), help_text=_("Counts in the leave year containing this day."))
    days = models.DecimalField(_("days"), max_digits=4, decimal_places=1, help_text=_("Negative to take days away."))
    reason = models.CharField(_("reason"), max_length=200)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-effective_date", "-pk"]
        verbose_name = _("leave adjustment")
        verbose_name_plural = _("leave adjustments")

    def __str__(self):
        return f"{self.employee} {self.days:+}"
