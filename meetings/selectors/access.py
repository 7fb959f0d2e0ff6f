"""Who may do what with a booking, and what of it they may see.

Anyone with an employee profile books. The organizer and the meeting-room admins (company
admins and holders of ``meetings.manage_rooms``) change or cancel. A private booking shows
its title only to its organizer, its attendees and the admins; everybody else sees "예약됨".
"""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from erp.people.roles import is_module_admin
from erp.people.selectors import employee_of

from ..models import Booking


def is_room_admin(user) -> bool:
    return is_module_admin(user, "meetings")


def can_book(user) -> bool:
    return employee_of(user) is not None or is_room_admin(user)


def can_change(user, booking: Booking) -> bool:
    if user is None:
        return False
    employee = employee_of(user)
    return (employee is not None and booking.organizer_id == employee.pk) or is_room_admin(user)


def may_see_title(user, booking: Booking, *, admin: bool | None = None) -> bool:
    """``admin`` may be passed in when the caller checked it once for many bookings."""
    if not booking.is_private:
        return True
    employee = employee_of(user)
    if employee is not None:
        if booking.organizer_id == employee.pk:
            return True
        attendee_ids = getattr(booking, "_attendee_ids", None)
        if attendee_ids is None:
            attendee_ids = {a.pk for a in booking.attendees.all()}
        if employee.pk in attendee_ids:
            return True
    return is_room_admin(user) if admin is None else admin


def shown_title(user, booking: Booking, *, admin: bool | None = None) -> str:
    return booking.title if may_see_title(user, booking, admin=admin) else _("Booked")


def channel_title(booking: Booking) -> str:
    """What a channel (read by anyone) may show: never a private booking's title."""
    return _("Booked") if booking.is_private else booking.title


def bookings_for(user) -> QuerySet:
    """Bookings whose title ``user`` may read: for search and export (private ones only to
    their organizer, attendees and the admins)."""
    rows = Booking.objects.select_related("room", "organizer")
    if is_room_admin(user):
        return rows
    employee = employee_of(user)
    if employee is None:
        return rows.none()
    attending = Booking.attendees.through.objects.filter(employee=employee).values("booking_id")
    return rows.filter(Q(is_private=False) | Q(organizer=employee) | Q(pk__in=attending))
