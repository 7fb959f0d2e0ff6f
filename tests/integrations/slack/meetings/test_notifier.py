"""The room notifier, attendee DMs and the no-show release, against the Slack stand-in."""

import pytest

from erp.audit.actor import Actor
from integrations.slack.meetings.jobs import send_agenda, send_check_in_prompts
from meetings.models import Status
from meetings.services import booking_cancel, booking_move, release_no_shows

from .conftest import FLOOR4_CHANNEL, ROOMS_CHANNEL, channel_history, content, employee, kst, sent_to, thursday

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_create_posts_to_the_rooms_channel_and_dms_attendees_with_a_decline_button(book, crew, slack):
    book(title="예산 회의", attendees=[employee(crew["colleague"])])
    (post,) = sent_to(slack, ROOMS_CHANNEL)
    assert "Booked: 한강 (3F), Dec 3 (Thu) 14:00~15:00 · 예산 회의" in post["text"]
    assert "<@UAGENT001>" in content(post)
    (invitation,) = sent_to(slack, "UCOLLEAG1")
    text = content(invitation)
    assert "You are invited: 예산 회의" in text and "Room: 한강 (3F)" in text and "meetings.decline" in text


def test_a_room_with_its_own_channel_posts_there(book, slack):
    book(room="jeju")
    assert len(sent_to(slack, FLOOR4_CHANNEL)) == 1 and sent_to(slack, ROOMS_CHANNEL) == []


def test_changes_update_the_post_and_reply_in_its_thread(book, crew, slack):
    booking = book(title="예산 회의")
    sent_to(slack, ROOMS_CHANNEL)
    by = Actor(user=crew["agent"])
    booking_move(booking=booking, start=thursday(16), end=thursday(17), by=by)
    messages = sent_to(slack, ROOMS_CHANNEL)
    original = messages[0]
    assert "16:00~17:00" in original["text"]  # updated in place
    replies = [m for m in channel_history(slack, ROOMS_CHANNEL) if m.get("thread_ts") == original["ts"]]
    assert any("Time changed: Dec 3 (Thu) 14:00~15:00 → Dec 3 (Thu) 16:00~17:00" in m["text"] for m in replies)
    booking_cancel(booking=booking, by=by)
    history = channel_history(slack, ROOMS_CHANNEL)
    replies = [m for m in history if m.get("thread_ts") == original["ts"]]
    assert any("Cancelled: 한강 is free" in m["text"] for m in replies)
    assert history[0]["text"].startswith("Cancelled:")


def test_private_bookings_never_show_their_title_in_a_channel(book, crew, slack):
    book(title="인사 면담", is_private=True, attendees=[employee(crew["colleague"])])
    (post,) = sent_to(slack, ROOMS_CHANNEL)
    assert "인사 면담" not in content(post) and "Booked" in post["text"]
    (invitation,) = sent_to(slack, "UCOLLEAG1")
    assert "인사 면담" in invitation["text"]  # the attendee takes part: they see it


def test_no_show_check_in_prompt_then_release_tells_organizer_and_channel(book, slack, time_machine):
    booking = book()
    sent_to(slack, ROOMS_CHANNEL)
    time_machine.move_to(thursday(13, 56))
    assert send_check_in_prompts() == 1
    assert send_check_in_prompts() == 1  # asked again: the outbox sends it once
    (prompt,) = sent_to(slack, "UAGENT001")
    assert "meetings.check_in" in content(prompt) and "released 10 minutes after the start" in prompt["text"]
    time_machine.move_to(thursday(14, 11))
    assert release_no_shows() == 1
    booking.refresh_from_db()
    assert booking.status == Status.RELEASED
    dms = sent_to(slack, "UAGENT001")
    assert any("Nobody checked in, so 한강 was released" in m["text"] for m in dms)
    history = channel_history(slack, ROOMS_CHANNEL)
    assert any("Nobody checked in within 10 minutes: 한강 is free again until 15:00." in m["text"] for m in history)


def test_daily_agenda_once_per_channel_on_working_days(book, slack):
    book(title="예산 회의")
    book(room="bukhan", title="인사 면담", is_private=True)
    book(room="jeju", title="고객 미팅")
    assert send_agenda(kst(2026, 12, 3).date()) == 2
    assert send_agenda(kst(2026, 12, 3).date()) == 0
    (agenda,) = [m for m in sent_to(slack, ROOMS_CHANNEL) if "meetings on" in m["text"]]
    assert "예산 회의" in agenda["text"] and "인사 면담" not in agenda["text"] and "Booked" in agenda["text"]
    assert send_agenda(kst(2026, 12, 5).date()) == 0  # a Saturday
