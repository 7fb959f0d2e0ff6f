"""On-call roster per agent group: a weekly rotation with dated overrides.

Part of the tickets app (ITSM domain; DESIGN.md §2), imported by ``tickets.models``. The
tables keep the names they were created with in the integrations app: the move to tickets
(migrations tickets 0007 / integrations 0007) changed only Django's model state, so no row
was copied and code of the previous release keeps working against the same tables while a
deploy rolls out.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class OnCallRotation(models.Model):
    """Members take turns week by week, starting with the first member at the anchor."""

    group = models.OneToOneField(
        "people.Department", verbose_name=_("agent group"), on_delete=models.CASCADE, related_name="on_call_rotation"
    )
    anchor_date = models.DateField(_("first week starts"), help_text=_("The first member is on call from this day."))
    handoff_time = models.TimeField(_("handoff time (KST)"), default="09:00")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        db_table = "integrations_oncallrotation"
        verbose_name = _("on-call rotation")
        verbose_name_plural = _("on-call rotations")

    def __str__(self):
        return str(self.group)


class OnCallMember(models.Model):
    rotation = models.ForeignKey(OnCallRotation, on_delete=models.CASCADE, related_name="members")
    employee = models.ForeignKey(
        "people.Employee", verbose_name=_("employee"), on_delete=models.CASCADE, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        db_table = "integrations_oncallmember"
        ordering = ["position", "id"]
        verbose_name = _("rotation member")
        verbose_name_plural = _("rotation members")
        constraints = [models.UniqueConstraint(fields=["rotation", "employee"], name="oncall_member_once")]

    def __str__(self):
        return str(self.employee)


class OnCallOverride(models.Model):
    """Someone else covers a period (leave, swaps); the latest override wins where they overlap."""

    rotation = models.ForeignKey(OnCallRotation, on_delete=models.CASCADE, related_name="overrides")
    employee = models.ForeignKey(
        "people.Employee", verbose_name=_("on call"), on_delete=models.CASCADE, related_name="+"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "integrations_oncalloverride"
        ordering = ["-starts_at"]
        verbose_name = _("on-call override")
        verbose_name_plural = _("on-call overrides")
        indexes = [models.Index(fields=["rotation", "starts_at", "ends_at"], name="oncall_override_period")]

    def __str__(self):
        return f"{self.employee} {self.starts_at:%Y-%m-%d %H:%M}~{self.ends_at:%Y-%m-%d %H:%M}"

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The end must be after the start.")})
