"""Meetings fixtures: rooms on two floors, an organizer, an attendee, an outsider, a room admin.

The clock is pinned at a working Wednesday (2 December 2026, 10:00 KST); bookings go on the
next day, Thursday 3 December 2026, inside the default opening hours (07:00–22:00).
"""

from datetime import datetime

import pytest
from django.core.cache import cache
from django.utils import translation

from erp.audit.actor import Actor
from erp.people.models import Role
from erp.workcalendar.calendar import KST
from meetings.models import MeetingSettings, Room
from meetings.services import booking_create
from meetings.timeline_cache import forget_local
from tests.clock import WORKING_WEDNESDAY, clock_pinned_at
from tests.factories import make_employee


def kst(*args) -> datetime:
    return datetime(*args, tzinfo=KST)


THURSDAY = (2026, 12, 3)


def thursday(hour: int, minute: int = 0) -> datetime:
    return kst(*THURSDAY, hour, minute)


@pytest.fixture(autouse=True)
def _pinned_clock(request):
    yield from clock_pinned_at(request, WORKING_WEDNESDAY)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The cached timelines (meetings.timeline_cache) must not outlive a rolled-back test."""
    cache.clear()
    forget_local()
    yield
    cache.clear()
    forget_local()


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield


@pytest.fixture
def rooms(db):
    return {
        "hangang": Room.objects.create(name="한강", floor="3F", capacity=6, equipment="TV"),
        "bukhan": Room.objects.create(name="북한산", floor="3F", capacity=6),
        "jeju": Room.objects.create(name="제주", floor="4F", capacity=12, equipment="TV, 화상회의"),
        "small": Room.objects.create(name="포커스룸", floor="4F", capacity=2),
    }


@pytest.fixture
def people(db):
    return {
        "organizer": make_employee("minji", display_name="김민지", slack_user_id="UORGANIZ1"),
        "attendee": make_employee("junho", display_name="이준호", slack_user_id="UATTEND01"),
        "outsider": make_employee("sora", display_name="박소라", slack_user_id="UOUTSIDE1"),
        "admin": make_employee("admin", display_name="최관리", role=Role.ADMIN),
    }


@pytest.fixture
def book(rooms, people):
    def create(room="hangang", start=None, end=None, *, by=None, **kwargs):
        organizer = kwargs.pop("organizer", people["organizer"])
        return booking_create(
            room=rooms[room] if isinstance(room, str) else room,
            title=kwargs.pop("title", "주간 회의"),
            organizer=organizer,
            start=start or thursday(14),
            end=end or thursday(15),
            by=by or Actor(user=organizer.user),
            **kwargs,
        )

    return create


@pytest.fixture
def rules(db):
    return MeetingSettings.objects.create()
