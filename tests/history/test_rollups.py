"""Rollups against raw aggregates: after random changes through the services, folded at random
moments, the cells equal what the tickets and work days say now."""

import random
from collections import Counter
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.utils import timezone

from attendance.models import WorkDay
from attendance.services import work_day_set_leave
from erp.audit.actor import Actor
from erp.core.errors import DomainError
from erp.history.models import RollupCell, RollupChange, RollupFact
from erp.history.rollups import fold, get_rollup
from erp.people.models import Employee
from erp.workcalendar.calendar import KST
from tests.history.conftest import assert_cells_sql_agrees
from tickets.models import ACTIVE_STATUSES, Level, SatisfactionRating, Ticket
from tickets.services import (
    sla_sweep,
    ticket_assign,
    ticket_close,
    ticket_comment,
    ticket_rate,
    ticket_reopen,
    ticket_resolve,
)

pytestmark = pytest.mark.django_db
REFUSED = (DomainError, ValidationError, PermissionDenied)


def kst_day(moment):
    return timezone.localtime(moment, KST).date()


def rolled(rollup, metric):
    """{(day, scope): (total, n)} of one metric, as the cells hold it."""
    rows = RollupCell.objects.filter(rollup=rollup, metric=metric).values("day", "scope")
    return {
        (r["day"], r["scope"]): (round(r["t"], 1), r["c"])
        for r in rows.annotate(t=Sum("total"), c=Sum("n")).order_by()
        if r["c"]
    }


def raw_ticket_figures():
    """The oracle: the same figures straight from the tickets and ratings tables."""
    figures = {m: Counter() for m in ("created", "resolved", "open", "first_response", "csat")}
    sums = {m: Counter() for m in figures}
    for t in Ticket.objects.all():
        g = t.group_id or 0
        figures["created"][(kst_day(t.created_at), g)] += 1
        done = t.resolved_at or t.closed_at
        if t.status in ACTIVE_STATUSES:
            figures["open"][(kst_day(t.created_at), g)] += 1
        elif done:
            figures["resolved"][(kst_day(done), g)] += 1
            sums["resolved"][(kst_day(done), g)] += (done - t.created_at).total_seconds() / 60
        if t.first_responded_at:
            key = (kst_day(t.first_responded_at), g)
            figures["first_response"][key] += 1
            sums["first_response"][key] += (t.first_responded_at - t.created_at).total_seconds() / 60
        rating = SatisfactionRating.objects.filter(ticket=t).order_by("-updated_at", "-pk").first()
        if rating:
            figures["csat"][(kst_day(rating.updated_at), g)] += 1
            sums["csat"][(kst_day(rating.updated_at), g)] += rating.score
    return {
        metric: {key: (round(sums[metric][key], 1) if metric != "created" and metric != "open" else None, n)
                 for key, n in counts.items()}
        for metric, counts in figures.items()
    }  # fmt: skip


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_ticket_rollup_equals_raw_aggregates_after_random_changes(seed, people, infra, dev, new_ticket, clock):
    rng = random.Random(seed)
    rollup = get_rollup("tickets")
    agents = [people["agent"], people["agent2"], people["manager"]]
    tickets = []
    for _step in range(45):
        clock.advance(minutes=rng.choice([5, 40, 90, 600, 1500]))
        op = rng.choice(
            ["create", "create", "assign", "comment", "resolve", "reopen", "close", "rate", "sweep", "fold"]
        )
        ticket = rng.choice(tickets) if tickets else None
        if ticket is not None:
            ticket.refresh_from_db()
        try:
            if op == "create" or ticket is None:
                tickets.append(
                    new_ticket(
                        title=f"장애 {len(tickets)}",
                        group=rng.choice([infra, dev]),
                        impact=rng.choice([Level.HIGH, Level.MEDIUM, Level.LOW]),
                        urgency=rng.choice([Level.HIGH, Level.MEDIUM]),
                    )
                )
            elif op == "assign":
                ticket_assign(ticket=ticket, assignee=rng.choice(agents), by=Actor(user=people["admin"]))
            elif op == "comment":
                ticket_comment(ticket=ticket, body="확인 중입니다", by=rng.choice(agents + [people["admin"]]))
            elif op == "resolve":
                ticket_resolve(ticket=ticket, resolution="재시작", by=Actor(user=people["admin"]))
            elif op == "reopen":
                ticket_reopen(ticket=ticket, reason="재발", by=Actor(user=people["requester"]))
            elif op == "close":
                ticket_close(ticket=ticket, reason="완료", by=Actor(user=people["admin"]))
            elif op == "rate":
                ticket_rate(ticket=ticket, score=rng.randint(1, 5), comment="", by=Actor(user=ticket.requester))
            elif op == "sweep":
                sla_sweep(timezone.now())
            else:
                fold(rollup)
        except REFUSED:
            pass  # a transition the workflow refuses (resolving a closed ticket …) changes nothing
    fold(rollup)
    raw = raw_ticket_figures()
    for metric, expected in raw.items():
        cells = rolled("tickets", metric)
        assert {k: n for k, (_t, n) in cells.items()} == {k: n for k, (_t, n) in expected.items()}, metric
        if metric in ("resolved", "first_response", "csat"):
            assert {k: t for k, (t, _n) in cells.items()} == pytest.approx({k: t for k, (t, _n) in expected.items()})
    assert RollupFact.objects.filter(rollup="tickets").count() == Ticket.objects.count()
    assert_cells_sql_agrees(rollup)
    # Folding again with nothing changed changes nothing.
    assert fold(rollup).changed == 0


def test_sla_breach_reaches_the_rollup_through_its_signal(people, new_ticket, clock):
    ticket = new_ticket(impact=Level.HIGH, urgency=Level.HIGH)
    rollup = get_rollup("tickets")
    fold(rollup)
    clock.advance(days=3)
    sla_sweep(timezone.now())
    assert RollupChange.objects.filter(rollup="tickets", object_id=ticket.pk).exists()
    ticket.refresh_from_db()
    assert ticket.first_response_breached
    fold(rollup)
    assert rolled("tickets", "sla_first_response") == {(kst_day(ticket.first_response_due), ticket.group_id): (0, 1)}


def test_deleted_records_take_their_contribution_with_them(people, new_ticket):
    ticket = new_ticket()
    rollup = get_rollup("tickets")
    fold(rollup)
    assert rolled("tickets", "created")
    pk = ticket.pk
    Ticket.objects.filter(pk=pk).delete()
    RollupChange.objects.create(rollup="tickets", object_id=pk)
    fold(rollup)
    assert rolled("tickets", "created") == {}
    assert not RollupFact.objects.filter(rollup="tickets", object_id=pk).exists()


@pytest.mark.time_machine("2026-12-02 10:00 +0900")
def test_attendance_rollup_follows_leave_changes(people, infra):
    rng = random.Random(7)
    employees = list(Employee.objects.filter(department=infra))
    rollup = get_rollup("attendance")
    fold(rollup)
    admin = Actor(user=people["admin"])
    for step in range(30):
        employee = rng.choice(employees)
        day = date(2026, 11, 2) + timedelta(days=rng.randint(0, 20))
        work_day_set_leave(employee=employee, date=day, on_leave=rng.random() < 0.7, by=admin)
        if step % 7 == 0:
            fold(rollup)
    fold(rollup)
    expected = Counter((d.date, d.employee.department_id) for d in WorkDay.objects.filter(on_leave=True))
    assert {k: n for k, (_t, n) in rolled("attendance", "leave").items()} == dict(expected)
