"""Daily ticket digest: one message per group channel, working days only.

The figures themselves (periods, SQL aggregates) are tested at the selector level in
tests/tickets/test_reports.py; here: what reaches the outbox.
"""

from datetime import date, datetime, timedelta

import pytest

from erp.workcalendar.calendar import KST, get_calendar
from integrations.slack.core.models import SlackMessage
from integrations.slack.tickets.digest import send_daily_digest
from integrations.slack.tickets.tasks import daily_ticket_digest
from tickets.models import Status, Ticket

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

TUESDAY = date(2026, 9, 22)


def kst(day, hour, minute=0):
    return datetime(2026, 9, day, hour, minute, tzinfo=KST)


@pytest.fixture
def history(people, new_ticket):
    """Monday 2026-09-21 in the infra group, plus an older open breach."""

    def make(created, responded=None, resolved=None, breached=False, status=Status.OPEN, sla=True):
        ticket = new_ticket()
        Ticket.objects.filter(pk=ticket.pk).update(
            created_at=created,
            first_responded_at=responded,
            resolved_at=resolved,
            status=Status.RESOLVED if resolved else status,
            resolution_breached=breached,
            first_response_breached=False,
            resolution_due=created + timedelta(hours=8) if sla else None,
        )
        return ticket

    make(kst(21, 10), responded=kst(21, 10, 30), resolved=kst(21, 12))
    make(kst(21, 11), responded=kst(21, 13), resolved=kst(21, 17), breached=True)
    make(kst(18, 9), breached=True, status=Status.IN_PROGRESS)  # Friday: an open breach
    make(kst(21, 15))
    make(kst(22, 0, 30))  # today: not in yesterday's figures
    SlackMessage.objects.all().delete()  # forget the creation notifications


def test_digest_is_posted_once_per_group_channel(slack, people, history):
    assert send_daily_digest(TUESDAY) == 1
    assert send_daily_digest(TUESDAY) == 0  # idempotent per group and day
    [row] = SlackMessage.objects.filter(kind="tickets.digest")
    assert row.target == "CINFRA001"
    flat = str(row.blocks)
    for figure in ("*New*\\n3", "*Resolved*\\n2", "1 h 15 m", "4 h", "50% (1/2)", "🚨 1"):
        assert figure in flat, figure


def test_no_digest_on_days_off(people, history):
    substitute_holiday = date(2026, 3, 2)
    assert get_calendar().is_holiday(substitute_holiday)
    assert send_daily_digest(substitute_holiday) == 0
    assert send_daily_digest(date(2026, 9, 26)) == 0  # a Saturday


def test_beat_task_runs_for_today(people, history):
    assert daily_ticket_digest.run() in (0, 1)


def _rating(ticket, rater, score, at):
    from tickets.models import SatisfactionRating

    rating = SatisfactionRating.objects.create(ticket=ticket, rater=rater, score=score)
    SatisfactionRating.objects.filter(pk=rating.pk).update(created_at=at, updated_at=at)


def test_satisfaction_given_in_the_period_is_shown(people, history, new_ticket):
    dev = people["dev"]
    infra_tickets = list(Ticket.objects.filter(group=people["infra"]).order_by("pk"))
    _rating(infra_tickets[0], people["requester"], 5, kst(21, 13))
    _rating(infra_tickets[1], people["requester"], 2, kst(21, 18))
    _rating(infra_tickets[2], people["requester"], 1, kst(22, 1))  # today: the next digest's
    # A group with nothing but a rating still gets its digest.
    dev_ticket = new_ticket(group=dev)
    Ticket.objects.filter(pk=dev_ticket.pk).update(created_at=kst(10, 9))
    _rating(dev_ticket, people["requester"], 4, kst(21, 9))

    assert send_daily_digest(TUESDAY) == 2
    infra_row = SlackMessage.objects.get(kind="tickets.digest", target="CINFRA001")
    assert "3.5 / 5 (2 ratings)" in str(infra_row.blocks)


def test_a_missed_nine_oclock_digest_is_posted_once_at_eleven(slack, people, history):
    assert send_daily_digest(now=kst(22, 8, 45)) == 0  # before 09:00
    # Nothing ran at 09:00 (worker down); the 11:00 tick catches up, the next ones find it done.
    assert send_daily_digest(now=kst(22, 11, 0)) == 1
    assert send_daily_digest(now=kst(22, 11, 15)) == 0
    assert SlackMessage.objects.filter(kind="tickets.digest").count() == 1


def test_no_digest_tick_on_chuseok(people, history):
    assert send_daily_digest(now=datetime(2026, 9, 25, 9, 0, tzinfo=KST)) == 0


def test_the_digest_speaks_the_company_language(slack, people, history, settings):
    from django.utils import translation

    settings.LANGUAGE_CODE = "ko"
    with translation.override("en"):
        assert send_daily_digest(now=kst(22, 9, 0)) == 1
    assert "티켓 요약 · 인프라팀" in SlackMessage.objects.get(kind="tickets.digest").text


def test_the_module_declares_the_catch_up_ticks():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["integrations.slack.daily_ticket_digest"]
    assert entry["task"] == daily_ticket_digest.name
    assert min(entry["schedule"].hour) == 9 and entry["schedule"].minute == {0, 15, 30, 45}
