"""Meeting-room pages: the timeline (day / week), my meetings, booking, rooms, CSV export."""

import csv
from datetime import timedelta
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from erp.audit.actor import Actor
from erp.audit.models import Source
from erp.audit.selectors import audit_trail
from erp.core.dates import day_label
from erp.core.errors import DomainError, error_text
from erp.core.spreadsheet import safe_cell
from erp.people.selectors import employee_of
from erp.workcalendar.calendar import KST

from .forms import (
    BadQuery,
    BookingForm,
    SeriesChangeForm,
    SeriesForm,
    day_bounds,
    initial_from,
    parse_day,
    parse_moment,
    week_start,
)
from .models import Booking, BookingSeries, PersonFeed, Room
from .selectors import (
    bookings_for,
    bookings_of,
    can_change,
    find_conflict,
    is_room_admin,
    shown_title,
)
from .services import (
    BookingConflict,
    SeriesRefused,
    booking_cancel,
    booking_create,
    booking_move,
    series_cancel,
    series_create,
    series_update,
    when,
)
from .services.rules import check_times
from .timeline_view import book_url, day_layout, week_layout

EXPORT_MAX_DAYS = 366


def answers_bad_query(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except BadQuery as exc:
            return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")

    return wrapper


def _employee_or_403(request):
    employee = employee_of(request.user)
    if employee is None:
        raise PermissionDenied(_("Your login has no employee profile."))
    return employee


def _viewer(request) -> dict:
    employee = employee_of(request.user)
    return {
        "user": request.user,
        "employee_id": employee.pk if employee else None,
        "admin": is_room_admin(request.user),
    }


@login_required
@require_GET
@answers_bad_query
def timeline_page(request):
    day = parse_day(request.GET.get("day"))
    week = request.GET.get("view") == "week"
    context = {"day": day, "week": week, "today": timezone.localdate()}
    if week:
        first = week_start(day)
        context.update(week_layout(first, **_viewer(request)))
        context.update(previous=first - timedelta(days=7), next=first + timedelta(days=7))
    else:
        context.update(day_layout(day, **_viewer(request)))
        context.update(previous=day - timedelta(days=1), next=day + timedelta(days=1))
    return render(request, "meetings/timeline.html", context)


@login_required
@require_GET
def my_meetings(request):
    employee = _employee_or_403(request)
    now = timezone.now()
    upcoming = list(bookings_of(employee, start=now)[:100])
    feed, _created = PersonFeed.objects.get_or_create(employee=employee)
    feed_url = request.build_absolute_uri(reverse("meetings:person-feed", args=[feed.token]))
    return render(request, "meetings/mine.html", {"bookings": upcoming, "feed_url": feed_url})


def _slot_asked(data) -> tuple:
    """(room, start, end) from the booking form's fields (room, day, start_time, end_time)
    or the short form (room, start, end as 2026-12-03T14:00); None for what is missing."""
    room_id = data.get("room", "")
    room = Room.objects.filter(pk=room_id, is_active=True).first() if room_id.isdigit() else None
    if data.get("day"):
        day = data["day"]
        start = parse_moment(f"{day}T{data['start_time']}") if data.get("start_time") else None
        end = parse_moment(f"{day}T{data['end_time']}") if data.get("end_time") else None
    else:
        start, end = parse_moment(data.get("start")), parse_moment(data.get("end"))
    return room, start, end


def _slot_verdict(request, room, start, end, exclude=None) -> dict:
    """Is ``room`` free from ``start`` to ``end``? {ok, message} plus, on a conflict, the
    nearest free slot and free rooms of the same size (the form offers them as links)."""
    if room is None or start is None or end is None:
        return {"ok": False, "incomplete": True, "message": _("Choose a room, a date and the times.")}
    try:
        check_times(start, end, source=Source.WEB)
    except ValidationError as exc:
        return {"ok": False, "message": error_text(exc)}
    conflict = find_conflict(room, start, end, exclude=exclude)
    if conflict is None:
        return {"ok": True, "message": _("%(room)s is free then.") % {"room": room.name}}
    refusal = BookingConflict(conflict=conflict, room=room, start=start, end=end, user=request.user, exclude=exclude)
    suggested = refusal.suggested
    return {
        "ok": False,
        "message": str(refusal),
        "suggested": suggested,
        "suggested_url": book_url(room, *suggested) if suggested else "",
        "suggested_when": when(*suggested) if suggested else "",
        "rooms": [(other, book_url(other, start, end)) for other in refusal.free_rooms],
    }


@login_required
@answers_bad_query
def book(request):
    """The booking form: prefilled from a timeline gap; refusals shown on the form.

    "Check availability" (the ``check`` button) answers on the same page without booking:
    the live check for browsers without JavaScript (with it, htmx asks ``check_slot``)."""
    employee = _employee_or_403(request)
    checking = request.method == "POST" and "check" in request.POST
    form = BookingForm(request.POST or None, initial=initial_from(request.GET))
    verdict = _slot_verdict(request, *_slot_asked(request.POST)) if checking else None
    if request.method == "POST" and not checking and form.is_valid():
        start, end = form.times()
        try:
            booking = booking_create(
                room=form.cleaned_data["room"],
                title=form.cleaned_data["title"],
                organizer=employee,
                start=start,
                end=end,
                attendees=form.cleaned_data["attendees"],
                is_private=form.cleaned_data["is_private"],
                client_place=form.cleaned_data["client_place"],
                by=Actor.for_request(request, source=Source.WEB),
            )
        except (DomainError, ValidationError) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(
                request, _("Booked %(room)s, %(when)s.") % {"room": booking.room, "when": when(start, end)}
            )
            return redirect("meetings:booking", pk=booking.pk)
    if checking:
        # The verdict only: the same values, unbound, so a title not typed yet is no error.
        form = BookingForm(initial={**request.POST.dict(), "attendees": request.POST.getlist("attendees")})
    return render(request, "meetings/book.html", {"form": form, "verdict": verdict})


@login_required
@require_GET
def check_slot(request):
    """Live feedback for the booking form: is this room free then?

    htmx (the form's fields, ``HX-Request``) gets the feedback fragment, always 200 so it is
    swapped in; other callers get JSON ({ok, message}, 400 when room or times are missing).
    Never a 500."""
    try:
        asked, bad = _slot_asked(request.GET), ""
    except BadQuery as exc:
        asked, bad = None, str(exc)
    exclude = request.GET.get("exclude", "")
    exclude = int(exclude) if exclude.isdigit() else None
    verdict = _slot_verdict(request, *asked, exclude=exclude) if asked else {"ok": False, "message": bad}
    if request.headers.get("HX-Request") == "true":
        return render(request, "meetings/_slot_feedback.html", {"verdict": verdict})
    status = 400 if asked is None or verdict.get("incomplete") else 200
    return JsonResponse({"ok": verdict["ok"], "message": verdict["message"]}, status=status)


@login_required
def booking_detail(request, pk: int):
    booking = get_object_or_404(Booking.objects.select_related("room", "organizer"), pk=pk)
    editable = can_change(request.user, booking) and booking.is_confirmed
    context = {
        "booking": booking,
        "title": shown_title(request.user, booking),
        "editable": editable,
        "attendees": list(booking.attendees.all()),
        "trail": audit_trail(booking) if editable else [],
        "rooms": Room.objects.filter(is_active=True).order_by("floor", "name"),
    }
    return render(request, "meetings/booking_detail.html", context)


@login_required
@require_POST
@answers_bad_query
def booking_action(request, pk: int):
    booking = get_object_or_404(Booking, pk=pk)
    by = Actor.for_request(request, source=Source.WEB)
    try:
        if request.POST.get("action") == "cancel":
            booking_cancel(booking=booking, by=by, reason=request.POST.get("reason", "")[:200])
            messages.success(request, _("The booking was cancelled."))
        else:
            start, end = parse_moment(request.POST.get("start")), parse_moment(request.POST.get("end"))
            room = (
                Room.objects.filter(pk=request.POST.get("room") or 0).first()
                if (request.POST.get("room", "").isdigit())
                else None
            )
            booking_move(booking=booking, start=start, end=end, room=room, by=by)
            messages.success(request, _("The booking was changed."))
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("You may not change this booking."))
    except (DomainError, ValidationError) as exc:
        messages.error(request, error_text(exc))
    return redirect("meetings:booking", pk=pk)


