"""How long attendance records are kept (registered in apps.py; see erp.core.retention).

근로기준법 제42조 and 시행령 제22조: the employer keeps the employment register and the
important documents of the employment relationship — among them the records that wages
are computed from (punches, work days, approved corrections) — for three years. Wage
claims also lapse only after three years (제49조). The legal minimum is therefore three
years (1,096 days, a leap day included) from the day the record is about.
"""

from django.utils.translation import gettext_lazy as _

from erp.core.retention import DELETE, RetentionPolicy
from erp.workcalendar.calendar import KST

THREE_YEARS = 1096
_REASON = _(
    "Labour Standards Act art. 42 (and Enforcement Decree art. 22): records wages are computed from are kept "
    "three years; wage claims lapse after three years (art. 49)."
)


def _punches_due(cutoff):
    from .models import Punch

    return Punch.objects.filter(at__lt=cutoff)


def _work_days_due(cutoff):
    from .models import WorkDay

    return WorkDay.objects.filter(date__lt=cutoff.astimezone(KST).date())


def _corrections_due(cutoff):
    from .models import Correction

    return Correction.objects.filter(date__lt=cutoff.astimezone(KST).date())


def _batches_due(cutoff):
    from .models import PunchBatch

    # After their punches (the policy before this one): a batch is only its file's name and time.
    return PunchBatch.objects.filter(received_at__lt=cutoff, punches__isnull=True)


POLICIES = (
    RetentionPolicy(
        key="attendance.punches",
        label=_("Attendance punches"),
        default_days=THREE_YEARS,
        minimum_days=THREE_YEARS,
        action=DELETE,
        reason=_REASON,
        due=_punches_due,
        order=10,
    ),
    RetentionPolicy(
        key="attendance.work_days",
        label=_("Work days"),
        default_days=THREE_YEARS,
        minimum_days=THREE_YEARS,
        action=DELETE,
        reason=_REASON,
        due=_work_days_due,
        order=11,
    ),
    RetentionPolicy(
        key="attendance.corrections",
        label=_("Attendance corrections"),
        default_days=THREE_YEARS,
        minimum_days=THREE_YEARS,
        action=DELETE,
        reason=_REASON,
        due=_corrections_due,
        order=12,
    ),
    RetentionPolicy(
        key="attendance.punch_batches",
        label=_("Punch batches (device uploads)"),
        default_days=THREE_YEARS,
        minimum_days=THREE_YEARS,
        action=DELETE,
        reason=_REASON,
        due=_batches_due,
        order=13,
    ),
)
