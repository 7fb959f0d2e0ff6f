"""Remembering cancelled and moved occurrences of a recurring meeting (by original start)."""

from ..models import Booking, ExceptionKind, SeriesException


def remember_exception(booking: Booking, *, moved: bool) -> None:
    """Called by the booking services when an occurrence is moved or cancelled."""
    kind = ExceptionKind.MOVED if moved else ExceptionKind.CANCELLED
    SeriesException.objects.update_or_create(
        series_id=booking.series_id, original_start=booking.original_start or booking.start, defaults={"kind": kind}
    )
