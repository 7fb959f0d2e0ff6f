"""The attendance section of the morning brief (erp.history.brief): who of the team works
remotely, at a client or is on leave today — full days (marked on the work day) and approved
morning half days from the leave app, as the attendance morning post it stands in for shows them.

Privacy: names and the client site only — never times, never why someone is on leave nor
which kind of leave (a half day is just "on leave").
"""

from datetime import datetime, time

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from erp.history.brief import BriefPart, BriefSection
from erp.people.models import Employee
from erp.workcalendar.calendar import KST
from leave.selectors import on_leave

from .models import Location, WorkDay
from .selectors import working_elsewhere

LABEL = gettext_lazy("Attendance")
# The brief's hour: leave covering it (a full day or a morning half day) counts as away.
BRIEF_AT = time(9, 0)


def attendance_brief(department, day) -> BriefPart | None:
    elsewhere = working_elsewhere(day, department_id=department.pk)
    remote = [w.employee.display_name for w in elsewhere if w.location == Location.REMOTE]
    client = [
        f"{w.employee.display_name}({w.place})" if w.place else w.employee.display_name
        for w in elsewhere
        if w.location == Location.CLIENT
    ]
    leave = _away(department, day, working={w.employee_id for w in elsewhere})
    lines = []
    if remote:
        lines.append(_("Remote: %(names)s") % {"names": ", ".join(remote)})
    if client:
        lines.append(_("At a client: %(names)s") % {"names": ", ".join(client)})
    if leave:
        lines.append(_("On leave: %(names)s") % {"names": ", ".join(leave)})
    return BriefPart(lines=lines) if lines else None


def _away(department, day, *, working: set[int]) -> list[str]:
    """Names of the team away today: a work day marked on leave, or approved leave (leave app)
    covering the brief's hour — unless they checked in elsewhere anyway. Three queries."""
    marked = set(
        WorkDay.objects.filter(date=day, on_leave=True, employee__department=department).values_list(
            "employee_id", flat=True
        )
    )
    team = list(Employee.objects.filter(department=department, user__is_active=True).only("pk", "display_name"))
    away = marked | on_leave(team, day, at=datetime.combine(day, BRIEF_AT, KST))
    return sorted(person.display_name for person in team if person.pk in away and person.pk not in working)


BRIEF_SECTION = BriefSection("attendance", LABEL, attendance_brief, order=20, replaces=("attendance.morning",))
