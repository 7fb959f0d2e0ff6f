"""The booking form's live conflict check: htmx fragments, and the same answer without JS."""

import pytest
from django.urls import reverse

from meetings.models import Booking

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def user(client, people, settings):
    settings.LANGUAGE_CODE = "en"
    client.force_login(people["outsider"].user)
    return client


def form_fields(rooms, start="14:00", end="15:00", **more):
    return {"room": rooms["hangang"].pk, "day": "2026-12-03", "start_time": start, "end_time": end, **more}


def test_htmx_gets_a_fragment_naming_the_conflict_with_ways_out(user, book, rooms):
    book(title="예산 회의")
    answer = user.get(reverse("meetings:check"), form_fields(rooms), **HTMX)
    html = answer.content.decode()
    assert answer.status_code == 200 and "<html" not in html
    assert 'class="mt-feedback bad"' in html and "already booked" in html and "예산 회의" in html
    # The nearest free hour in the same room, and a free room of the same size, as links.
    assert "Book the nearest free time, Dec 3 (Thu) 13:00~14:00" in html
    assert f"room={rooms['hangang'].pk}&amp;start=2026-12-03T13%3A00" in html
    assert "Book 북한산 (3F) at this time instead" in html


def test_htmx_free_slot_and_bad_input_are_fragments_too(user, book, rooms):
    book()
    url = reverse("meetings:check")
    free = user.get(url, form_fields(rooms, "15:00", "16:00"), **HTMX).content.decode()
    assert 'class="mt-feedback ok"' in free and "한강 is free then." in free
    for asked in (
        form_fields(rooms, "16:00", "15:00"),  # reversed
        form_fields(rooms, "", ""),  # not chosen yet
        form_fields(rooms, "25:00", "26:00"),  # not a time
        {"room": "x", "day": "2026-12-03"},
    ):
        answer = user.get(url, asked, **HTMX)
        assert answer.status_code == 200, asked  # htmx swaps only 2xx answers
        assert 'class="mt-feedback bad"' in answer.content.decode()


def test_the_form_wires_htmx_and_no_longer_loads_its_own_script(user, rooms):
    html = user.get(reverse("meetings:book"), {"room": rooms["hangang"].pk, "start": "2026-12-03T14:00"}).content
    html = html.decode()
    assert f'id="slot-feedback" aria-live="polite" hx-get="{reverse("meetings:check")}"' in html
    assert "meetings-book.js" not in html


def test_without_javascript_the_check_button_answers_on_the_page_and_books_nothing(user, book, rooms, people):
    book(title="예산 회의")
    answer = user.post(reverse("meetings:book"), form_fields(rooms, check="1", attendees=[people["attendee"].pk]))
    html = answer.content.decode()
    assert answer.status_code == 200 and "already booked" in html and "Book the nearest free time" in html
    assert "This field is required" not in html  # no title yet is fine while checking
    assert 'value="14:00"' in html and f'value="{people["attendee"].pk}" selected' in html  # kept
    assert Booking.objects.count() == 1
    # Then booking the suggested time works as before.
    booked = user.post(reverse("meetings:book"), form_fields(rooms, "15:00", "16:00", title="기획 회의"))
    assert booked.status_code == 302 and Booking.objects.filter(title="기획 회의").exists()
