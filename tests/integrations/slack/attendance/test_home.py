"""App Home: the attendance section, its check-in menu / check-out button and the client modal."""

import json

import pytest

from attendance.models import DayState, Location, Punch, PunchSource, WorkDay
from integrations.slack.attendance.blocks import (
    CHECK_IN,
    CHECK_IN_AT_PLACE,
    CHECK_OUT,
    CLIENT_PLACE,
    PLACE_BLOCK,
    PLACE_INPUT,
)
from tests.fakes.slack_signing import block_actions_payload, modal_view, view_submission_payload

from .conftest import attendance_command, employee, kst

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def home_view(blocks=None) -> dict:
    """The view object Slack puts in a block_actions payload from the Home tab."""
    return {**modal_view("", blocks=blocks or []), "type": "home"}


def home_click(action_id: str, user_id: str, *, value=None, selected=None) -> dict:
    return block_actions_payload(action_id, value, selected_option=selected, user_id=user_id, view=home_view())


def published(slack, user_id: str) -> list[dict]:
    return [call.args["view"] for call in slack.calls_to("views.publish") if call.args.get("user_id") == user_id]


def view_text(view: dict) -> str:
    return json.dumps(view, ensure_ascii=False)


def element_ids(view: dict) -> list[str]:
    return [e.get("action_id") for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]]


def opened(slack) -> list[dict]:
    return [call.args["view"] for call in slack.calls_to("views.open")]


def test_home_tab_shows_status_and_the_check_in_menu(post, team, slack):
    post.event({"type": "app_home_opened", "user": "UAGENT001", "tab": "home", "channel": "DHOME0001"})
    (view,) = published(slack, "UAGENT001")
    text = view_text(view)
    assert "Attendance" in text and "Not checked in today." in text and "of 52 h" in text
    assert CHECK_IN in element_ids(view)
    menu = next(
        e for b in view["blocks"] if b["type"] == "actions" for e in b["elements"] if e["action_id"] == CHECK_IN
    )
    assert [o["value"] for o in menu["options"]] == ["office", "remote", "client"]


def test_choosing_remote_checks_in_and_republishes_home(post, team, slack):
    response = post.interaction(home_click(CHECK_IN, "UAGENT001", selected="remote"))
    assert response.status_code == 200
    day = WorkDay.objects.get(employee=employee(team["agent"]))
    assert day.location == Location.REMOTE and day.state == DayState.WORKING
    assert Punch.objects.get().source == PunchSource.SLACK
    (view,) = published(slack, "UAGENT001")
    assert "Checked in at" in view_text(view) and "Remote" in view_text(view)
    assert CHECK_OUT in element_ids(view) and CHECK_IN not in element_ids(view)


def test_check_out_button_checks_out_and_republishes(post, team, slack):
    post.interaction(home_click(CHECK_IN, "UAGENT001", selected="office"))
    post.interaction(home_click(CHECK_OUT, "UAGENT001", value="out"))
    day = WorkDay.objects.get(employee=employee(team["agent"]))
    assert day.last_out is not None
    view = published(slack, "UAGENT001")[-1]
    assert "Checked out at" in view_text(view) and CHECK_IN in element_ids(view)


def test_client_opens_the_place_modal_which_validates_then_checks_in(post, team, slack):
    post.interaction(home_click(CHECK_IN, "UAGENT001", selected="client"))
    (modal,) = opened(slack)
    assert modal["callback_id"] == CLIENT_PLACE
    assert not Punch.objects.exists()  # nothing happens before the place is given

    blank = view_submission_payload(
        CLIENT_PLACE, {PLACE_BLOCK: {PLACE_INPUT: "   "}}, modal["private_metadata"], "UAGENT001"
    )
    response = post.interaction(blank)
    body = response.json()
    assert body["response_action"] == "errors"
    assert "Say which client site you are at." in body["errors"][PLACE_BLOCK]
    assert not Punch.objects.exists()

    good = view_submission_payload(
        CLIENT_PLACE, {PLACE_BLOCK: {PLACE_INPUT: " LG전자 마곡 "}}, modal["private_metadata"], "UAGENT001"
    )
    response = post.interaction(good)
    assert response.status_code == 200 and response.content == b""  # closes the modal
    day = WorkDay.objects.get(employee=employee(team["agent"]))
    assert (day.location, day.place) == (Location.CLIENT, "LG전자 마곡")
    assert "Client site (LG전자 마곡)" in view_text(published(slack, "UAGENT001")[-1])


