"""Dates and times as people read them in a message: ``11월 20일 (금) 09:02`` (korean.md §4).

One formatter for every Slack message (and any other text a person reads outside a table), so
a ticket's due time, an attendance day, a leave request and a meeting read alike. Always in
KST, whatever the server's zone; English readers get the same shape, ``Nov 20 (Fri) 09:02``.
ISO dates stay for tables, exports and machine keys.

The patterns are Django date formats looked up in the catalog (msgctxt "message date format"),
so the weekday and month names follow the reader's language.
"""

from datetime import date, datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from erp.workcalendar.calendar import KST


def _local(moment: datetime) -> datetime:
    return moment.astimezone(KST) if moment.tzinfo is not None else moment


def day_label(day: date | datetime, *, year: bool = False) -> str:
    """``11월 20일 (금)``; with ``year`` ``2027년 1월 4일 (월)`` (for days far from today, e.g.
    the end of a leave year). English: ``Nov 20 (Fri)``, ``Jan 4, 2027 (Mon)``."""
    if isinstance(day, datetime):
        day = _local(day).date()
    if year:
        # Translators: a Django date format; Korean writes "Y년 n월 j일 (D)".
        return date_format(day, pgettext("message date format", "M j, Y (D)"))
    # Translators: a Django date format; Korean writes "n월 j일 (D)".
    return date_format(day, pgettext("message date format", "M j (D)"))


def time_label(moment: datetime | None, *, seconds: bool = False) -> str:
    """``09:02`` (24-hour, as attendance reads it) in KST; "—" when there is no time."""
    if moment is None:
        return "—"
    return date_format(_local(moment), "H:i:s" if seconds else "H:i")


def moment_label(moment: datetime | None, *, seconds: bool = False, year: bool = False) -> str:
    """``11월 20일 (금) 09:02`` in KST; "—" when there is no moment."""
    if moment is None:
        return "—"
    local = _local(moment)
    return f"{day_label(local, year=year)} {time_label(local, seconds=seconds)}"


def range_label(first: date, last: date, *, year: bool = False) -> str:
    """``11월 20일 (금) ~ 11월 22일 (일)``, or one day when ``first`` is ``last``."""
    if first == last:
        return day_label(first, year=year)
    return _("%(first)s – %(last)s") % {"first": day_label(first, year=year), "last": day_label(last, year=year)}


def span_label(start: datetime, end: datetime) -> str:
    """``12월 3일 (목) 14:00~15:00`` (the end's day too when it is another day)."""
    local_start, local_end = _local(start), _local(end)
    last = time_label(local_end) if local_end.date() == local_start.date() else moment_label(local_end)
    return f"{moment_label(local_start)}~{last}"
