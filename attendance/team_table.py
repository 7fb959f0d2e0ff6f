"""Rows of the team view, rendered in Python like the admin's change list (``items_for_result``).

The page lists every person a manager sees (hundreds); per-cell template work (variable
resolution, localization, filters) was most of its response time, so each row is built once
with ``format_html`` (which escapes every value) and the template only places the rows.
"""

from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from erp.core.css import pct_width
from erp.workcalendar.calendar import KST
from leave.templatetags.leave_tags import leave_badge

from .models import DayState
from .selectors import TeamRow
from .templatetags.attendance_tags import hm

LOCATION_LABELS = {
    "office": gettext_lazy("Office"),
    "remote": gettext_lazy("Remote"),
    "client": gettext_lazy("Client site"),
}


def _hhmm(moment) -> str:
    return moment.astimezone(KST).strftime("%H:%M") if moment else ""


def _status(row: TeamRow) -> tuple[str | None, str, str]:
    """(badge class or None for muted text, label, times)."""
    today = row.today
    if today.state == DayState.WORKING:
        return "att-in", _("In"), _hhmm(today.first_in)
    if today.state == DayState.DONE:
        times = _("%(first)s – %(last)s") % {"first": _hhmm(today.first_in), "last": _hhmm(today.last_out)}
        return "", _("Left"), times
    if today.is_missing:
        return "breached", str(DayState(today.state).label), _hhmm(today.first_in or today.last_out)
    if today.state == DayState.LEAVE:
        return "", _("On leave"), ""
    if today.holiday_name:
        return "", today.holiday_name, ""
    if not today.is_working_day:
        return None, _("Day off"), ""
    return None, _("Not in"), ""


def _where(row: TeamRow) -> str:
    today = row.today
    if not today.first_in:
        return ""
    where = str(LOCATION_LABELS.get(today.location, today.location))
    if today.place and today.location != "office":
        where = f"{where} · {today.place}"
    return where


def team_line(row: TeamRow, *, person_url: str, month: str, flags: dict[str, str], leave=()) -> dict:
    """{"row", "employee", "html"} for one person; ``flags`` = badge text per level (over/warning);
    ``leave`` = the person's approved leave today (leave.selectors.LeaveDay: kind and half)."""
    employee = row.employee
    badge, label, times = _status(row)
    if badge is None:
        status = format_html('<span class="att-muted">{}</span>', label)
    else:
        status = format_html('<span class="badge {}">{}</span> {}', badge, label, times)
    for entry in leave:
        status = format_html("{} {}", status, leave_badge(entry))
    level = row.level
    flag = ""
    if level in flags:
        flag = format_html(' <span class="badge {}">{}</span>', "p1" if level == "over" else "p2", flags[level])
    missing = format_html('<span class="badge breached">{}</span>', row.missing_days) if row.missing_days else "0"
    html = format_html(
        '<tr><td><a href="{}{}/?month={}">{}</a></td><td>{}</td><td>{}</td><td>{}</td>'
        '<td class="att-weekcell"><span class="att-bar att-{}" role="img" aria-label="{}%">'
        '<span class="{}"></span></span> {}{}</td><td>{}</td></tr>',
        person_url,
        employee.pk,
        month,
        employee.display_name,
        employee.department.name if employee.department else "—",
        status,
        _where(row),
        level,
        row.percent_of_cap,
        pct_width(row.percent_of_cap),
        hm(row.week_minutes),
        flag,
        missing,
    )
    return {"row": row, "employee": employee, "html": html}
