"""tickets.reports: periods, the digest figures, a group's workload and the daily/weekly report.

The figures the Slack digest and the ``/fs team`` / ``/fs report`` commands render are
checked here, at the selector level, against a pinned history (never the wall clock).
"""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from erp.people.models import Department, Role
from erp.workcalendar.calendar import KST
from tickets.models import SatisfactionRating, SLAState, Status, Ticket
from tickets.reports import (
    DigestFigures,
    Period,
    can_view_reports,
    daily_digest_figures,
    day_period,
    group_figures,
    report_scope,
    since_previous_working_day,
    team_workload,
    ticket_report,
    week_period,
)

from .conftest import make_person

pytestmark = pytest.mark.django_db

TUESDAY = date(2026, 9, 22)


def kst(day, hour, minute=0):
    return datetime(2026, 9, day, hour, minute, tzinfo=KST)


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def _at(ticket, **moments):
    Ticket.objects.filter(pk=ticket.pk).update(**moments)
    ticket.refresh_from_db()
    return ticket


@pytest.fixture
def history(people, new_ticket, clock):
    """Monday 2026-09-21 in the infra group, plus an older open breach (the same as the Slack digest's)."""

    def make(created, responded=None, resolved=None, breached=False, status=Status.OPEN, sla=True):
        return _at(
            new_ticket(),
            created_at=created,
            first_responded_at=responded,
            resolved_at=resolved,
            status=Status.RESOLVED if resolved else status,
            resolution_breached=breached,
            first_response_breached=False,
            resolution_due=created + timedelta(hours=8) if sla else None,
        )

    make(kst(21, 10), responded=kst(21, 10, 30), resolved=kst(21, 12))
    make(kst(21, 11), responded=kst(21, 13), resolved=kst(21, 17), breached=True)
    make(kst(18, 9), breached=True, status=Status.IN_PROGRESS)  # Friday: an open breach
    make(kst(21, 15))
    make(kst(22, 0, 30))  # today: not in yesterday's figures


def _rating(ticket, rater, score, at):
    rating = SatisfactionRating.objects.create(ticket=ticket, rater=rater, score=score)
    SatisfactionRating.objects.filter(pk=rating.pk).update(created_at=at, updated_at=at)


# --- periods ------------------------------------------------------------------------------
def test_digest_period_covers_the_days_since_the_previous_working_day(db):
    period = since_previous_working_day(TUESDAY)
    assert (period.start, period.end) == (kst(21, 0), kst(22, 0))
    monday = since_previous_working_day(date(2026, 9, 21))
    assert monday.start == kst(18, 0) and "9월 18일 (금)" in monday.label and "9월 20일 (일)" in monday.label


def test_digest_period_after_a_holiday_covers_the_holiday(db):
    # 추석 2026: Thu 24 – Sat 26; the Monday after starts on Wednesday 23.
    after_chuseok = since_previous_working_day(date(2026, 9, 28))
    assert (after_chuseok.first_day, after_chuseok.last_day) == (date(2026, 9, 23), date(2026, 9, 27))


def test_period_label_names_weekdays_in_the_active_language(db):
    monday = since_previous_working_day(date(2026, 9, 21))
    with translation.override("ko"):
        assert monday.label == "9월 18일 (금) ~ 9월 20일 (일)"
    with translation.override("en"):
        assert monday.label == "Sep 18 (Fri) – Sep 20 (Sun)"
        assert since_previous_working_day(TUESDAY).label == "Sep 21 (Mon)"


def test_day_and_week_are_cut_at_kst_midnight():
    assert day_period(TUESDAY) == Period(kst(22, 0), kst(23, 0))
    assert day_period(TUESDAY).label == "9월 22일 (화)"
    week = week_period(date(2026, 9, 27))  # a Sunday belongs to the week that began on Monday
    assert week == Period(kst(21, 0), kst(28, 0))
    assert week.label == "9월 21일 (월) ~ 9월 27일 (일)"  # the company language (ko) joins with ~
    assert week_period(date(2026, 9, 21)) == week


