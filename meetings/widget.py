"""The meetings card on the portal home (erp.history.widgets): the rooms right now — how many are
in use and free, and what is on in each busy room — and the viewer's own meetings still to come
today (as organizer or attendee), each a link to its booking, the week page below.

Privacy: a private booking's title only to its organizer, attendees and the room admins
(meetings.selectors.shown_title), everybody else reads "예약됨". Bounded: one count of the
rooms, one of the busy rooms, the first few bookings on now and the viewer's few left today.
"""

from datetime import datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from erp.history.widgets import ROLES, LinkList, Widget, WidgetData
from erp.people.selectors import employee_of
from erp.workcalendar.calendar import KST

from .models import Room
from .selectors import bookings_of, is_room_admin, overlapping, shown_title

SHOWN = 5


def _hm(moment) -> str:
    return f"{timezone.localtime(moment, KST):%H:%M}"


def todays_meetings(user) -> WidgetData | None:
    rooms = Room.objects.filter(is_active=True).count()
    if not rooms:
        return None  # the company does not book rooms here: no card
    employee = employee_of(user)
    now = timezone.now()
    admin = is_room_admin(user)
    current = overlapping(now, now + timedelta(seconds=1)).filter(room__is_active=True)
    busy = current.values("room_id").distinct().count()  # counted in SQL, only SHOWN rows are read
    on_now = list(
        current.select_related("room")
        .prefetch_related("attendees")  # for may_see_title on private bookings, one query
        .order_by("room__name", "start")[:SHOWN]
    )
    in_use = LinkList(
        _("In use now"),
        [
            (
                _("%(room)s · %(title)s · until %(time)s")
                % {"room": b.room.name, "title": shown_title(user, b, admin=admin), "time": _hm(b.end)},
                reverse("meetings:booking", args=[b.pk]),
            )
            for b in on_now
        ],
    )
    lists = [in_use]
    if employee is not None:
        mine = LinkList(_("My meetings left today"), empty=_("No more meetings today."))
        tomorrow = datetime.combine(timezone.localtime(now, KST).date() + timedelta(days=1), time.min, KST)
        # bookings_of: only those the viewer organizes or attends, so the title is theirs to see.
        for booking in bookings_of(employee, start=now, end=tomorrow)[:SHOWN]:
            text = f"{_hm(booking.start)}~{_hm(booking.end)} · {booking.room.name} · {booking.title}"
            mine.rows.append((text, reverse("meetings:booking", args=[booking.pk])))
        lists.insert(0, mine)
    return WidgetData(
        figures=[(_("Rooms in use now"), busy), (_("Free rooms now"), max(rooms - busy, 0))],
        lists=lists,
        link=(_("Meeting rooms this week"), reverse("meetings:timeline")),
    )


WIDGET = Widget("meetings.today", gettext_lazy("Today's meetings"), todays_meetings, roles=ROLES, order=15)
