"""A person's own meetings: as organizer or attendee."""

from datetime import date, datetime, timedelta

from django.db.models import Q, QuerySet

from erp.workcalendar.calendar import KST

from ..models import Booking, Status


def bookings_of(employee, *, start: datetime | None = None, end: datetime | None = None) -> QuerySet:
    """Confirmed bookings ``employee`` organizes or attends, in [start, end) when given."""
    attending = Booking.attendees.through.objects.filter(employee=employee).values("booking_id")
    rows = Booking.objects.filter(Q(organizer=employee) | Q(pk__in=attending), status=Status.CONFIRMED)
    if start is not None:
        rows = rows.filter(end__gt=start)
    if end is not None:
        rows = rows.filter(start__lt=end)
    return rows.select_related("room", "organizer").order_by("start")


def bookings_on(employee, day: date) -> QuerySet:
    start = datetime.combine(day, datetime.min.time(), KST)
    return bookings_of(employee, start=start, end=start + timedelta(days=1))


def client_place_on(employee, day: date) -> str:
    """The client site of ``employee``'s first "client site" meeting on ``day`` ("" if none):
    attendance offers it as that day's check-in place."""
    found = bookings_on(employee, day).exclude(client_place="").values_list("client_place", flat=True).first()
    return found or ""