# --- the digest ---------------------------------------------------------------------------
def test_digest_figures_per_group(people, infra, history):
    figures = group_figures(since_previous_working_day(TUESDAY))
    assert set(figures) == {infra.pk}
    assert figures[infra.pk] == DigestFigures(
        new=3,
        resolved=2,
        avg_first_response=timedelta(minutes=75),
        avg_resolution=timedelta(hours=4),
        sla_measured=2,
        sla_met=1,
        open_breaches=1,
    )
    assert figures[infra.pk].sla_compliance == 50


def test_satisfaction_given_in_the_period_is_averaged(people, infra, dev, history, new_ticket):
    infra_tickets = list(Ticket.objects.filter(group=infra).order_by("pk"))
    _rating(infra_tickets[0], people["requester"], 5, kst(21, 13))
    _rating(infra_tickets[1], people["requester"], 2, kst(21, 18))
    _rating(infra_tickets[2], people["requester"], 1, kst(22, 1))  # today: the next digest's
    # A group with nothing but a rating still gets its digest.
    dev_ticket = _at(new_ticket(group=dev), created_at=kst(10, 9))
    _rating(dev_ticket, people["requester"], 4, kst(21, 9))

    figures = group_figures(since_previous_working_day(TUESDAY))
    assert (figures[infra.pk].ratings, figures[infra.pk].avg_satisfaction, figures[infra.pk].new) == (2, 3.5, 3)
    assert (figures[dev.pk].ratings, figures[dev.pk].avg_satisfaction, figures[dev.pk].new) == (1, 4.0, 0)
    assert not figures[dev.pk].is_empty


def test_daily_digest_lists_active_groups_with_something_to_show(people, infra, dev, history, new_ticket):
    _rating(_at(new_ticket(group=dev), created_at=kst(10, 9)), people["requester"], 4, kst(21, 9))
    quiet = Department.objects.create(name="가나다팀", code="quiet")  # sorts first, but nothing happened
    retired = Department.objects.create(name="나중팀", code="retired", is_active=False)
    _at(new_ticket(group=retired), created_at=kst(21, 9))

    digests = daily_digest_figures(day=TUESDAY)
    assert [digest.group.name for digest in digests] == ["개발팀", "인프라팀"]
    assert all(digest.period == since_previous_working_day(TUESDAY) for digest in digests)
    assert quiet not in [digest.group for digest in digests]
    (only,) = daily_digest_figures(day=TUESDAY, group=infra)
    assert only.group == infra and only.figures.new == 3


def test_digest_figures_take_two_queries(people, history, django_assert_num_queries):
    period = since_previous_working_day(TUESDAY)
    with django_assert_num_queries(2):
        group_figures(period)


# --- a group's workload -------------------------------------------------------------------
@pytest.fixture
def workload_tickets(people, infra, new_ticket, clock):
    first = new_ticket()
    second = new_ticket(urgency="high", impact="high")
    new_ticket(sensitive=True)  # only its requester, managers of infra and admins see it
    Ticket.objects.filter(pk=first.pk).update(assignee=people["agent2"], sla_state=SLAState.BREACHED)
    Ticket.objects.filter(pk=second.pk).update(sla_state=SLAState.AT_RISK, status=Status.IN_PROGRESS)
    _at(new_ticket(), status=Status.RESOLVED)  # not open: not workload
    return first, second


def test_team_workload_counts_the_open_tickets(people, infra, workload_tickets, english):
    load = team_workload(user=people["manager"], group=infra)
    assert (load.group_name, load.total, load.breached, load.at_risk) == ("인프라팀", 3, 1, 1)
    assert dict(load.by_status) == {"Open": 2, "In progress": 1}
    assert sum(count for _label, count in load.by_priority) == 3
    assert dict(load.by_assignee) == {"Unassigned": 2, "agent2": 1}


