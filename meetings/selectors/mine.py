"""A person's own meetings: as organizer or attendee."""

from collections import Counter
from datetime import date, datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from erp.workcalendar.calendar import KST

from ..models import Booking, Room, Status
from .availability import MAX_SPAN


def bookings_of(employee, *, start: datetime | None = None, end: datetime | None = None) -> QuerySet:
    """Confirmed bookings ``employee`` organizes or attends, in [start, end) when given."""
    attending = Booking.attendees.through.objects.filter(employee=employee).values("booking_id")
    rows = Booking.objects.filter(Q(organizer=employee) | Q(pk__in=attending), status=Status.CONFIRMED)
    if start is not None:
        # The lower bound on start (no booking is longer than MAX_SPAN) turns "ends after start"
        # into a short range scan of the start index instead of every booking before ``end``.
        rows = rows.filter(end__gt=start, start__gt=start - MAX_SPAN)
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


# How far back "where does this person usually meet" looks.
USUAL_PLACE_DAYS = 90


def usual_room(employee, *, now: datetime | None = None):
    """The room to preselect for ``employee`` (the Slack booking modal): on the floor most of
    their meetings of the last USUAL_PLACE_DAYS were on (organized or attended), the room they
    booked last there, else that floor's most used room; None for someone with no meetings.
    Only active rooms count."""
    now = now or timezone.now()
    attending = Booking.attendees.through.objects.filter(employee=employee).values("booking_id")
    recent = Booking.objects.filter(
        Q(organizer=employee) | Q(pk__in=attending),
        start__gte=now - timedelta(days=USUAL_PLACE_DAYS),
        room__is_active=True,
    ).exclude(status=Status.CANCELLED)
    rows = list(recent.order_by("-created_at").values_list("room_id", "room__floor", "organizer_id")[:500])
    if not rows:
        return None
    floors = Counter(floor for _room, floor, _organizer in rows)
    floor = floors.most_common(1)[0][0]  # a tie goes to the most recent (rows are newest first)
    on_floor = [(room, organizer) for room, row_floor, organizer in rows if row_floor == floor]
    booked_last = next((room for room, organizer in on_floor if organizer == employee.pk), None)
    room_id = booked_last or Counter(room for room, _organizer in on_floor).most_common(1)[0][0]
    return Room.objects.get(pk=room_id)
