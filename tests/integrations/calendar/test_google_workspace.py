"""Google Workspace side of the room calendars, against the local Calendar/Directory/OAuth
stand-in over real HTTP: a service account's tokens (google-auth), the room import, push
channels, and edits made in Google to bookings made in Haru."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse

from erp.audit.actor import Actor
from erp.audit.models import AuditEvent
from integrations.calendar.models import PushChannel
from integrations.calendar.push import renew_channels
from integrations.calendar.rooms import import_rooms
from integrations.calendar.sync import push_write_backs, sync_source
from meetings.models import CalendarSource, Room, SyncConflict, WriteBack
from meetings.services import booking_create
from tests.clock import WORKING_WEDNESDAY
from tests.factories import make_employee

from .conftest import ROOM_CALENDAR, event, kst

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

PUSH_URL = "https://erp.example.co.kr/calendar/google/push/"


@pytest.fixture
def service_account(google, settings, tmp_path):
    key = tmp_path / "haru-rooms.json"
    key.write_text(json.dumps(google.service_account_key()))
    settings.GOOGLE_SERVICE_ACCOUNT_FILE = str(key)
    settings.GOOGLE_DELEGATED_USER = "admin@haru.example"
    settings.GOOGLE_CALENDAR_ACCESS_TOKEN = ""  # only the service account's tokens work
    return key


# --- service account -------------------------------------------------------------------------
def test_a_service_account_signs_in_once_and_syncs(service_account, google, source):
    google.put_event(ROOM_CALENDAR, event("예산 회의", kst(2026, 12, 3, 14), kst(2026, 12, 3, 15)))
    assert sync_source(source).created == 1
    (grant,) = google.grants
    assert grant["sub"] == "admin@haru.example"
    assert grant["iss"] == "haru-rooms@haru-erp.iam.gserviceaccount.com"
    assert "https://www.googleapis.com/auth/calendar" in grant["scope"].split()
    google.put_event(ROOM_CALENDAR, event("주간 회의", kst(2026, 12, 4, 10), kst(2026, 12, 4, 11)))
    assert sync_source(source).created == 1
    assert len(google.grants) == 1  # the token is reused until it expires


def test_a_revoked_token_is_refreshed_once_and_the_call_repeated(service_account, google, source):
    sync_source(source)
    google.expire_access_tokens()  # revoked early: Google answers 401 before the expiry
    google.put_event(ROOM_CALENDAR, event("예산 회의", kst(2026, 12, 3, 14), kst(2026, 12, 3, 15)))
    result = sync_source(source)
    assert result is not None and result.created == 1
    assert len(google.grants) == 2


def test_an_unusable_key_is_a_recorded_failure_not_a_crash(google, source, settings, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"type": "service_account"}')
    settings.GOOGLE_SERVICE_ACCOUNT_FILE = str(broken)
    assert sync_source(source) is None
    source.refresh_from_db()
    assert source.failures == 1 and "service account key" in source.last_error


# --- room import -----------------------------------------------------------------------------
def directory_room(name, email, **extra):
    return {
        "kind": "admin#directory#resources#calendars#CalendarResource",
        "resourceId": email.split("@")[0],
        "resourceName": name,
        "resourceEmail": email,
        "resourceCategory": "CONFERENCE_ROOM",
        **extra,
    }


def test_rooms_are_imported_from_the_directory_and_synced(service_account, google):
    Room.objects.create(name="제주", floor="4F", capacity=10)  # typed in before: linked, not duplicated
    google.rooms[:] = [
        directory_room("한강", "c_hangang@resource.calendar.google.com", capacity=6, floorName="3F",
                       featureInstances=[{"feature": {"name": "TV"}}, {"feature": {"name": "화이트보드"}}]),
        directory_room("제주", "c_jeju@resource.calendar.google.com", capacity=12, floorName="4F"),
        directory_room("빔프로젝터 1", "c_beam@resource.calendar.google.com", resourceCategory="OTHER"),
    ]  # fmt: skip
    result = import_rooms(by=Actor.system(test="import"))
    assert [room.name for room in result.created] == ["한강"]
    assert [room.name for room in result.updated] == ["제주"]
    assert result.skipped == [("빔프로젝터 1", "not a conference room")]
    hangang = Room.objects.get(name="한강")
    assert (hangang.floor, hangang.capacity, hangang.equipment) == ("3F", 6, "TV, 화이트보드")
    jeju = Room.objects.get(name="제주")
    assert (jeju.capacity, jeju.google_resource_email) == (12, "c_jeju@resource.calendar.google.com")
    assert set(CalendarSource.objects.values_list("address", flat=True)) == {
        "c_hangang@resource.calendar.google.com",
        "c_jeju@resource.calendar.google.com",
    }
    assert AuditEvent.objects.filter(action="created", object_id=str(hangang.pk)).exists()
    # Once more: nothing new; a capacity changed in the directory is taken over.
    google.rooms[1]["capacity"] = 14
    again = import_rooms(by=Actor.system(test="import"))
    assert (len(again.created), [r.name for r in again.updated], again.unchanged) == (0, ["제주"], 1)
    assert Room.objects.count() == 2 and CalendarSource.objects.count() == 2


def test_the_import_command_reports_and_refuses_clearly(google, capsys):
    google.rooms[:] = [directory_room("한강", "c_hangang@resource.calendar.google.com", capacity=6)]
    call_command("calendar_import_rooms")
    assert "1 added, 0 updated, 0 unchanged" in capsys.readouterr().out
    google.fail_next(403)
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="HTTP 403"):
        call_command("calendar_import_rooms")


# --- push channels ---------------------------------------------------------------------------
def test_push_channels_open_ping_renew_and_stop(google, source, settings, client, time_machine):
    assert renew_channels() == 0  # no public URL: polling only
    settings.GOOGLE_CALENDAR_PUSH_URL = PUSH_URL
    assert renew_channels() == 1
    (channel,) = PushChannel.objects.all()
    opened = google.channels[channel.channel_id]
    assert (opened["address"], opened["token"], opened["calendar"]) == (PUSH_URL, channel.token, ROOM_CALENDAR)
    assert renew_channels() == 0  # still fresh
    url = reverse("integrations:calendar-google-push")
    headers = {"HTTP_X_GOOG_CHANNEL_ID": channel.channel_id, "HTTP_X_GOOG_CHANNEL_TOKEN": channel.token}

    google.put_event(ROOM_CALENDAR, event("예산 회의", kst(2026, 12, 3, 14), kst(2026, 12, 3, 15)))
    CalendarSource.objects.filter(pk=source.pk).update(next_attempt_at=kst(2026, 12, 2, 11))
    assert client.post(url, HTTP_X_GOOG_RESOURCE_STATE="sync", **headers).status_code == 200
    source.refresh_from_db()
    assert source.next_attempt_at is not None  # the handshake changes nothing
    with pytest.MonkeyPatch.context() as patch:
        queued = []
        patch.setattr("integrations.calendar.push._queue_sync", queued.append)
        response = client.post(url, HTTP_X_GOOG_RESOURCE_STATE="exists", **headers)
    assert response.status_code == 200
    source.refresh_from_db()
    assert source.next_attempt_at is None  # due now, whatever happens to the queue
    # A forged or unknown channel changes nothing.
    forged = {**headers, "HTTP_X_GOOG_CHANNEL_TOKEN": "guess"}
    assert client.post(url, HTTP_X_GOOG_RESOURCE_STATE="exists", **forged).status_code == 404
    assert client.post(url, HTTP_X_GOOG_CHANNEL_ID="nope").status_code == 404
    assert client.get(url).status_code == 405

    time_machine.move_to(WORKING_WEDNESDAY + timedelta(days=6, hours=12))  # a day before expiry
    assert renew_channels() == 1
    (renewed,) = PushChannel.objects.all()
    assert renewed.channel_id != channel.channel_id
    assert list(google.channels) == [renewed.channel_id]  # the old one was stopped

    settings.GOOGLE_CALENDAR_PUSH_URL = ""
    renew_channels()
    assert not PushChannel.objects.exists() and not google.channels


def test_a_ping_syncs_its_source_through_the_task(google, source, settings, client, django_capture_on_commit_callbacks):
    settings.GOOGLE_CALENDAR_PUSH_URL = PUSH_URL
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from celery import current_app

    current_app.conf.task_always_eager = True
    try:
        renew_channels()
        channel = PushChannel.objects.get()
        google.put_event(ROOM_CALENDAR, event("예산 회의", kst(2026, 12, 3, 14), kst(2026, 12, 3, 15)))
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("integrations:calendar-google-push"),
                HTTP_X_GOOG_CHANNEL_ID=channel.channel_id,
                HTTP_X_GOOG_CHANNEL_TOKEN=channel.token,
                HTTP_X_GOOG_RESOURCE_STATE="exists",
            )
    finally:
        current_app.conf.task_always_eager = False
    assert source.room.bookings.filter(title="예산 회의").exists()


# --- edits made in Google to bookings made in Haru -------------------------------------------
def test_an_edit_in_google_to_a_haru_booking_is_a_conflict_and_undone(google, source):
    organizer = source.default_organizer
    booking = booking_create(room=source.room, title="하루 예약", organizer=organizer, start=kst(2026, 12, 3, 14),
                             end=kst(2026, 12, 3, 15), by=Actor(user=organizer.user))  # fmt: skip
    push_write_backs()
    booking.refresh_from_db()
    sync_source(source)  # Haru's own event comes back unchanged: nothing to say
    assert not SyncConflict.objects.exists()

    written = google.event(ROOM_CALENDAR, booking.external_id)
    google.put_event(ROOM_CALENDAR, {**written, **event("하루 예약", kst(2026, 12, 3, 16), kst(2026, 12, 3, 17))})
    result = sync_source(source)
    assert result.conflicts == 1 and result.changed == 0
    conflict = SyncConflict.objects.get()
    assert conflict.kept == booking and "Changed in the calendar" in conflict.detail
    booking.refresh_from_db()
    assert booking.start == kst(2026, 12, 3, 14)  # Haru's booking stands
    assert WriteBack.objects.filter(booking=booking).exists()
    push_write_backs()
    restored = google.event(ROOM_CALENDAR, booking.external_id)
    assert restored["start"]["dateTime"].startswith("2026-12-03T14:00")


def test_a_deletion_in_google_of_a_haru_booking_is_a_conflict_and_recreated(google, source):
    organizer = source.default_organizer
    booking = booking_create(room=source.room, title="하루 예약", organizer=organizer, start=kst(2026, 12, 3, 14),
                             end=kst(2026, 12, 3, 15), by=Actor(user=organizer.user))  # fmt: skip
    push_write_backs()
    sync_source(source)
    source.refresh_from_db()  # holds the sync token: the next sync is incremental
    booking.refresh_from_db()
    google.delete_event(ROOM_CALENDAR, booking.external_id)
    assert sync_source(source).conflicts == 1
    assert "Deleted in the calendar" in SyncConflict.objects.get().detail
    push_write_backs()
    booking.refresh_from_db()
    recreated = google.event(ROOM_CALENDAR, booking.external_id)
    assert recreated["status"] == "confirmed" and recreated["summary"] == "하루 예약"
    assert sync_source(source).conflicts == 0  # and the new copy is Haru's own again


def test_a_full_listing_without_a_haru_booking_means_it_was_deleted_there(google, source):
    organizer = source.default_organizer
    booking = booking_create(room=source.room, title="하루 예약", organizer=organizer, start=kst(2026, 12, 3, 14),
                             end=kst(2026, 12, 3, 15), by=Actor(user=organizer.user))  # fmt: skip
    push_write_backs()
    booking.refresh_from_db()
    google.calendars[ROOM_CALENDAR].events.pop(booking.external_id)  # gone while the token expired
    google.calendars[ROOM_CALENDAR].changed_at.pop(booking.external_id)
    result = sync_source(source)  # a full listing (no sync token yet)
    assert result.conflicts == 1 and SyncConflict.objects.get().kept == booking
    push_write_backs()
    booking.refresh_from_db()
    assert google.event(ROOM_CALENDAR, booking.external_id)["summary"] == "하루 예약"


def test_the_room_list_in_the_admin_offers_the_import(google, admin_client, client):
    google.rooms[:] = [directory_room("한강", "c_hangang@resource.calendar.google.com", capacity=6)]
    page = admin_client.get(reverse("admin:meetings_room_changelist")).content.decode()
    url = reverse("admin:calendar_import_rooms")
    assert f'action="{url}"' in page
    assert admin_client.get(url).status_code == 405
    response = admin_client.post(url, follow=True)
    assert "1 added, 0 updated, 0 unchanged" in response.content.decode()
    assert Room.objects.filter(name="한강", google_resource_email="c_hangang@resource.calendar.google.com").exists()
    google.fail_next(500)
    response = admin_client.post(url, follow=True)
    assert response.status_code == 200 and "could not be read" in response.content.decode()
    staff = make_employee("clerk", display_name="직원").user
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    assert client.post(url).status_code == 403