def test_team_workload_counts_only_what_the_user_may_see(people, infra, workload_tickets):
    assert team_workload(user=people["agent"], group=infra).total == 2  # not the sensitive one
    assert team_workload(user=people["other_agent"], group=infra).total == 0
    # The requester sees their own requests counted, nothing more.
    assert team_workload(user=people["requester"], group=infra).total == 3
    assert team_workload(user=people["colleague"], group=infra).total == 0


def test_team_workload_caps_the_assignee_rows(people, infra, workload_tickets):
    assert len(team_workload(user=people["admin"], group=infra, assignees=1).by_assignee) == 1


# --- the report ---------------------------------------------------------------------------
@pytest.fixture
def report_history(people, infra, dev, new_ticket, clock):
    """Tuesday 2026-09-22: two infra tickets opened (one breached), one resolved, one closed; a dev one."""
    from tickets.services import ticket_close, ticket_rate, ticket_resolve

    clock.set(2026, 9, 21, 10)
    older = new_ticket(title="월요일 티켓")
    clock.set(2026, 9, 22, 10)
    breached = _at(new_ticket(urgency="high", impact="high"), resolution_breached=True)
    resolved = new_ticket()
    new_ticket(group=dev)
    clock.set(2026, 9, 22, 10, 30)  # within every SLA target
    ticket_resolve(ticket=resolved, resolution="재부팅", by=people["agent"])
    ticket_rate(ticket=resolved, score=4, by=people["requester"])
    ticket_close(ticket=older, resolution="중복", by=people["agent"])
    return {"older": older, "breached": breached, "resolved": resolved}


def test_daily_report_of_the_own_group(people, report_history, english):
    report = ticket_report(user=people["manager"], period=day_period(TUESDAY))
    assert report.scope == "인프라팀" and report.period == day_period(TUESDAY)
    figures = (report.created, report.resolved, report.closed, report.open_now, report.breached)
    assert figures == (2, 1, 1, 1, 1)
    assert (report.ratings, report.avg_satisfaction) == (1, 4.0)
    assert report.by_group == [("인프라팀", 2)]
    assert sum(count for _label, count in report.by_priority) == 2


def test_weekly_report_of_all_groups_for_an_admin(people, report_history, english):
    report = ticket_report(user=people["admin"], period=week_period(TUESDAY))
    assert report.scope == "All groups"
    assert (report.created, report.resolved, report.closed, report.open_now) == (4, 1, 1, 2)
    assert report.by_group == [("인프라팀", 3), ("개발팀", 1)]


def test_a_quiet_period_reports_zeroes(people, report_history):
    report = ticket_report(user=people["manager"], period=day_period(date(2026, 9, 1)))
    assert (report.created, report.resolved, report.ratings, report.avg_satisfaction) == (0, 0, 0, None)
    assert report.open_now == 1  # "still open" is now, whatever the period


def test_report_rights(people, infra, dev):
    assert can_view_reports(people["agent"]) and can_view_reports(people["manager"], infra)
    assert not can_view_reports(people["agent"], dev)
    assert can_view_reports(people["admin"], dev) and report_scope(people["admin"]) is None
    assert report_scope(people["agent"]) == infra
    assert not can_view_reports(people["requester"])


@pytest.mark.parametrize(
    ("who", "group", "message"),
    [
        ("requester", None, "Only agents and managers"),
        ("loner", None, "You belong to no group"),
        ("agent", "dev", "your own group"),
    ],
)
def test_report_refusals_say_why(people, dev, english, who, group, message):
    people["loner"] = make_person("loner", None, Role.AGENT)
    with pytest.raises(PermissionDenied, match=message):
        ticket_report(user=people[who], period=day_period(TUESDAY), group=dev if group else None)


def test_refusals_are_translated(people):
    with translation.override("ko"), pytest.raises(PermissionDenied) as refused:
        ticket_report(user=people["requester"], period=day_period(TUESDAY))
    assert "담당자" in str(refused.value)
