"""The meetings card on the portal home (meetings/widget.py): the rooms right now and my meetings
left today, private titles only for their organizer, attendees and the room admins."""

import pytest
from django.urls import reverse

from erp.history.widgets import widgets_for
from meetings.models import Room
from tests.meetings.conftest import kst

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def wednesday(book, people, time_machine):
    """Booked at 10:00 for later today; the clock then moves to 10:45, two rooms in use."""
    attendee, outsider = people["attendee"], people["outsider"]
    salary = book("hangang", kst(2026, 12, 2, 10, 30), kst(2026, 12, 2, 11, 30), title="연봉 협상", is_private=True,
                  attendees=[attendee])  # fmt: skip
    weekly = book("bukhan", kst(2026, 12, 2, 10, 30), kst(2026, 12, 2, 11), title="주간 회의", organizer=outsider)
    later = book("jeju", kst(2026, 12, 2, 15), kst(2026, 12, 2, 16), title="분기 리뷰", organizer=outsider,
                 attendees=[attendee])  # fmt: skip
    book("small", kst(2026, 12, 3, 9), kst(2026, 12, 3, 10), title="내일 회의")
    time_machine.move_to(kst(2026, 12, 2, 10, 45), tick=False)
    return {"salary": salary, "weekly": weekly, "later": later}


def home(client, person) -> str:
    client.force_login(person.user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def card(person):
    ((data,),) = [[d for w, d in widgets_for(person.user) if w.key == "meetings.today"]]
    return data


def test_the_rooms_now_for_everyone_with_private_titles_hidden(client, people, wednesday):
    html = home(client, people["outsider"])
    assert "Today&#x27;s meetings" in html or "Today's meetings" in html
    data = card(people["outsider"])
    assert [(str(label), value) for label, value in data.figures] == [("Rooms in use now", 2), ("Free rooms now", 2)]
    now_rows = dict(data.lists[-1].rows)
    assert set(now_rows) == {"북한산 · 주간 회의 · until 11:00", "한강 · Booked · until 11:30"}
    assert now_rows["한강 · Booked · until 11:30"] == reverse("meetings:booking", args=[wednesday["salary"].pk])
    assert "연봉" not in html
    assert reverse("meetings:timeline") in html
    for person in (people["attendee"], people["admin"]):  # an attendee, a room admin
        assert "한강 · 연봉 협상 · until 11:30" in dict(card(person).lists[-1].rows)


def test_my_meetings_left_today_link_to_their_bookings(client, people, wednesday):
    html = home(client, people["attendee"])
    assert "My meetings left today" in html
    mine = card(people["attendee"]).lists[0].rows
    assert mine == [
        ("10:30~11:30 · 한강 · 연봉 협상", reverse("meetings:booking", args=[wednesday["salary"].pk])),
        ("15:00~16:00 · 제주 · 분기 리뷰", reverse("meetings:booking", args=[wednesday["later"].pk])),
    ]
    assert reverse("meetings:booking", args=[wednesday["later"].pk]) in html
    organizer = [text for text, _url in card(people["organizer"]).lists[0].rows]
    assert organizer == ["10:30~11:30 · 한강 · 연봉 협상"]  # not tomorrow's


def test_an_employee_without_bookings_sees_the_rooms_and_an_empty_line(client, rooms, people):
    html = home(client, people["organizer"])
    assert "No more meetings today." in html
    assert [(str(label), value) for label, value in card(people["organizer"]).figures] == [
        ("Rooms in use now", 0),
        ("Free rooms now", 4),
    ]
    Room.objects.update(is_active=False)
    assert "meetings.today" not in [w.key for w, _d in widgets_for(people["organizer"].user)]