def test_client_modal_refuses_a_second_check_in_under_the_field(post, team, slack):
    attendance_command(post, "in", "UAGENT001")
    response = post.interaction(
        view_submission_payload(CLIENT_PLACE, {PLACE_BLOCK: {PLACE_INPUT: "삼성전자"}}, "{}", "UAGENT001")
    )
    assert "You are already checked in since" in response.json()["errors"][PLACE_BLOCK]
    assert Punch.objects.count() == 1


def test_a_refusal_from_home_is_explained_in_a_modal(post, team, slack):
    post.interaction(home_click(CHECK_OUT, "UAGENT001", value="out"))
    (notice,) = opened(slack)
    assert "You have not checked in today." in view_text(notice)
    assert published(slack, "UAGENT001")  # the tab is refreshed too
    assert not Punch.objects.exists()


def test_buttons_on_the_status_reply_replace_it(post, team, slack):
    url = post.response_url()
    payload = block_actions_payload(CHECK_IN, None, selected_option="remote", user_id="UAGENT001")
    payload["response_url"] = url
    post.interaction(payload)
    (reply,) = post.response_posts()
    assert reply["replace_original"] is True and "Checked in at" in reply["text"]
    # A refusal on that reply is an ephemeral answer through the same response_url.
    again = block_actions_payload(CHECK_IN, None, selected_option="office", user_id="UAGENT001")
    again["response_url"] = url
    post.interaction(again)
    refusal = post.response_posts()[-1]
    assert "You are already checked in since" in refusal["text"] and refusal["replace_original"] is False


def test_an_unknown_location_value_is_refused(post, team, slack):
    post.interaction(home_click(CHECK_IN, "UAGENT001", selected="beach"))
    (notice,) = opened(slack)
    assert "Choose office, remote or client site." in view_text(notice)
    assert not Punch.objects.exists()


def test_unknown_user_clicking_changes_nothing(post, team, slack):
    assert post.interaction(home_click(CHECK_IN, "UNOBODY01", selected="office")).status_code == 200
    assert not Punch.objects.exists()


def test_todays_client_meeting_is_offered_as_a_one_click_check_in(post, team, slack):
    """A 고객사 미팅 today (meetings' place hint) puts "check in at <site>" beside the menu."""
    from erp.audit.actor import Actor
    from meetings.models import Room
    from meetings.services import booking_create

    organizer = employee(team["manager"])
    booking_create(
        room=Room.objects.create(name="독도", floor="2F", capacity=4),
        title="고객사 미팅",
        organizer=organizer,
        start=kst(2026, 12, 2, 14),
        end=kst(2026, 12, 2, 15),
        by=Actor(user=organizer.user),
        attendees=[employee(team["agent"])],
        client_place="삼성전자 수원",
    )
    post.event({"type": "app_home_opened", "user": "UAGENT001", "tab": "home", "channel": "DHOME0001"})
    (view,) = published(slack, "UAGENT001")
    offer = next(
        e
        for b in view["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == CHECK_IN_AT_PLACE
    )
    assert offer["text"]["text"] == "Check in at 삼성전자 수원" and offer["value"] == "삼성전자 수원"
    assert CHECK_IN in element_ids(view)  # the menu stays for any other place

    post.interaction(home_click(CHECK_IN_AT_PLACE, "UAGENT001", value="삼성전자 수원"))
    day = WorkDay.objects.get(employee=employee(team["agent"]))
    assert (day.location, day.place) == (Location.CLIENT, "삼성전자 수원")
    view = published(slack, "UAGENT001")[-1]
    assert CHECK_OUT in element_ids(view) and CHECK_IN_AT_PLACE not in element_ids(view)


def test_no_client_meeting_no_offer(post, team, slack):
    post.event({"type": "app_home_opened", "user": "UAGENT002", "tab": "home", "channel": "DHOME0002"})
    (view,) = published(slack, "UAGENT002")
    assert CHECK_IN_AT_PLACE not in element_ids(view)
