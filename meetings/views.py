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
from django.views.decorators.http import require_GET, require_POST

from erp.audit.actor import Actor
from erp.audit.models import Source
from erp.audit.selectors import audit_trail
from erp.core.errors import DomainError, error_text
from erp.core.spreadsheet import safe_cell
from erp.people.selectors import employee_of
from erp.workcalendar.calendar import KST

from .forms import BadQuery, BookingForm, day_bounds, initial_from, parse_day, parse_moment, week_start
from .models import Booking, PersonFeed, Room
from .selectors import (
    bookings_for,
    bookings_of,
    can_change,
    find_conflict,
    free_rooms,
    is_room_admin,
    nearest_free_slot,
    shown_title,
)
from .services import BookingConflict, booking_cancel, booking_create, booking_move, when
from .services.rules import check_times
from .timeline_view import day_layout, week_layout

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


def _conflict_context(request, room, start, end, exclude=None) -> dict | None:
    conflict = find_conflict(room, start, end, exclude=exclude)
    if conflict is None:
        return None
    return {
        "booking": conflict,
        "title": shown_title(request.user, conflict),
        "suggested": nearest_free_slot(room, start, end, exclude=exclude),
        "rooms": list(free_rooms(start, end, capacity=room.capacity, exclude_room=room)[:3]),
    }


@login_required
@answers_bad_query
def book(request):
    """The booking form: prefilled from a timeline gap; refusals shown on the form."""
    employee = _employee_or_403(request)
    form = BookingForm(request.POST or None, initial=initial_from(request.GET))
    if request.method == "POST" and form.is_valid():
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
    return render(request, "meetings/book.html", {"form": form})


@login_required
@require_GET
@answers_bad_query
def check_slot(request):
    """Live feedback for the booking form: is this room free then? (JSON, never 500)."""
    room = (
        Room.objects.filter(pk=request.GET.get("room") or 0, is_active=True).first()
        if (request.GET.get("room", "").isdigit())
        else None
    )
    start, end = parse_moment(request.GET.get("start")), parse_moment(request.GET.get("end"))
    if room is None or start is None or end is None:
        return JsonResponse({"ok": False, "message": _("Choose a room, a date and the times.")}, status=400)
    try:
        check_times(start, end, source=Source.WEB)
    except ValidationError as exc:
        return JsonResponse({"ok": False, "message": error_text(exc)})
    exclude = request.GET.get("exclude")
    exclude = int(exclude) if exclude and exclude.isdigit() else None
    conflict = _conflict_context(request, room, start, end, exclude=exclude)
    if conflict is None:
        return JsonResponse({"ok": True, "message": _("%(room)s is free then.") % {"room": room.name}})
    return JsonResponse(
        {
            "ok": False,
            "message": str(
                BookingConflict(
                    conflict=conflict["booking"], room=room, start=start, end=end, user=request.user, exclude=exclude
                )
            ),
        }
    )


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


def home_panel_context(request) -> dict | None:
    """The home page's card: my meetings today (None hides it for logins without an employee)."""
    employee = employee_of(request.user)
    if employee is None:
        return None
    start, end = day_bounds(timezone.localdate())
    return {"bookings": list(bookings_of(employee, start=start, end=end)[:10])}


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
