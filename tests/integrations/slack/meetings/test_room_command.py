"""/room in English and Korean, its buttons and the booking modal, with signed requests."""

import json

import pytest
from django.conf import settings

from integrations.slack.inbound import dispatch as routing
from integrations.slack.meetings.blocks import BOOK_MODAL, BOOK_ROOM, CANCEL, CHECK_IN, DECLINE
from meetings.models import Booking, Status
from tests.fakes.slack_signing import block_actions_payload, view_submission_payload

from .conftest import employee, ephemeral_text, room_command, thursday

pytestmark = pytest.mark.django_db


def test_the_command_is_routed(db):
    assert settings.SLACK_ROOM_COMMAND == "/room" and "/room" in routing.commands


@pytest.mark.usefixtures("english")
def test_free_rooms_at_a_time_for_n_people(post, rooms, book):
    book(room="bukhan")
    text = ephemeral_text(room_command(post, "free 2026-12-03 14:00-15:00 6", "UAGENT002"))
    assert "Free rooms for 6 people, Dec 3 (Thu) 14:00~15:00" in text
    assert "한강" in text and "제주" in text and "북한산" not in text
    assert BOOK_ROOM in text


def test_korean_words_and_reply(post, rooms, crew):
    text = ephemeral_text(room_command(post, "빈방 2026-12-03 14:00~15:00 10명", "UKOREAN01"))
    assert "제주" in text and "한강" not in text
    assert "10명" in text  # the Korean reply


@pytest.mark.usefixtures("english")
def test_book_today_and_cancel_in_words(post, rooms, crew):
    text = ephemeral_text(room_command(post, "book 한강 2026-12-03 14:00-15:00 예산 회의", "UAGENT002"))
    booking = Booking.objects.get()
    assert f"Booked 한강, Dec 3 (Thu) 14:00~15:00: 예산 회의 (#{booking.pk})" in text
    assert booking.source == "slack" and booking.organizer == employee(crew["agent2"])
    # A second booking of the same slot: the conflict, named.
    text = ephemeral_text(room_command(post, "book 한강 2026-12-03 14:30-15:30 다른 회의", "UAGENT001"))
    assert "already booked" in text and "예산 회의" in text
    text = ephemeral_text(room_command(post, f"cancel {booking.pk}", "UAGENT001"))
    assert "Only the organizer" in text
    text = ephemeral_text(room_command(post, f"취소 {booking.pk}", "UAGENT002"))
    booking.refresh_from_db()
    assert booking.status == Status.CANCELLED and f"Cancelled #{booking.pk}" in text


@pytest.mark.usefixtures("english")
def test_bad_words_get_clear_replies(post, rooms, crew):
    assert "Unknown sub-command" in ephemeral_text(room_command(post, "dance", "UAGENT001"))
    assert "No room is called" in ephemeral_text(room_command(post, "book 없는방 14:00-15:00 x", "UAGENT001"))
    assert "not a time of day" in ephemeral_text(room_command(post, "free 25:00-26:00", "UAGENT001"))
    assert "did not understand" in ephemeral_text(room_command(post, "free soon", "UAGENT001"))
    text = ephemeral_text(room_command(post, "book 한강 2026-12-05 10:00-11:00 x", "UAGENT001"))
    assert "not a working day" in text
    assert "Meeting rooms in Slack" in ephemeral_text(room_command(post, "", "UAGENT001"))


def test_korean_refusal(post, rooms, crew):
    text = ephemeral_text(room_command(post, "예약 한강 2026-12-03 15:00-14:00 회의", "UKOREAN01"))
    assert "The end must be after the start" not in text and "종료" in text


@pytest.mark.usefixtures("english")
def test_today_lists_my_meetings_with_cancel_buttons(post, book, crew, time_machine):
    time_machine.move_to(thursday(9))
    book(title="예산 회의", attendees=[employee(crew["colleague"])])
    text = ephemeral_text(room_command(post, "today", "UAGENT001"))
    assert "예산 회의" in text and CANCEL in text
    text = ephemeral_text(room_command(post, "오늘", "UCOLLEAG1"))
    assert "예산 회의" in text and CANCEL not in text  # an attendee cannot cancel


@pytest.mark.usefixtures("english")
def test_decline_and_check_in_buttons(post, book, crew, time_machine):
    booking = book(attendees=[employee(crew["colleague"])])
    post.interaction(block_actions_payload(DECLINE, str(booking.pk), user_id="UCOLLEAG1"))
    assert not booking.attendees.exists()
    time_machine.move_to(thursday(13, 57))
    post.interaction(block_actions_payload(CHECK_IN, str(booking.pk), user_id="UAGENT001"))
    booking.refresh_from_db()
    assert booking.checked_in_at is not None


@pytest.mark.usefixtures("english")
def test_modal_books_or_shows_inline_errors(post, rooms, book, slack):
    book(title="예산 회의")

    def submit(room, day, start, end, title="회의"):
        values = {
            "room": {"room": {"type": "static_select", "selected_option": {"value": str(room.pk)}}},
            "day": {"day": {"type": "datepicker", "selected_date": day}},
            "start": {"start": {"type": "timepicker", "selected_time": start}},
            "end": {"end": {"type": "timepicker", "selected_time": end}},
            "title": {"title": {"type": "plain_text_input", "value": title}},
            "attendees": {"attendees": {"type": "multi_users_select", "selected_users": ["UCOLLEAG1"]}},
            "private": {"private": {"type": "checkboxes", "selected_options": []}},
        }
        return post.interaction(view_submission_payload(BOOK_MODAL, values, user_id="UAGENT002"))

    taken = submit(rooms["hangang"], "2026-12-03", "14:30", "15:30").json()
    assert taken["response_action"] == "errors" and "already booked" in taken["errors"]["start"]
    reversed_ = submit(rooms["hangang"], "2026-12-03", "16:00", "15:00").json()
    assert "end must be after" in reversed_["errors"]["end"]
    holiday = submit(rooms["hangang"], "2026-12-25", "10:00", "11:00").json()
    assert "holiday" in holiday["errors"]["day"]
    ok = submit(rooms["hangang"], "2026-12-03", "15:00", "16:00", title="신규 회의")
    assert ok.content in (b"", b"{}") or ok.json().get("response_action") is None
    created = Booking.objects.get(title="신규 회의")
    assert [a.slack_user_id for a in created.attendees.all()] == ["UCOLLEAG1"]


@pytest.mark.usefixtures("english")
def test_free_room_button_opens_the_prefilled_modal(post, rooms, slack, crew):
    value = json.dumps({"r": rooms["jeju"].pk, "s": thursday(14).isoformat(), "e": thursday(15).isoformat()})
    post.interaction(block_actions_payload(BOOK_ROOM, value, user_id="UAGENT001"))
    (call,) = slack.calls_to("views.open")
    view = call.args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    blocks = {b["block_id"]: b for b in view["blocks"]}
    assert blocks["room"]["element"]["initial_option"]["value"] == str(rooms["jeju"].pk)
    assert blocks["start"]["element"]["initial_time"] == "14:00"
