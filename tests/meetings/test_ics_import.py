"""ICS import: RRULE, EXDATE, RECURRENCE-ID (moved and cancelled), Asia/Seoul, malformed files,
re-imports that change and delete, conflicts surfaced; and the round trip through the feed."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings.models import Booking, CalendarSource, Status, SyncConflict
from meetings.services.sync import ics_import

from .conftest import kst, thursday

pytestmark = pytest.mark.django_db

STANDUP_TEXT = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Test//KO\r
X-WR-TIMEZONE:Asia/Seoul\r
BEGIN:VTIMEZONE\r
TZID:Asia/Seoul\r
BEGIN:STANDARD\r
DTSTART:19700101T000000\r
TZOFFSETFROM:+0900\r
TZOFFSETTO:+0900\r
TZNAME:KST\r
END:STANDARD\r
END:VTIMEZONE\r
BEGIN:VEVENT\r
UID:standup-1\r
DTSTAMP:20261201T000000Z\r
DTSTART;TZID=Asia/Seoul:20261203T093000\r
DTEND;TZID=Asia/Seoul:20261203T094500\r
RRULE:FREQ=WEEKLY;COUNT=4\r
EXDATE;TZID=Asia/Seoul:20261210T093000\r
SUMMARY:개발팀 스탠드업\r
ORGANIZER:mailto:minji@haru.example\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:standup-1\r
DTSTAMP:20261201T000000Z\r
RECURRENCE-ID;TZID=Asia/Seoul:20261217T093000\r
DTSTART;TZID=Asia/Seoul:20261217T110000\r
DTEND;TZID=Asia/Seoul:20261217T111500\r
SUMMARY:개발팀 스탠드업 (이동)\r
SEQUENCE:1\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:standup-1\r
DTSTAMP:20261201T000000Z\r
RECURRENCE-ID;TZID=Asia/Seoul:20261224T093000\r
DTSTART;TZID=Asia/Seoul:20261224T093000\r
DTEND;TZID=Asia/Seoul:20261224T094500\r
STATUS:CANCELLED\r
SUMMARY:개발팀 스탠드업\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:review-1\r
DTSTAMP:20261201T000000Z\r
DTSTART:20261203T050000Z\r
DTEND:20261203T060000Z\r
SUMMARY:분기 리뷰\r
CLASS:PRIVATE\r
END:VEVENT\r
END:VCALENDAR\r
"""
STANDUP = STANDUP_TEXT.encode()


@pytest.fixture
def source(rooms, people):
    return CalendarSource.objects.create(
        room=rooms["hangang"], kind="ics", address="upload", default_organizer=people["admin"]
    )


def confirmed(room):
    return list(Booking.objects.filter(room=room, status=Status.CONFIRMED).order_by("start"))


def test_recurrence_with_exdate_moved_and_cancelled_instances(source, rooms, people):
    result = ics_import(source, STANDUP)
    rows = confirmed(rooms["hangang"])
    assert [(b.start, b.title) for b in rows] == [
        (kst(2026, 12, 3, 9, 30), "개발팀 스탠드업"),
        (kst(2026, 12, 3, 14), "분기 리뷰"),  # 05:00Z = 14:00 KST
        (kst(2026, 12, 17, 11), "개발팀 스탠드업 (이동)"),
    ]
    assert result.created == 3 and result.conflicts == 0
    assert rows[0].organizer == people["organizer"]  # matched by e-mail
    assert rows[1].organizer == people["admin"] and rows[1].is_private  # the source's fallback
    assert {b.source for b in rows} == {"ics"}


def test_reimport_changes_and_deletes_and_is_idempotent(source, rooms):
    ics_import(source, STANDUP)
    again = ics_import(source, STANDUP)
    assert again.total() == 0 and again.unchanged == 4  # the cancelled instance included
    changed_text = STANDUP_TEXT.replace("DTSTART:20261203T050000Z", "DTSTART:20261203T060000Z")
    changed_text = changed_text.replace("DTEND:20261203T060000Z", "DTEND:20261203T070000Z")
    changed = changed_text.encode()
    result = ics_import(source, changed)
    review = Booking.objects.get(external_id="review-1")
    assert (review.start, review.end) == (kst(2026, 12, 3, 15), kst(2026, 12, 3, 16))
    assert result.changed >= 1
    # The review is gone from the file: its booking is cancelled, the row stays.
    without_review = (changed_text.split("BEGIN:VEVENT\r\nUID:review-1")[0] + "END:VCALENDAR\r\n").encode()
    ics_import(source, without_review)
    review.refresh_from_db()
    assert review.status == Status.CANCELLED


def test_a_taken_slot_becomes_a_surfaced_conflict(source, rooms, book):
    kept = book(start=thursday(14), end=thursday(15), title="먼저 예약")
    result = ics_import(source, STANDUP)
    assert result.conflicts == 1
    conflict = SyncConflict.objects.get()
    assert conflict.external_id == "review-1" and conflict.kept == kept and "먼저 예약" in conflict.detail
    kept.refresh_from_db()
    assert kept.status == Status.CONFIRMED  # the booking stored first keeps the room


@pytest.mark.parametrize("data", [b"", b"not a calendar", b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:bad\r\n"])
def test_malformed_ics_is_refused_and_nothing_changes(source, rooms, data):
    ics_import(source, STANDUP)
    before = confirmed(rooms["hangang"])
    with pytest.raises(ValidationError, match="not a readable ICS"):
        ics_import(source, data)
    assert confirmed(rooms["hangang"]) == before


def test_round_trip_through_the_room_feed(client, source, rooms, book):
    book(room="jeju", title="예산 회의", start=thursday(16), end=thursday(17))
    feed = client.get(reverse("meetings:room-feed", args=[rooms["jeju"].feed_token])).content
    target = CalendarSource.objects.create(
        room=rooms["bukhan"], kind="ics", address="copy", default_organizer=source.default_organizer
    )
    result = ics_import(target, feed)
    (copy,) = confirmed(rooms["bukhan"])
    assert result.created == 1 and (copy.title, copy.start, copy.end) == ("예산 회의", thursday(16), thursday(17))


def test_upload_page_for_room_admins_only(client, rooms, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("meetings:ics-upload", args=[rooms["hangang"].pk])
    client.force_login(people["outsider"].user)
    assert client.get(url).status_code == 403
    client.force_login(people["admin"].user)
    bad = client.post(url, {"file": SimpleUploadedFile("x.ics", b"garbage", content_type="text/calendar")})
    assert bad.status_code == 200 and not Booking.objects.exists()
    good = client.post(url, {"file": SimpleUploadedFile("s.ics", STANDUP, content_type="text/calendar")})
    assert good.status_code == 200 and Booking.objects.filter(room=rooms["hangang"], status="confirmed").count() == 3
