"""The App Home section: my meetings today, and a button that opens the booking modal."""

from django.utils import timezone

from meetings.selectors import bookings_on

from .blocks import home_section


def meetings_section(who) -> list[dict]:
    day = timezone.localdate()
    return home_section(list(bookings_on(who.employee, day)[:10]), day)
