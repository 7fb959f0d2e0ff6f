"""What each booking contributes to the room-usage report (erp.history rollups), by KST day.

Cells on the day the booking starts (scope = the room):
- ``booked`` for a booking that held the room (confirmed, or released as a no-show), value =
  its length in minutes (→ hours booked per room);
- ``checked_in`` once someone checked in; ``no_show`` for a booking released because nobody
  did; ``cancelled`` for a cancelled one.
Changes arrive through the booking signals (every write goes through meetings.services, which
sends them inside its transaction). Figures only: no title or person enters the rollup.
"""

from django.db.models import DurationField, ExpressionWrapper, F
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from erp.history.rollups import Cell, Rollup
from erp.workcalendar.calendar import KST

from . import signals
from .models import Booking, Status

CHANGE_SIGNALS = (
    signals.booking_created,
    signals.booking_moved,
    signals.booking_cancelled,
    signals.booking_checked_in,
    signals.booking_released,
)


def booking_records():
    return Booking.objects.annotate(
        day=TruncDate("start", tzinfo=KST),
        length=ExpressionWrapper(F("end") - F("start"), output_field=DurationField()),
    ).values("id", "room_id", "status", "day", "length", "checked_in_at")


def booking_cells(row: dict) -> list[Cell]:
    day, room = row["day"], row["room_id"]
    if row["status"] == Status.CANCELLED:
        return [Cell("cancelled", day, room)]
    cells = [Cell("booked", day, room, value=round(max(row["length"].total_seconds(), 0) / 60, 1))]
    if row["checked_in_at"]:
        cells.append(Cell("checked_in", day, room))
    if row["status"] == Status.RELEASED:
        cells.append(Cell("no_show", day, room))
    return cells


def _changed_booking(booking, **_ignored):
    return [booking.pk]


BOOKING_ROLLUP = Rollup(
    key="meetings",
    label=_("Meeting rooms"),
    records=booking_records,
    contribute=booking_cells,
    signals=tuple((signal, _changed_booking) for signal in CHANGE_SIGNALS),
)
