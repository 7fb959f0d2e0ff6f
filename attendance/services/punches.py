"""Single punches from people: check-in / check-out from Slack, the web, the API or an admin."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from erp.audit.actor import Actor, as_actor
from erp.audit.services import audit_record
from erp.core.errors import ConflictError
from erp.people.models import Employee
from erp.workcalendar.calendar import KST

from ..conf import company_break_rules
from ..derivation import local_date
from ..models import DayState, Direction, Location, Punch, PunchSource, WorkDay
from ..selectors import AttendanceStatus, attendance_status, on_break_since, open_work_day
from ..signals import punch_recorded
from .derive import lock_employees
from .ingest import has_control_characters
from .weekly import after_punches

# Tolerated clock difference between a client and the server for "now" punches.
_CLOCK_SKEW = timedelta(minutes=2)
PLACE_MAX_LENGTH = 100


@dataclass(frozen=True)
class PunchResult:
    punch: Punch
    work_day: WorkDay | None
    status: AttendanceStatus


def punch_source(actor: Actor) -> str:
    """The punch source for an actor; system jobs count as admin entries."""
    return actor.source if actor.source in PunchSource.values else PunchSource.ADMIN


def _local_time(moment: datetime) -> str:
    return date_format(moment.astimezone(KST), "H:i")


def _validate(employee: Employee, at: datetime, now: datetime) -> None:
    if employee is None or not employee.user.is_active:
        raise ValidationError(_("This person is not an active employee."))
    if timezone.is_naive(at):
        raise ValidationError(_("The time needs a time zone."))
    if at > now + _CLOCK_SKEW:
        raise ValidationError(_("A punch cannot be in the future."))


def _record(*, employee: Employee, direction: str, at: datetime, location: str, place: str, actor: Actor, now):
    punch = Punch.objects.create(
        source=punch_source(actor),
        employee=employee,
        employee_identifier=employee.employee_no or "",
        at=at,
        direction=direction,
        location=location,
        place=place,
        raw={"source": actor.source, **{k: str(v) for k, v in actor.context.items()}},
        entered_by=actor.user if getattr(actor.user, "pk", None) else None,
    )
    action = {
        Direction.IN: "checked_in",
        Direction.OUT: "checked_out",
        Direction.BREAK_START: "break_started",
        Direction.BREAK_END: "break_ended",
    }.get(direction, "punched")
    audit_record(punch, action, by=actor, location=location, place=place, at=at)
    after_punches({employee.pk: {local_date(at)}}, punches_by_key={(employee.pk, at): punch}, by=actor, now=now)
    work_day = (
        WorkDay.objects.filter(employee=employee, first_in__lte=at, date__gte=local_date(at) - timedelta(days=1))
        .order_by("-date")
        .first()
    )
    punch_recorded.send(sender=Punch, punch=punch, work_day=work_day, by=actor)
    return PunchResult(punch, work_day, attendance_status(employee, now=max(now, at)))


def attendance_check_in(
    *, employee: Employee, location: str = Location.OFFICE, place: str = "", at: datetime | None = None, by
) -> PunchResult:
    """Check ``employee`` in at ``at`` (default now) from ``location`` (+ place for a client site).

    Side effects: a Punch (source from ``by``), an audit event, re-derived work day, the
    ``checked_in`` / weekly signals (→ Slack DMs) and ``punch_recorded``; all in one transaction.
    Refused (ConflictError) while a shift is already open, so a double tap cannot restart the day.
    """
    actor = as_actor(by)
    now = timezone.now()
    at = at or now
    place = (place or "").strip()
    _validate(employee, at, now)
    if location not in Location.values:
        raise ValidationError(_("Choose office, remote or client site."))
    if location == Location.CLIENT and not place:
        raise ValidationError(_("Say which client site you are at."))
    if len(place) > PLACE_MAX_LENGTH:
        raise ValidationError(_("The place is too long (at most %(n)d characters).") % {"n": PLACE_MAX_LENGTH})
    if has_control_characters(place):
        # PostgreSQL text cannot hold NUL; other control characters are never part of a place.
        raise ValidationError(_("The place cannot contain control characters."))
    with transaction.atomic():
        lock_employees([employee.pk])
        current = open_work_day(employee, at)
        if current is not None:
            raise ConflictError(
                _("You are already checked in since %(time)s.") % {"time": _local_time(current.first_in)},
                code="already_checked_in",
            )
        return _record(
            employee=employee, direction=Direction.IN, at=at, location=location, place=place, actor=actor, now=now
        )


def attendance_check_out(*, employee: Employee, at: datetime | None = None, by) -> PunchResult:
    """Check ``employee`` out at ``at`` (default now), closing the open shift (also one that
    started yesterday, before the cut-off hour). Checking out again later the same day moves the
    check-out time (people go back to work). Same side effects as check-in, with ``checked_out``.
    """
    actor = as_actor(by)
    now = timezone.now()
    at = at or now
    _validate(employee, at, now)
    with transaction.atomic():
        lock_employees([employee.pk])
        current = open_work_day(employee, at)
        if current is None:
            current = (
                WorkDay.objects.filter(employee=employee, date=local_date(at), state=DayState.DONE)
                .exclude(first_in=None)
                .first()
            )
        if current is None:
            raise ConflictError(_("You have not checked in today."), code="not_checked_in")
        if current.first_in and at <= current.first_in:
            raise ValidationError(_("The check-out must be after the check-in."))
        return _record(
            employee=employee,
            direction=Direction.OUT,
            at=at,
            location=current.location,
            place=current.place,
            actor=actor,
            now=now,
        )


def punch_add(
    *, employee: Employee, at: datetime, direction: str, location: str = Location.OFFICE, place: str = "", by
) -> PunchResult:
    """An admin enters a punch for someone (e.g. the reader was broken). No open-shift checks:
    the derivation rules place it. Same side effects as check-in/out; source admin by default."""
    actor = as_actor(by, source=PunchSource.ADMIN)
    now = timezone.now()
    _validate(employee, at, now)
    if direction not in Direction.values or location not in Location.values:
        raise ValidationError(_("Choose a direction and a location."))
    with transaction.atomic():
        lock_employees([employee.pk])
        return _record(
            employee=employee, direction=direction, at=at, location=location, place=place.strip(), actor=actor, now=now
        )


def _break_punch(*, employee: Employee, direction: str, at: datetime | None, by) -> PunchResult:
    """A break start / end in the open shift, when the company records breaks by punches."""
    actor = as_actor(by)
    now = timezone.now()
    at = at or now
    _validate(employee, at, now)
    if not company_break_rules().uses_punches:
        raise ValidationError(
            _("Breaks are not recorded by punches here: the company deducts them from the time present.")
        )
    with transaction.atomic():
        lock_employees([employee.pk])
        current = open_work_day(employee, at)
        if current is None or current.first_in is None:
            raise ConflictError(_("You have not checked in today."), code="not_checked_in")
        if at <= current.first_in:
            raise ValidationError(_("A break must be after the check-in."))
        since = on_break_since(employee, current)
        if direction == Direction.BREAK_START and since is not None:
            raise ConflictError(
                _("You are already on a break since %(time)s.") % {"time": _local_time(since)}, code="on_break"
            )
        if direction == Direction.BREAK_END and since is None:
            raise ConflictError(_("You are not on a break."), code="not_on_break")
        if since is not None and at <= since:
            raise ValidationError(_("The break must end after it started."))
        return _record(
            employee=employee,
            direction=direction,
            at=at,
            location=current.location,
            place=current.place,
            actor=actor,
            now=now,
        )


def attendance_break_start(*, employee: Employee, at: datetime | None = None, by) -> PunchResult:
    """Start a break in the open shift (break punches policy only). Refused while on a break or
    checked out. Side effects as check-in: Punch, audit event ``break_started``, re-derived day."""
    return _break_punch(employee=employee, direction=Direction.BREAK_START, at=at, by=by)


def attendance_break_end(*, employee: Employee, at: datetime | None = None, by) -> PunchResult:
    """End the current break; the day's break minutes grow by it (``break_ended``)."""
    return _break_punch(employee=employee, direction=Direction.BREAK_END, at=at, by=by)
