"""Reading an ICS calendar (RFC 5545) into ExternalEvents for one room.

``recurring_ical_events`` expands RRULE series and applies EXDATE and RECURRENCE-ID
overrides (and X-WR-TIMEZONE); an overridden instance that is cancelled still comes back
with STATUS:CANCELLED, so it is passed on as a cancellation. Each instance is keyed
``UID@<original start, UTC>`` — the same key whether the instance was moved or not, so
moving an instance in the source moves its booking here instead of creating a second one.
All-day events occupy the room from 00:00 to 24:00 KST of each day.
"""

from datetime import date, datetime, time, timedelta

import recurring_ical_events
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from icalendar import Calendar

from erp.workcalendar.calendar import KST

from .external import ExternalEvent

MAX_BYTES = 5 * 1024 * 1024
MAX_INSTANCES = 20000


def _moment(value) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=KST)  # floating time: the company's zone
    if isinstance(value, date):
        return datetime.combine(value, time(0), KST)
    raise ValueError(f"not a date or time: {value!r}")


def parse_calendar(data: bytes) -> Calendar:
    if len(data) > MAX_BYTES:
        raise ValidationError(_("The calendar file is too large (at most 5 MB)."))
    try:
        calendar = Calendar.from_ical(data)
    except (ValueError, IndexError, KeyError) as exc:
        raise ValidationError(_("This is not a readable ICS calendar: %(error)s") % {"error": str(exc)[:200]}) from exc
    if getattr(calendar, "name", "") != "VCALENDAR":
        raise ValidationError(_("This is not a readable ICS calendar: %(error)s") % {"error": "no VCALENDAR"})
    return calendar


def events_from_ics(data: bytes, *, start: datetime, end: datetime) -> list[ExternalEvent]:
    """The event instances overlapping [start, end), cancelled ones included as such."""
    calendar = parse_calendar(data)
    recurring_uids = {str(c.get("UID")) for c in calendar.walk("VEVENT") if c.get("RRULE") or c.get("RECURRENCE-ID")}
    try:
        instances = recurring_ical_events.of(calendar, skip_bad_series=True).between(start, end)
    except Exception as exc:  # the library raises many kinds on broken rules; all mean "bad input"
        raise ValidationError(_("This is not a readable ICS calendar: %(error)s") % {"error": str(exc)[:200]}) from exc
    events = []
    for component in instances[:MAX_INSTANCES]:
        uid = str(component.get("UID") or "").strip()
        if not uid or component.get("DTSTART") is None:
            continue
        first = _moment(component.get("DTSTART").dt)
        if component.get("DTEND") is not None:
            last = _moment(component.get("DTEND").dt)
        elif component.get("DURATION") is not None:
            last = first + component.get("DURATION").dt
        else:
            last = first + (
                timedelta(days=1) if not isinstance(component.get("DTSTART").dt, datetime) else timedelta(0)
            )
        if uid in recurring_uids:
            recurrence = component.get("RECURRENCE-ID")
            original = _moment(recurrence.dt) if recurrence is not None else first
            key = f"{uid}@{original.astimezone(KST).strftime('%Y%m%dT%H%M%S')}"
        else:
            key = uid
        status = str(component.get("STATUS") or "CONFIRMED").upper()
        events.append(
            ExternalEvent(
                external_id=key[:255],
                title=str(component.get("SUMMARY") or "").strip()[:200],
                start=first,
                end=last,
                cancelled=status == "CANCELLED",
                is_private=str(component.get("CLASS") or "").upper() in ("PRIVATE", "CONFIDENTIAL"),
                organizer_email=str(component.get("ORGANIZER") or "").removeprefix("mailto:").removeprefix("MAILTO:"),
                sequence=int(component.get("SEQUENCE") or 0),
            )
        )
    return events
