"""The meetings brief section and the room-usage rollup and report (meetings/brief.py, rollup.py,
dashboard.py): today's meetings of the team without times or private titles; the rollup equals
the raw aggregates of the bookings after random changes through the services."""

import random
from collections import Counter
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from erp.audit.actor import Actor
from erp.core.errors import DomainError
from erp.history.brief import brief_for
from erp.history.models import RollupCell, TeamBrief
from erp.history.rollups import fold, fold_all, get_rollup
from erp.people.models import Department, Employee, Role
from erp.workcalendar.calendar import KST
from integrations.slack.core.models import SlackMessage
from integrations.slack.meetings.jobs import send_agenda
from meetings.models import Booking, MeetingSettings, Status
from meetings.services import booking_cancel, booking_check_in, booking_move, booking_release
from tests.history.conftest import brief_round_trip
from tests.meetings.conftest import kst

pytestmark = pytest.mark.django_db
WEDNESDAY = date(2026, 12, 2)


@pytest.fixture
def infra(people):
    department = Department.objects.create(name="인프라팀", code="infra")
    Employee.objects.filter(pk__in=[people["organizer"].pk, people["attendee"].pk]).update(department=department)
    return department


def test_brief_lists_todays_team_meetings_without_times_or_private_titles(book, people, infra):
    book("hangang", kst(2026, 12, 2, 14), kst(2026, 12, 2, 15), title="주간 회의 010-1234-5678")
    book("jeju", kst(2026, 12, 2, 16), kst(2026, 12, 2, 17), title="연봉 협상", is_private=True)
    outsider = book("bukhan", kst(2026, 12, 2, 11), kst(2026, 12, 2, 12), title="남의 회의",
                    organizer=people["outsider"])  # fmt: skip
    as_attendee = book("small", kst(2026, 12, 2, 13), kst(2026, 12, 2, 14), title="1:1", organizer=people["outsider"],
                       attendees=[people["attendee"]])  # fmt: skip
    cancelled = book("hangang", kst(2026, 12, 2, 17), kst(2026, 12, 2, 18), title="취소된 회의")
    booking_cancel(booking=cancelled, by=Actor(user=people["organizer"].user))
    book("hangang", kst(2026, 12, 3, 14), kst(2026, 12, 3, 15), title="내일 회의")
    ((_section, part),) = [(s, p) for s, p in brief_for(infra, WEDNESDAY) if s.key == "meetings"]
    assert part.lines == [
        "Today's meetings: 3",
        "· 포커스룸 — 1:1",
        "· 한강 — 주간 회의 010-****-5678",
        "· 제주 — Private meeting",
    ]
    text = "\n".join(part.lines)
    assert "연봉" not in text and "남의 회의" not in text and "취소" not in text and "내일" not in text
    assert as_attendee.pk and outsider.pk
    other = Department.objects.create(name="개발팀", code="dev")
    assert not any(s.key == "meetings" for s, _p in brief_for(other, WEDNESDAY))


def rolled(metric):
    rows = RollupCell.objects.filter(rollup="meetings", metric=metric).values("day", "scope")
    return {
        (r["day"], r["scope"]): (round(r["t"], 1), r["c"])
        for r in rows.annotate(t=Sum("total"), c=Sum("n")).order_by()
        if r["c"]
    }


