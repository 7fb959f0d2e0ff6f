"""Meeting rooms and their bookings.

* ``Room``: a bookable room (floor, capacity, equipment, optional Google resource e-mail and
  Slack channel for its notices).
* ``Booking``: one occupation of one room, start/end stored in UTC and shown in KST. Only
  CONFIRMED bookings occupy a room; on PostgreSQL an exclusion constraint on
  (room, tstzrange(start, end)) makes a double booking impossible (migration 0002), and the
  booking service checks the same rule (plus the configured buffer) on every database.
* ``BookingSeries``: a recurring meeting (RFC 5545 RRULE). Its instances are materialised as
  bookings (so the constraint covers every occurrence); ``SeriesException`` remembers the
  instances that were cancelled or moved, so extending a series never brings them back.
* ``MeetingSettings``: the admin's buffer, opening hours and no-show rules (one row).
* ``CalendarSource``: a Google calendar or an ICS URL feeding one room, with its sync state;
  ``SyncConflict``: what a sync could not apply, shown to admins instead of dropped.
"""

import secrets
from datetime import time

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Room(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    floor = models.CharField(_("floor"), max_length=40, help_text=_("e.g. 3F"))
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    equipment = models.CharField(_("equipment"), max_length=200, blank=True, help_text=_("e.g. TV, whiteboard"))
    is_active = models.BooleanField(_("active"), default=True)
    google_resource_email = models.EmailField(
        _("Google resource e-mail"),
        blank=True,
        help_text=_("The room's resource calendar, e.g. …@resource.calendar.google.com"),
    )
    slack_channel_id = models.CharField(
        _("Slack channel id"),
        max_length=32,
        blank=True,
        help_text=_("Where this room's notices go; empty uses the rooms channel from the meeting settings."),
    )
    feed_token = models.CharField(_("ICS feed token"), max_length=64, default=new_token, unique=True, editable=False)

    class Meta:
        ordering = ["floor", "name"]
        verbose_name = _("meeting room")
        verbose_name_plural = _("meeting rooms")
        permissions = [("manage_rooms", _("Can manage meeting rooms and every booking"))]

    def __str__(self):
        return self.name


class Status(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", pgettext_lazy("booking status", "Cancelled")
    RELEASED = "released", _("Released (no-show)")


class BookingSource(models.TextChoices):
    WEB = "web", _("Web")
    SLACK = "slack", _("Slack")
    GOOGLE = "google", _("Google Calendar")
    ICS = "ics", _("ICS import")
    ADMIN = "admin", _("Admin")


# Sources whose bookings mirror another calendar: its facts are recorded even outside opening hours.
SYNCED_SOURCES = (BookingSource.GOOGLE, BookingSource.ICS)
# Sources the no-show release leaves alone. Google-synced bookings are released like Haru's own
# (the room then leaves the event through the write-back); an ICS feed is read-only: its
# calendar cannot be told, and the next import would book the slot again.
NO_SHOW_EXEMPT_SOURCES = (BookingSource.ICS,)


class BookingSeries(models.Model):
    """A recurring meeting; its instances are Booking rows pointing here."""

    room = models.ForeignKey(Room, verbose_name=_("room"), on_delete=models.PROTECT, related_name="series")
    title = models.CharField(_("title"), max_length=200)
    organizer = models.ForeignKey(
        "people.Employee", verbose_name=_("organizer"), on_delete=models.PROTECT, related_name="+"
    )
    rrule = models.CharField(_("recurrence rule"), max_length=300, help_text=_("RFC 5545, e.g. FREQ=WEEKLY;BYDAY=MO"))
    first_start = models.DateTimeField(_("first start"))
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"))
    is_private = models.BooleanField(_("title hidden"), default=False)
    source = models.CharField(_("source"), max_length=10, choices=BookingSource.choices, default=BookingSource.WEB)
    external_id = models.CharField(_("external id"), max_length=255, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("recurring meeting")
        verbose_name_plural = _("recurring meetings")

    def __str__(self):
        return self.title


class ExceptionKind(models.TextChoices):
    CANCELLED = "cancelled", pgettext_lazy("occurrence", "Cancelled")
    MOVED = "moved", _("Moved")


class SeriesException(models.Model):
    series = models.ForeignKey(BookingSeries, on_delete=models.CASCADE, related_name="exceptions")
    original_start = models.DateTimeField(_("original start"))
    kind = models.CharField(_("kind"), max_length=10, choices=ExceptionKind.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["series", "original_start"], name="meetings_exception_once")]
        verbose_name = _("occurrence exception")
        verbose_name_plural = _("occurrence exceptions")

    def __str__(self):
        return f"{self.series} {self.original_start:%Y-%m-%d %H:%M} {self.get_kind_display()}"


class Booking(models.Model):
    room = models.ForeignKey(Room, verbose_name=_("room"), on_delete=models.PROTECT, related_name="bookings")
    title = models.CharField(_("title"), max_length=200)
    organizer = models.ForeignKey(
        "people.Employee", verbose_name=_("organizer"), on_delete=models.PROTECT, related_name="organized_bookings"
    )
    attendees = models.ManyToManyField(
        "people.Employee", verbose_name=_("attendees"), blank=True, related_name="meeting_bookings"
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CONFIRMED)
    source = models.CharField(_("source"), max_length=10, choices=BookingSource.choices, default=BookingSource.WEB)
    is_private = models.BooleanField(_("title hidden"), default=False)
    # A meeting at a client's site: that day's attendance location is prefilled with the place.
    client_place = models.CharField(_("client site"), max_length=100, blank=True)
    series = models.ForeignKey(
        BookingSeries,
        verbose_name=_("series"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="bookings",
    )
    original_start = models.DateTimeField(_("original start"), null=True, blank=True)
    # Synced bookings: the other calendar's id, revision and (ICS) UID.
    external_id = models.CharField(_("external id"), max_length=255, blank=True)
    etag = models.CharField(_("etag"), max_length=100, blank=True)
    sequence = models.IntegerField(_("sequence"), default=0)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["start", "room"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        indexes = [
            models.Index(fields=["room", "start"], name="meetings_booking_room_start"),
            models.Index(fields=["organizer", "start"], name="meetings_booking_org_start"),
            models.Index(fields=["start"], name="meetings_booking_start"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="meetings_booking_ends_after_start"),
            models.UniqueConstraint(
                fields=["room", "source", "external_id"],
                condition=~Q(external_id=""),
                name="meetings_booking_external_once",
            ),
        ]

    def __str__(self):
        return f"{self.room} {self.start:%Y-%m-%d %H:%M} {self.title}"

    @property
    def is_confirmed(self) -> bool:
        return self.status == Status.CONFIRMED


class MeetingSettings(models.Model):
    """The meeting-room rules an admin edits (one row, ``MeetingSettings.current()``)."""

    buffer_minutes = models.PositiveSmallIntegerField(
        _("buffer between meetings (minutes)"), default=0, help_text=_("Free minutes kept before and after a booking.")
    )
    opens_at = models.TimeField(_("opens at"), default=time(7, 0))
    closes_at = models.TimeField(_("closes at"), default=time(22, 0))
    allow_days_off = models.BooleanField(
        _("bookable on days off"), default=False, help_text=_("Weekends, public holidays and company days off.")
    )
    max_duration_minutes = models.PositiveIntegerField(_("longest booking (minutes)"), default=8 * 60)
    check_in_required = models.BooleanField(_("check-in required"), default=True)
    check_in_prompt_minutes = models.PositiveSmallIntegerField(_("check-in prompt before start (minutes)"), default=5)
    release_after_minutes = models.PositiveSmallIntegerField(
        _("release a no-show after (minutes)"), default=10, help_text=_("Minutes after the start without a check-in.")
    )
    rooms_channel_id = models.CharField(_("rooms channel id"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("meeting settings")
        verbose_name_plural = _("meeting settings")

    def __str__(self):
        return str(_("Meeting settings"))

    @classmethod
    def current(cls) -> "MeetingSettings":
        found = cls.objects.order_by("pk").first()
        return found if found is not None else cls()


class PersonFeed(models.Model):
    """The secret token of one person's ICS feed (their meetings as organizer or attendee)."""

    employee = models.OneToOneField("people.Employee", on_delete=models.CASCADE, related_name="meeting_feed")
    token = models.CharField(max_length=64, default=new_token, unique=True)

    def __str__(self):
        return str(self.employee)


class SourceKind(models.TextChoices):
    GOOGLE = "google", _("Google Calendar")
    ICS_URL = "ics", _("ICS URL")


class CalendarSource(models.Model):
    """One external calendar feeding one room, and where its sync stands."""

    room = models.ForeignKey(Room, verbose_name=_("room"), on_delete=models.CASCADE, related_name="calendar_sources")
    kind = models.CharField(_("kind"), max_length=10, choices=SourceKind.choices)
    # Google: the calendar id (the room's resource e-mail); ICS: the URL.
    address = models.CharField(_("calendar id or URL"), max_length=500)
    is_active = models.BooleanField(_("active"), default=True)
    default_organizer = models.ForeignKey(
        "people.Employee",
        verbose_name=_("organizer of foreign events"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who organizes an event whose organizer is not an employee (e.g. the office manager)."),
    )
    sync_token = models.TextField(_("sync token"), blank=True)
    etag = models.CharField(_("ETag"), max_length=200, blank=True)
    last_modified = models.CharField(_("Last-Modified"), max_length=100, blank=True)
    last_synced_at = models.DateTimeField(_("last synced"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    failures = models.PositiveIntegerField(_("failures in a row"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar source")
        verbose_name_plural = _("calendar sources")
        constraints = [models.UniqueConstraint(fields=["room", "kind", "address"], name="meetings_source_once")]

    def __str__(self):
        return f"{self.room} · {self.get_kind_display()}"


class SyncConflict(models.Model):
    """An event a sync could not apply (its slot was taken): surfaced, never silently dropped."""

    source = models.ForeignKey(CalendarSource, on_delete=models.CASCADE, related_name="conflicts", null=True)
    room = models.ForeignKey(Room, verbose_name=_("room"), on_delete=models.CASCADE, related_name="+")
    external_id = models.CharField(_("external id"), max_length=255)
    title = models.CharField(_("title"), max_length=200, blank=True)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    kept = models.ForeignKey(
        Booking, verbose_name=_("kept booking"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    detail = models.TextField(_("detail"), blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)
    resolved = models.BooleanField(_("resolved"), default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("sync conflict")
        verbose_name_plural = _("sync conflicts")

    def __str__(self):
        return f"{self.room} {self.start:%Y-%m-%d %H:%M} {self.external_id}"


class WriteBack(models.Model):
    """A booking whose event in the room's Google calendar must be created, changed or deleted.

    Written in the booking's own transaction (so a change is never forgotten when the calendar
    is down) and worked off by the calendar sync job; one row per booking.
    """

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="write_back")
    queued_at = models.DateTimeField(_("queued"), auto_now=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar write-back")
        verbose_name_plural = _("calendar write-backs")

    def __str__(self):
        return str(self.booking)
