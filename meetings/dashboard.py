"""The room-usage report, read from the ``meetings`` rollup (meetings/rollup.py).

Who sees it: the meeting-room admins and managers (planning rooms is theirs); the figures are
per room, with no title or person. Everyone else has no room report (403).
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from erp.history.reports import Chart, Period, Report, ReportData, Series, Table, by_bucket, cells, ratio, totals
from erp.people.selectors import employee_of

from .models import Room
from .selectors import is_room_admin

ROLLUP = "meetings"
METRICS = ["booked", "checked_in", "no_show", "cancelled"]


def report_scope(user) -> Q | None:
    if user is None or not user.is_authenticated:
        return None
    employee = employee_of(user)
    return Q() if is_room_admin(user) or (employee is not None and employee.is_manager) else None


def can_see_room_reports(user) -> bool:
    return report_scope(user) is not None


def _hours(minutes: float) -> float:
    return round(minutes / 60, 1)


def room_report(user, period: Period) -> ReportData:
    allowed = report_scope(user)
    if allowed is None:
        return ReportData()
    rows = cells(ROLLUP, METRICS, allowed=allowed, first=period.first, last=period.last)
    bucketed = by_bucket(rows, period)
    starts = period.buckets()
    labels = [period.label(start) for start in starts]

    def each(metric, value=lambda t, n: n):
        return [value(*bucketed.get((metric, start), (0, 0))) for start in starts]

    whole = totals(rows)
    get = lambda metric: whole.get((metric,), (0, 0))  # noqa: E731
    minutes, booked = get("booked")
    check_ins = ratio(get("checked_in")[1], booked, 100)
    data = ReportData(
        figures=[
            (_("Bookings"), str(booked)),
            (_("Hours booked"), f"{_hours(minutes):g}"),
            (_("Check-in rate"), "—" if check_ins is None else f"{check_ins:g}%"),
            (_("No-shows"), str(get("no_show")[1])),
            (_("Cancelled"), str(get("cancelled")[1])),
        ]
    )
    by_room = totals(rows, "scope")
    rooms = dict(Room.objects.filter(pk__in={s for (_m, s) in by_room}).values_list("pk", "name"))
    ordered = sorted(rooms, key=lambda pk: (-by_room.get(("booked", pk), (0, 0))[0], rooms[pk]))
    data.charts = [
        Chart(_("Hours booked"), labels, [Series(_("Hours booked"), each("booked", lambda t, n: _hours(t)))], unit="h"),
        Chart(
            _("Hours booked by room"),
            [rooms[pk][:10] for pk in ordered[:8]],
            [Series(_("Hours booked"), [_hours(by_room.get(("booked", pk), (0, 0))[0]) for pk in ordered[:8]])],
            unit="h",
        ),
    ]
    data.tables = [
        Table(
            "rooms",
            _("By room"),
            [_("Room"), _("Bookings"), _("Hours booked"), _("Check-in rate"), _("No-shows"), _("Cancelled")],
            [
                [
                    rooms[pk],
                    by_room.get(("booked", pk), (0, 0))[1],
                    _hours(by_room.get(("booked", pk), (0, 0))[0]),
                    ratio(by_room.get(("checked_in", pk), (0, 0))[1], by_room.get(("booked", pk), (0, 0))[1], 100),
                    by_room.get(("no_show", pk), (0, 0))[1],
                    by_room.get(("cancelled", pk), (0, 0))[1],
                ]
                for pk in ordered
            ],
        ),
        Table(
            "volume",
            _("Volume"),
            [_("Period"), _("Bookings"), _("Hours booked"), _("No-shows"), _("Cancelled")],
            [
                list(row)
                for row in zip(
                    labels,
                    each("booked"),
                    each("booked", lambda t, n: _hours(t)),
                    each("no_show"),
                    each("cancelled"),
                    strict=True,
                )
            ],  # fmt: skip
        ),
    ]
    return data


ROOM_REPORT = Report("meetings", _("Meeting room usage"), ROLLUP, room_report, can_see_room_reports, order=60)
