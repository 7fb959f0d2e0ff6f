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


class SeriesForm(forms.Form):
    """A recurring meeting: the first date and times, weekly or every two weeks, until a date
    or for a number of meetings. Every occurrence is checked before anything is booked."""

    MAX_COUNT = 100

    room = BookingForm.base_fields["room"]
    title = BookingForm.base_fields["title"]
    day = forms.DateField(label=gettext_lazy("First date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = BookingForm.base_fields["start_time"]
    end_time = BookingForm.base_fields["end_time"]
    interval = forms.TypedChoiceField(
        label=gettext_lazy("Repeats"),
        choices=[(1, gettext_lazy("Every week")), (2, gettext_lazy("Every two weeks"))],
        coerce=int,
        initial=1,
    )
    ends = forms.ChoiceField(
        label=gettext_lazy("Ends"),
        choices=[("until", gettext_lazy("On a date")), ("count", gettext_lazy("After a number of meetings"))],
        widget=forms.RadioSelect,
        initial="until",
    )
    until = forms.DateField(
        label=gettext_lazy("Last date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    count = forms.IntegerField(
        label=gettext_lazy("Number of meetings"), required=False, min_value=2, max_value=MAX_COUNT
    )
    attendees = BookingForm.base_fields["attendees"]
    is_private = BookingForm.base_fields["is_private"]

    def clean(self):
        data = super().clean()
        if data.get("start_time") and data.get("end_time") and data["end_time"] <= data["start_time"]:
            self.add_error("end_time", _("The end must be after the start."))
        if data.get("ends") == "until":
            if not data.get("until"):
                self.add_error("until", _("Give the last date."))
            elif data.get("day") and data["until"] < data["day"]:
                self.add_error("until", _("The last date must not be before the first one."))
        elif data.get("ends") == "count" and not data.get("count"):
            self.add_error("count", _("Give the number of meetings."))
        return data

    def first_start(self) -> datetime:
        return datetime.combine(self.cleaned_data["day"], self.cleaned_data["start_time"], KST)

    def duration_minutes(self) -> int:
        day = self.cleaned_data["day"]
        length = datetime.combine(day, self.cleaned_data["end_time"]) - datetime.combine(
            day, self.cleaned_data["start_time"]
        )
        return int(length.total_seconds() // 60)

    def rrule(self) -> str:
        rule = f"FREQ=WEEKLY;INTERVAL={self.cleaned_data['interval']}"
        return rule + (f";COUNT={self.cleaned_data['count']}" if self.cleaned_data["ends"] == "count" else "")

    def expand_until(self) -> datetime:
        """The exclusive end of the expansion: the day after the last date, or past the
        COUNT-th week (the rule stops itself there)."""
        if self.cleaned_data["ends"] == "until":
            return datetime.combine(self.cleaned_data["until"] + timedelta(days=1), time(0), KST)
        weeks = self.cleaned_data["count"] * self.cleaned_data["interval"]
        return self.first_start() + timedelta(weeks=weeks, days=1)


class SeriesChangeForm(forms.Form):
    """Edit every upcoming occurrence of a series: title, room, times (blank keeps them)."""

    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    room = BookingForm.base_fields["room"]
    start_time = BookingForm.base_fields["start_time"]
    end_time = BookingForm.base_fields["end_time"]

    def clean(self):
        data = super().clean()
        if data.get("start_time") and data.get("end_time") and data["end_time"] <= data["start_time"]:
            self.add_error("end_time", _("The end must be after the start."))
        return data
