"""The booking form and the timeline's query parameters."""

from datetime import date, datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from erp.people.models import Employee
from erp.workcalendar.calendar import KST

from .models import Room


class BadQuery(ValueError):
    """A malformed query-string value: answered 400 with the message."""


def parse_day(value: str | None) -> date:
    if not value:
        return timezone.localdate()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadQuery(_("“%(value)s” is not a date like 2026-12-03.") % {"value": value[:20]}) from None


def parse_moment(value: str | None) -> datetime | None:
    """``2026-12-03T14:00`` (KST wall time) or an ISO moment with offset."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise BadQuery(_("“%(value)s” is not a time like 2026-12-03T14:00.") % {"value": value[:25]}) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=KST)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


class BookingForm(forms.Form):
    room = forms.ModelChoiceField(
        label=gettext_lazy("Room"), queryset=Room.objects.filter(is_active=True).order_by("floor", "name")
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    day = forms.DateField(label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label=gettext_lazy("Start"), widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label=gettext_lazy("End"), widget=forms.TimeInput(attrs={"type": "time"}))
    attendees = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Attendees"),
        queryset=Employee.objects.filter(user__is_active=True).order_by("display_name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    is_private = forms.BooleanField(
        label=gettext_lazy("Hide the title from others"),
        required=False,
        help_text=gettext_lazy("Others see “Booked”."),
    )
    client_place = forms.CharField(
        label=gettext_lazy("Client site"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("For a meeting at a client (고객사 미팅): that day's attendance location is prefilled."),
    )

    def times(self) -> tuple[datetime, datetime]:
        day = self.cleaned_data["day"]
        start = datetime.combine(day, self.cleaned_data["start_time"], KST)
        end = datetime.combine(day, self.cleaned_data["end_time"], KST)
        return start, end


def initial_from(query) -> dict:
    """Prefill from a click on a free gap: ?room=3&start=2026-12-03T14:00&end=…"""
    initial = {}
    start, end = parse_moment(query.get("start")), parse_moment(query.get("end"))
    if start:
        local = start.astimezone(KST)
        initial.update(day=local.date(), start_time=local.time().replace(second=0, microsecond=0))
        end = end or start + timedelta(hours=1)
    if end:
        initial["end_time"] = end.astimezone(KST).time().replace(second=0, microsecond=0)
    if query.get("room", "").isdigit():
        initial["room"] = int(query["room"])
    return initial


def day_bounds(day: date, days: int = 1) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), KST)
    return start, start + timedelta(days=days)