def raw_figures():
    counts, minutes = {m: Counter() for m in ("booked", "checked_in", "no_show", "cancelled")}, Counter()
    for booking in Booking.objects.all():
        key = (timezone.localtime(booking.start, KST).date(), booking.room_id)
        if booking.status == Status.CANCELLED:
            counts["cancelled"][key] += 1
            continue
        counts["booked"][key] += 1
        minutes[key] += round((booking.end - booking.start).total_seconds() / 60, 1)
        if booking.checked_in_at:
            counts["checked_in"][key] += 1
        if booking.status == Status.RELEASED:
            counts["no_show"][key] += 1
    return counts, minutes


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_room_rollup_equals_raw_aggregates_after_random_changes(seed, book, people, rooms):
    rng = random.Random(seed)
    rollup = get_rollup("meetings")
    bookings = []
    organizer = Actor(user=people["organizer"].user)
    for _step in range(40):
        op = rng.choice(["book", "book", "move", "cancel", "check_in", "release", "fold"])
        booking = rng.choice(bookings) if bookings else None
        if booking is not None:
            booking.refresh_from_db()
        try:
            if op == "book" or booking is None:
                start = kst(2026, 12, rng.randint(3, 9), rng.randint(8, 19), rng.choice([0, 30]))
                bookings.append(
                    book(rng.choice(list(rooms)), start, start + timedelta(minutes=rng.choice([30, 60, 90])))
                )
            elif op == "move":
                start = booking.start + timedelta(days=rng.choice([0, 1]), minutes=rng.choice([-60, 30, 120]))
                booking_move(booking=booking, start=start, end=start + (booking.end - booking.start), by=organizer)
            elif op == "cancel":
                booking_cancel(booking=booking, by=organizer)
            elif op == "check_in":
                booking_check_in(booking=booking, by=organizer, now=booking.start + timedelta(minutes=1))
            elif op == "release":
                booking_release(booking=booking, by=Actor.system(), now=booking.start + timedelta(minutes=25))
            else:
                fold(rollup)
        except (ValidationError, PermissionDenied, DomainError):
            pass  # a conflict, a booking outside opening hours, an action on a cancelled one …
    fold(rollup)
    counts, minutes = raw_figures()
    assert counts["booked"] and counts["cancelled"]  # the random walk reached both
    for metric, expected in counts.items():
        assert {k: n for k, (_t, n) in rolled(metric).items()} == dict(expected), metric
    assert {k: t for k, (t, _n) in rolled("booked").items()} == pytest.approx(dict(minutes))
    assert fold(rollup).changed == 0


def test_room_report_for_room_admins_and_managers(client, book, people, rooms, settings):
    settings.LANGUAGE_CODE = "en"
    first = book("hangang", kst(2026, 12, 3, 14), kst(2026, 12, 3, 15, 30))
    book("jeju", kst(2026, 12, 3, 9), kst(2026, 12, 3, 10))
    booking_check_in(booking=first, by=Actor(user=people["organizer"].user), now=kst(2026, 12, 3, 14, 1))
    fold_all()
    url = reverse("reports:report", args=["meetings"])
    params = {"start": "2026-12-01", "end": "2026-12-31"}
    client.force_login(people["admin"].user)
    response = client.get(url, params)
    shown = {str(label): value for label, value in response.context["data"].figures}
    assert (shown["Bookings"], shown["Hours booked"], shown["Check-in rate"]) == ("2", "2.5", "50%")
    rooms_table = response.context["data"].table("rooms").rows
    assert [row[:3] for row in rooms_table] == [["한강", 1, 1.5], ["제주", 1, 1.0]]
    client.force_login(people["organizer"].user)
    assert client.get(url, params).status_code == 403
    Employee.objects.filter(pk=people["outsider"].pk).update(role=Role.MANAGER)
    client.force_login(people["outsider"].user)
    assert client.get(url, params).status_code == 200
    assert client.get(url, {**params, "export": "rooms"})["Content-Type"].startswith("text/csv")


@pytest.fixture
def agenda_in_team_channel(infra):
    """The rooms' agenda goes to the infra team's own channel."""
    Department.objects.filter(pk=infra.pk).update(slack_channel_id="CINFRA001")
    infra.refresh_from_db()
    rules = MeetingSettings.current()
    rules.rooms_channel_id = "CINFRA001"
    rules.save()
    return infra


def test_the_brief_replaces_the_room_agenda_in_an_opted_in_teams_channel(book, people, agenda_in_team_channel, slack):
    book("hangang", kst(2026, 12, 2, 14), kst(2026, 12, 2, 15), title="주간 회의")
    brief_round_trip(
        agenda_in_team_channel, send_agenda, WEDNESDAY, section="meetings", channel="CINFRA001", kind="meetings.agenda"
    )


def test_a_team_without_meetings_today_keeps_the_agenda_of_its_channel(book, people, agenda_in_team_channel, slack):
    """The brief has no meetings section for the team: the agenda is not eaten."""
    book("bukhan", kst(2026, 12, 2, 11), kst(2026, 12, 2, 12), title="남의 회의", organizer=people["outsider"])
    TeamBrief.objects.create(department=agenda_in_team_channel)
    assert "meetings" not in [s.key for s, _p in brief_for(agenda_in_team_channel, WEDNESDAY)]
    assert send_agenda(WEDNESDAY) == 1
    assert SlackMessage.objects.filter(target="CINFRA001", kind="meetings.agenda").exists()
