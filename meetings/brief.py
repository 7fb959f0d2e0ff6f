"""The meetings section of the morning brief (erp.history.brief): the team's meetings today —
the confirmed bookings a member of the team organizes or attends — by room.

Privacy: a count, room names and the titles of bookings that are not private (personal data
masked); a private booking is counted, never named, and no time of day is shown (the
brief's rule: a team channel can have guests, and the day's plan is in the portal).
"""

from datetime import datetime, time, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from erp.core.pii import mask_pii
from erp.history.brief import BriefPart, BriefSection
from erp.workcalendar.calendar import KST

from .models import Booking, Status

LABEL = gettext_lazy("Today's meetings")
SHOWN = 6


def meetings_brief(department, day) -> BriefPart | None:
    start = datetime.combine(day, time.min, KST)
    team = Q(organizer__department=department) | Q(attendees__department=department)
    ids = (
        Booking.objects.filter(start__gte=start, start__lt=start + timedelta(days=1), status=Status.CONFIRMED)
        .filter(team)
        .values_list("pk", flat=True)
        .distinct()
    )
    bookings = list(Booking.objects.filter(pk__in=list(ids)).select_related("room").order_by("start", "pk"))
    if not bookings:
        return None
    lines = [_("Today's meetings: %(count)d") % {"count": len(bookings)}]
    for booking in bookings[:SHOWN]:
        title = _("Private meeting") if booking.is_private else mask_pii(booking.title)[:60]
        lines.append(f"· {booking.room.name} — {title}")
    if len(bookings) > SHOWN:
        lines.append(_("… and %(count)d more") % {"count": len(bookings) - SHOWN})
    return BriefPart(lines=lines, link=(_("Meeting rooms"), reverse("meetings:timeline")))


# Stands in for the room agenda posted to an opted-in team's channel (integrations/slack/meetings).
BRIEF_SECTION = BriefSection("meetings", LABEL, meetings_brief, order=60, replaces=("meetings.agenda",))
