"""What each work day contributes to the attendance reports (erp.history rollups).

Cells on the work day's date (scope = the employee's department when folded, person = the
employee): ``worked`` minutes, ``overtime`` minutes beyond 8 hours, ``missing_punch`` (a
check-in or check-out is missing), ``leave``. Weekly figures (the 52-hour headroom) are sums
of ``worked`` per person and Mon–Sun week. Changes arrive through ``work_days_changed``
(a re-derivation that changed figures sends it, with the employees and dates it touched) and
the work days' audit events (leave set or cleared changes no derived figure).
"""

from django.utils.translation import gettext_lazy as _

from erp.audit.models import AuditEvent
from erp.history.rollups import Cell, ChangeFeed, Rollup

from .models import DayState, WorkDay
from .signals import work_days_changed

STANDARD_DAY_MINUTES = 8 * 60


def work_day_records():
    return WorkDay.objects.values(
        "id", "date", "state", "worked_minutes", "on_leave", "employee_id", "employee__department_id"
    )


def work_day_cells(day: dict) -> list[Cell]:
    scope, person, on = day["employee__department_id"] or 0, day["employee_id"], day["date"]
    worked = day["worked_minutes"]
    cells = []
    if worked:
        cells.append(Cell("worked", on, scope, person, value=worked))
    if worked > STANDARD_DAY_MINUTES:
        cells.append(Cell("overtime", on, scope, person, value=worked - STANDARD_DAY_MINUTES))
    if day["state"] in (DayState.MISSING_CHECKOUT, DayState.MISSING_CHECKIN):
        cells.append(Cell("missing_punch", on, scope, person))
    if day["on_leave"]:
        cells.append(Cell("leave", on, scope, person))
    return cells


def changed_work_days(employee_dates=None, **_ignored):
    """The ids of the work days a ``work_days_changed`` names (one query, in its transaction)."""
    from django.db.models import Q

    condition = Q(pk__in=[])
    for employee_id, dates in (employee_dates or {}).items():
        condition |= Q(employee_id=employee_id, date__in=list(dates))
    return WorkDay.objects.filter(condition).values_list("pk", flat=True)


def _audited_work_days():
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q

    return Q(content_type=ContentType.objects.get_for_model(WorkDay))


WORK_DAY_ROLLUP = Rollup(
    key="attendance",
    label=_("Attendance"),
    records=work_day_records,
    contribute=work_day_cells,
    feeds=(ChangeFeed(AuditEvent, "created_at", "object_id", where=lambda: _audited_work_days()),),
    signals=((work_days_changed, changed_work_days),),
)
