"""Meetings in the history search: bookings found by their title (Korean bigram index).

A private booking is found only by those who may read its title (bookings_for), so a
search can never reveal "인사 면담" to someone who sees "예약됨" on the timeline.
"""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from erp.core.search import SearchSource
from erp.workcalendar.calendar import KST

from ..models import Booking
from .access import bookings_for


def _title(booking: Booking) -> str:
    return gettext("%(title)s · %(room)s") % {"title": booking.title, "room": booking.room.name}


def _summary(booking: Booking) -> str:
    return gettext("%(when)s, organized by %(name)s") % {
        "when": date_format(booking.start.astimezone(KST), "Y-m-d (D) H:i"),
        "name": booking.organizer.display_name,
    }


def _url(booking: Booking) -> str:
    return reverse("meetings:booking", args=[booking.pk])


BOOKING_SOURCE = SearchSource(
    key="meetings_bookings",
    label=_("Meeting-room bookings"),
    model=Booking,
    fields=("title",),
    for_user=bookings_for,
    title=_title,
    summary=_summary,
    url=_url,
    date_field="start",
    select_related=("room", "organizer"),
    order=30,
)
