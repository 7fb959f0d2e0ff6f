"""The attendance section of the morning brief (erp.history.brief): who of the team works
remotely, at a client or is on leave today.

Privacy: names and the client site only — never times, never why someone is on leave.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from erp.history.brief import BriefPart, BriefSection

from .models import Location, WorkDay
from .selectors import working_elsewhere

LABEL = gettext_lazy("Attendance")


def attendance_brief(department, day) -> BriefPart | None:
    elsewhere = working_elsewhere(day, department_id=department.pk)
    remote = [w.employee.display_name for w in elsewhere if w.location == Location.REMOTE]
    client = [
        f"{w.employee.display_name}({w.place})" if w.place else w.employee.display_name
        for w in elsewhere
        if w.location == Location.CLIENT
    ]
    leave = list(
        WorkDay.objects.filter(date=day, on_leave=True, employee__department=department, employee__user__is_active=True)
        .order_by("employee__display_name")
        .values_list("employee__display_name", flat=True)
    )
    lines = []
    if remote:
        lines.append(_("Remote: %(names)s") % {"names": ", ".join(remote)})
    if client:
        lines.append(_("At a client: %(names)s") % {"names": ", ".join(client)})
    if leave:
        lines.append(_("On leave: %(names)s") % {"names": ", ".join(leave)})
    return BriefPart(lines=lines) if lines else None


BRIEF_SECTION = BriefSection("attendance", LABEL, attendance_brief, order=20, replaces=("attendance.morning",))