@login_required
@require_GET
@answers_bad_query
def room_page(request, pk: int):
    room = get_object_or_404(Room, pk=pk)
    first = week_start(parse_day(request.GET.get("day")))
    layout = week_layout(first, **_viewer(request))
    row = next((r for r in layout["rows"] if r["room"].pk == room.pk), None)
    context = {"room": room, "days": layout["days"], "row": row, "first": first}
    context["can_import"] = is_room_admin(request.user)
    context.update(previous=first - timedelta(days=7), next=first + timedelta(days=7))
    return render(request, "meetings/room.html", context)


@login_required
@require_GET
@answers_bad_query
def export_csv(request):
    """Bookings between ?from= and ?to= (KST dates, at most a year) the user may read, as CSV."""
    first = parse_day(request.GET.get("from"))
    last = parse_day(request.GET.get("to") or request.GET.get("from"))
    if last < first or (last - first).days > EXPORT_MAX_DAYS:
        return HttpResponse(
            _("Choose a period of at most %(days)d days.") % {"days": EXPORT_MAX_DAYS},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    start, _end = day_bounds(first)
    _start, end = day_bounds(last)
    rows = bookings_for(request.user).filter(start__gte=start, start__lt=end).order_by("start", "room__name")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meetings-{first}-{last}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 Korean correctly only with the BOM
    writer = csv.writer(response)
    writer.writerow([_("Room"), _("Floor"), _("Start"), _("End"), _("Title"), _("Organizer"), _("Status")])
    for booking in rows.iterator(chunk_size=1000):
        writer.writerow(
            [
                safe_cell(booking.room.name),
                safe_cell(booking.room.floor),
                booking.start.astimezone(KST).strftime("%Y-%m-%d %H:%M"),
                booking.end.astimezone(KST).strftime("%Y-%m-%d %H:%M"),
                safe_cell(booking.title),
                safe_cell(booking.organizer.display_name),
                booking.get_status_display(),
            ]
        )
    return response


@login_required
def ics_upload(request, pk: int):
    """A room admin uploads an .ics file: its events become the room's bookings (ICS source)."""
    from .models import CalendarSource
    from .services.sync import ics_import

    room = get_object_or_404(Room, pk=pk)
    if not is_room_admin(request.user):
        raise PermissionDenied(_("Only room admins can import calendars."))
    result = error = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = _("Choose an .ics file.")
        else:
            source, _created = CalendarSource.objects.get_or_create(
                room=room, kind="ics", address="upload", defaults={"default_organizer": employee_of(request.user)}
            )
            try:
                result = ics_import(source, upload.read(), organizer=employee_of(request.user))
            except ValidationError as exc:
                error = error_text(exc)
    return render(request, "meetings/ics_upload.html", {"room": room, "result": result, "error": error})


def _series_problems(refusal) -> list[dict]:
    return [{"when": when(start, end), "why": why} for start, end, why in refusal.problems]


@login_required
def series_new(request):
    """A recurring meeting: every occurrence is checked; one that cannot be booked refuses
    the whole series, with every such date listed on the form."""
    employee = _employee_or_403(request)
    form = SeriesForm(request.POST or None, initial=initial_from(request.GET))
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            series = series_create(
                room=form.cleaned_data["room"],
                title=form.cleaned_data["title"],
                organizer=employee,
                rrule=form.rrule(),
                first_start=form.first_start(),
                duration_minutes=form.duration_minutes(),
                until=form.expand_until(),
                attendees=form.cleaned_data["attendees"],
                is_private=form.cleaned_data["is_private"],
                by=Actor.for_request(request, source=Source.WEB),
            )
        except SeriesRefused as exc:
            problems = _series_problems(exc)
            form.add_error(None, _("Nothing was booked: these dates cannot be."))
        except (DomainError, ValidationError) as exc:
            form.add_error(None, error_text(exc))
        else:
            count = series.bookings.count()
            text = _("Booked %(count)d meetings of “%(title)s”.") % {"count": count, "title": series.title}
            if series.skipped:
                days = ", ".join(day_label(start) for start in series.skipped)
                text += " " + _("Days off left out: %(days)s.") % {"days": days}
            messages.success(request, text)
            return redirect("meetings:series", pk=series.pk)
    return render(request, "meetings/series_new.html", {"form": form, "problems": problems})


def _series_or_404(request, pk: int):
    series = get_object_or_404(BookingSeries.objects.select_related("room", "organizer"), pk=pk)
    bookings = list(series.bookings.select_related("room").order_by("start"))
    sample = bookings[0] if bookings else None
    editable = sample is not None and can_change(request.user, sample)
    title = shown_title(request.user, sample) if sample else series.title
    return series, bookings, editable, title


@login_required
def series_detail(request, pk: int):
    series, bookings, editable, title = _series_or_404(request, pk)
    now = timezone.now()
    upcoming = [b for b in bookings if b.is_confirmed and b.start >= now]
    form = problems = None
    if editable:
        first = upcoming[0] if upcoming else None
        initial = {"title": series.title, "room": series.room_id}
        if first is not None:
            initial.update(start_time=first.start.astimezone(KST).time(), end_time=first.end.astimezone(KST).time())
        form = SeriesChangeForm(request.POST or None, initial=initial)
        problems = []
        if request.method == "POST":
            by = Actor.for_request(request, source=Source.WEB)
            try:
                if request.POST.get("action") == "cancel":
                    count = series_cancel(series=series, by=by)
                    text = ngettext(
                        "Cancelled %(count)d upcoming meeting.", "Cancelled %(count)d upcoming meetings.", count
                    )
                    messages.success(request, text % {"count": count})
                    return redirect("meetings:series", pk=pk)
                if form.is_valid():
                    data = form.cleaned_data
                    count = series_update(
                        series=series, by=by, title=data["title"], room=data["room"],
                        start_time=data["start_time"], end_time=data["end_time"],
                    )  # fmt: skip
                    text = ngettext(
                        "Changed %(count)d upcoming meeting.", "Changed %(count)d upcoming meetings.", count
                    )
                    messages.success(request, text % {"count": count})
                    return redirect("meetings:series", pk=pk)
            except SeriesRefused as exc:
                problems = _series_problems(exc)
                form.add_error(None, _("Nothing was changed: these dates cannot be."))
            except PermissionDenied as exc:
                form.add_error(None, str(exc) or _("You may not change this booking."))
            except (DomainError, ValidationError) as exc:
                form.add_error(None, error_text(exc))
    elif request.method == "POST":
        raise PermissionDenied(_("Only the organizer or a room admin can change this booking."))
    context = {"series": series, "title": title, "bookings": bookings, "upcoming": upcoming, "now": now}
    context.update(editable=editable, form=form, problems=problems)
    return render(request, "meetings/series.html", context)
