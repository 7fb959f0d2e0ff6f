"""Fixtures for the Slack side of meeting rooms: the inbound crew, rooms with channels.

The clock is pinned at a working Wednesday (2 December 2026, 10:00 KST); bookings go on
Thursday 3 December. Deliveries run with ``drain`` against the local Slack stand-in.
"""

import json
from datetime import datetime

import pytest
from django.conf import settings

from erp.audit.actor import Actor
from erp.people.models import Employee
from erp.workcalendar.calendar import KST
from integrations.slack.core.models import DeliveryStatus, SlackMessage
from meetings.models import MeetingSettings, Room
from meetings.services import booking_create
from tests.clock import WORKING_WEDNESDAY, clock_pinned_at
from tests.integrations.slack.conftest import drain
from tests.integrations.slack.inbound.conftest import (  # noqa: F401  (fixtures used by the tests here)
    _fresh_process_memory,
    crew,
    ephemeral_text,
    post,
)

ROOMS_CHANNEL = "CROOMS001"
FLOOR4_CHANNEL = "CFLOOR004"


def kst(*args) -> datetime:
    return datetime(*args, tzinfo=KST)


def thursday(hour: int, minute: int = 0) -> datetime:
    return kst(2026, 12, 3, hour, minute)


@pytest.fixture(autouse=True)
def _pinned_clock(request):
    yield from clock_pinned_at(request, WORKING_WEDNESDAY)


@pytest.fixture
def rooms(db):
    MeetingSettings.objects.create(rooms_channel_id=ROOMS_CHANNEL)
    return {
        "hangang": Room.objects.create(name="한강", floor="3F", capacity=6),
        "bukhan": Room.objects.create(name="북한산", floor="3F", capacity=8),
        "jeju": Room.objects.create(name="제주", floor="4F", capacity=12, slack_channel_id=FLOOR4_CHANNEL),
    }


def employee(user) -> Employee:
    return Employee.objects.select_related("user").get(user=user)


@pytest.fixture
def book(rooms, crew):  # noqa: F811  (the imported fixture)
    def create(room="hangang", start=None, end=None, *, organizer="agent", **kwargs):
        person = employee(crew[organizer])
        return booking_create(
            room=rooms[room],
            title=kwargs.pop("title", "주간 회의"),
            organizer=person,
            start=start or thursday(14),
            end=end or thursday(15),
            by=Actor(user=person.user),
            **kwargs,
        )

    return create


def room_command(poster, text: str, user_id: str, **kwargs):
    return poster.command(text, user_id, command=settings.SLACK_ROOM_COMMAND, **kwargs)


def sent_to(slack, target: str) -> list[dict]:
    """The messages Slack holds for the deliveries to ``target`` (a channel or user id), in order."""
    drain()
    held = slack.messages
    rows = SlackMessage.objects.filter(target=target, status=DeliveryStatus.SENT).order_by("pk")
    found = []
    for row in rows:
        for message in held.get(row.channel_id, []):
            if message["ts"] == row.ts:
                found.append(message)
    return found


def content(message: dict) -> str:
    return message.get("text", "") + "\n" + json.dumps(message.get("blocks") or [], ensure_ascii=False)


def channel_history(slack, target: str) -> list[dict]:
    """Everything Slack holds in the channel ``target`` was delivered to (thread replies too)."""
    drain()
    row = SlackMessage.objects.filter(target=target, status=DeliveryStatus.SENT).exclude(channel_id="").first()
    return list(slack.messages.get(row.channel_id, [])) if row else []
