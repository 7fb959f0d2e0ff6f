"""The meeting-room pages: timeline with free gaps, booking form with conflicts, CSV, feeds."""

import pytest
from django.urls import reverse
from icalendar import Calendar

from meetings.models import Booking, PersonFeed

from .conftest import thursday

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_pages(settings):
    """Pages in English for the assertions (the product's default stays Korean)."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def client_of(client):
    def login(employee):
        client.force_login(employee.user)
        return client

    return login


def test_day_timeline_shows_bookings_free_gaps_and_hides_private_titles(client_of, book, people):
    book(title="예산 회의")
    book(room="jeju", title="인사 면담", is_private=True)
    page = client_of(people["outsider"]).get(reverse("meetings:timeline"), {"day": "2026-12-03"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "예산 회의" in html and "인사 면담" not in html
    assert "Booked" in html  # the private booking, as others see it
    # A free gap links to the booking form, prefilled with its room and time.
    assert "/meetings/book/?room=" in html and "start=2026-12-03T07%3A00" in html


def test_week_timeline_and_room_page(client_of, book, people, rooms):
    book(title="예산 회의")
    user = client_of(people["organizer"])
    week = user.get(reverse("meetings:timeline"), {"day": "2026-12-03", "view": "week"})
    assert week.status_code == 200 and "14:00~15:00 예산 회의" in week.content.decode()
    # The free stretch after it, in KST, with its booking link (the gap's first hour).
    assert (
        "15:00~" in week.content.decode()
        and "start=2026-12-03T15%3A00&amp;end=2026-12-03T16%3A00" in week.content.decode()
    )
    room = user.get(reverse("meetings:room", args=[rooms["hangang"].pk]), {"day": "2026-12-03"})
    assert room.status_code == 200 and "예산 회의" in room.content.decode()
    assert user.get(reverse("meetings:timeline"), {"day": "not-a-day"}).status_code == 400


def test_booking_form_books_and_shows_conflicts_on_the_form(client_of, book, people, rooms):
    book(title="예산 회의")
    user = client_of(people["outsider"])
    form = {
        "room": rooms["hangang"].pk,
        "title": "신규",
        "day": "2026-12-03",
        "start_time": "14:30",
        "end_time": "15:30",
    }
    response = user.post(reverse("meetings:book"), form)
    assert response.status_code == 200
    assert "already booked" in response.content.decode() and "Nearest free slot" in response.content.decode()
    form["start_time"], form["end_time"] = "15:00", "16:00"
    response = user.post(reverse("meetings:book"), form)
    assert response.status_code == 302
    assert Booking.objects.filter(title="신규", organizer=people["outsider"]).exists()


def test_live_check_answers_json(client_of, book, people, rooms):
    book()
    user = client_of(people["outsider"])
    url = reverse("meetings:check")
    taken = user.get(url, {"room": rooms["hangang"].pk, "start": "2026-12-03T14:00", "end": "2026-12-03T15:00"})
    assert taken.json()["ok"] is False and "already booked" in taken.json()["message"]
    free = user.get(url, {"room": rooms["hangang"].pk, "start": "2026-12-03T15:00", "end": "2026-12-03T16:00"})
    assert free.json()["ok"] is True
    assert user.get(url, {"room": "x"}).status_code == 400
    assert user.get(url, {"room": rooms["hangang"].pk, "start": "bad", "end": "bad"}).status_code == 400


def test_booking_page_change_and_cancel_by_the_organizer_only(client_of, book, people):
    booking = book()
    action = reverse("meetings:booking-action", args=[booking.pk])
    client_of(people["outsider"]).post(action, {"action": "cancel"})
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    user = client_of(people["organizer"])
    user.post(action, {"action": "move", "start": "2026-12-03T16:00", "end": "2026-12-03T17:00"})
    booking.refresh_from_db()
    assert booking.start == thursday(16)
    user.post(action, {"action": "cancel"})
    booking.refresh_from_db()
    assert booking.status == "cancelled"


def test_csv_export_hides_private_bookings_from_others(client_of, book, people):
    book(title="=예산 회의")
    book(room="jeju", title="인사 면담", is_private=True)
    response = client_of(people["outsider"]).get(reverse("meetings:export"), {"from": "2026-12-01", "to": "2026-12-31"})
    body = response.content.decode("utf-8-sig")
    assert "'=예산 회의" in body and "인사 면담" not in body
    assert (
        client_of(people["outsider"])
        .get(reverse("meetings:export"), {"from": "2026-12-31", "to": "2026-01-01"})
        .status_code
        == 400
    )


def test_ics_feeds_per_room_and_person(client, book, people, rooms):
    book(title="예산 회의", attendees=[people["attendee"]])
    book(room="hangang", start=thursday(16), end=thursday(17), title="인사 면담", is_private=True)
    room_feed = client.get(reverse("meetings:room-feed", args=[rooms["hangang"].feed_token]))
    calendar = Calendar.from_ical(room_feed.content)
    summaries = sorted(str(e.get("summary")) for e in calendar.walk("VEVENT"))
    assert room_feed["Content-Type"].startswith("text/calendar")
    assert summaries == ["Booked", "예산 회의"]
    feed = PersonFeed.objects.create(employee=people["attendee"])
    mine = Calendar.from_ical(client.get(reverse("meetings:person-feed", args=[feed.token])).content)
    assert [str(e.get("summary")) for e in mine.walk("VEVENT")] == ["예산 회의"]
    assert client.get(reverse("meetings:room-feed", args=["wrong"])).status_code == 404


def test_search_finds_bookings_by_two_korean_syllables_but_not_private_ones(book, people):
    from erp.core.search import search_everywhere

    book(title="예산 회의")
    book(room="jeju", title="예산 인사 면담", is_private=True)
    results = {r.source.key: r for r in search_everywhere(people["outsider"].user, "예산")}
    titles = [hit.obj.title for hit in results["meetings_bookings"].hits]
    assert titles == ["예산 회의"]
