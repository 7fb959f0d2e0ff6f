"""The Slack booking modal preselects where the person usually meets: the floor most of their
recent meetings were on (organized or attended), the room they booked last there, else that
floor's most used room; that floor's rooms are listed first."""

import json

import pytest

from .conftest import employee, room_command, thursday

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def opened_modal(slack, post, user_id):
    room_command(post, "book", user_id)
    (call,) = slack.calls_to("views.open")
    view = call.args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    return {b["block_id"]: b for b in view["blocks"]}["room"]["element"]


def test_the_usual_floor_and_room_are_preselected(post, rooms, book, crew, slack):
    agent = employee(crew["agent"])
    # Two meetings attended on 4F (제주), one booked on 3F (북한산): 4F is the usual floor.
    book(room="jeju", organizer="colleague", start=thursday(9), end=thursday(10), attendees=[agent])
    book(room="jeju", organizer="colleague", start=thursday(10), end=thursday(11), attendees=[agent])
    book(room="bukhan", start=thursday(11), end=thursday(12))
    element = opened_modal(slack, post, "UAGENT001")
    assert element["initial_option"]["value"] == str(rooms["jeju"].pk)
    assert element["options"][0]["value"] == str(rooms["jeju"].pk)  # 4F first


def test_the_room_booked_last_on_the_usual_floor_wins(post, rooms, book, crew, slack):
    agent = employee(crew["agent"])
    book(room="jeju", organizer="colleague", start=thursday(9), end=thursday(10), attendees=[agent])
    book(room="bukhan", start=thursday(11), end=thursday(12))
    book(room="bukhan", start=thursday(13), end=thursday(14))
    book(room="hangang", start=thursday(16), end=thursday(17))
    element = opened_modal(slack, post, "UAGENT001")
    assert element["initial_option"]["value"] == str(rooms["hangang"].pk)
    assert {o["value"] for o in element["options"][:2]} == {str(rooms["hangang"].pk), str(rooms["bukhan"].pk)}


def test_someone_without_meetings_gets_no_preselection(post, rooms, crew, slack):
    element = opened_modal(slack, post, "UAGENT002")
    assert "initial_option" not in element and len(element["options"]) == len(rooms)
