"""The cached week timeline: any write shows on the next page, and the cache never carries
one viewer's view (a private title) to another."""

import pytest
from django.urls import reverse

from erp.audit.actor import Actor
from meetings import timeline_cache
from meetings.models import MeetingSettings
from meetings.services import booking_cancel, booking_move
from meetings.timeline_view import week_layout

from .conftest import thursday

pytestmark = pytest.mark.django_db

WEEK = {"day": "2026-12-03", "view": "week"}


@pytest.fixture
def week_page(client, settings):
    settings.LANGUAGE_CODE = "en"

    def get(employee):
        client.force_login(employee.user)
        response = client.get(reverse("meetings:timeline"), WEEK)
        assert response.status_code == 200
        return response.content.decode()

    return get


def test_a_new_moved_or_cancelled_booking_shows_on_the_next_page(week_page, book, people):
    organizer = people["organizer"]
    assert "예산 회의" not in week_page(organizer)  # the empty week is now cached
    booking = book(title="예산 회의")
    assert "14:00~15:00 예산 회의" in week_page(organizer)
    booking_move(booking=booking, start=thursday(16), end=thursday(17), by=Actor(user=organizer.user))
    html = week_page(organizer)
    assert "16:00~17:00 예산 회의" in html and "14:00~15:00 예산 회의" not in html
    booking_cancel(booking=booking, by=Actor(user=organizer.user))
    assert "예산 회의" not in week_page(organizer)


def test_private_titles_follow_the_viewer_not_the_cache(week_page, book, people):
    book(title="인사 면담", is_private=True, attendees=[people["attendee"]])
    assert "인사 면담" in week_page(people["organizer"])  # cached while the organizer looked
    assert "인사 면담" in week_page(people["attendee"])
    outsider = week_page(people["outsider"])
    assert "인사 면담" not in outsider and "14:00~15:00 Booked" in outsider


def test_changed_opening_hours_and_room_renames_show_at_once(week_page, book, people, rooms):
    book(title="예산 회의")
    week_page(people["organizer"])
    rooms["hangang"].name = "한강 (리모델링)"
    rooms["hangang"].save()
    MeetingSettings.objects.create(opens_at=thursday(9).time(), closes_at=thursday(18).time())
    html = week_page(people["organizer"])
    assert "한강 (리모델링)" in html
    assert "07:00~" not in html and "09:00~" in html  # the free gaps start at the new opening


def test_without_a_cache_the_week_is_computed_each_time(monkeypatch, book, people):
    """A cache outage must not serve a stale week: nothing is cached, nothing breaks."""
    monkeypatch.setattr(timeline_cache, "generation", lambda: None)
    viewer = {"user": people["organizer"].user, "employee_id": people["organizer"].pk, "admin": False}
    first = thursday(0).date().replace(month=11, day=30)  # the Monday of that week

    def labels():
        return [s.label for row in week_layout(first, **viewer)["rows"] for c in row["cells"] for s in c["segments"]]

    assert "예산 회의" not in labels()
    book(title="예산 회의")
    assert "예산 회의" in labels()
