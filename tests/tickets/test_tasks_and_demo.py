"""The beat task and the demo seed."""

import io
from datetime import datetime

from django.conf import settings

from erp.workcalendar.calendar import KST
from tickets import demo
from tickets.models import Comment, Ticket
from tickets.tasks import check_sla


def test_check_sla_task_is_scheduled_and_flags_breaches(clock, new_ticket, signal_log, people):
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "tickets.tasks.check_sla" in schedule
    clock.now = datetime(2026, 9, 19, 10, 0, tzinfo=KST)
    ticket = new_ticket(impact="high", urgency="high", by=people["agent"], requester=people["requester"])
    clock.now = datetime(2026, 9, 19, 10, 30, tzinfo=KST)
    assert check_sla.apply().get() == 1
    assert check_sla.apply().get() == 0  # idempotent: nothing left to flag
    ticket.refresh_from_db()
    assert ticket.first_response_breached and ticket.sla_state == "breached"


# The demo ages its history back from the moment it is given; at this one (a Wednesday
# afternoon) 60 tickets include every fate: some filed in the last two days are still open.
DEMO_NOW = datetime(2026, 12, 2, 16, 0, tzinfo=KST)


def test_demo_seed_is_idempotent_and_varied(db, signal_log):
    from erp.people import demo as people_demo

    out = io.StringIO()
    people_demo.seed(out)
    demo.seed(out, now=DEMO_NOW, count=60)
    assert Ticket.objects.count() == 60
    assert not Ticket.objects.filter(created_at__gt=DEMO_NOW).exists()  # history, up to the given moment
    assert signal_log == []  # history is not news: no notifications while seeding
    statuses = set(Ticket.objects.values_list("status", flat=True))
    assert {"open", "in_progress", "resolved"} <= statuses
    from tickets.models import SatisfactionRating

    scores = set(SatisfactionRating.objects.values_list("score", flat=True))
    assert len(scores) >= 3
    assert not SatisfactionRating.objects.exclude(ticket__status__in=["resolved", "closed"]).exists()
    assert Comment.objects.filter(internal=True).exists() and Comment.objects.filter(internal=False).exists()
    assert Ticket.objects.filter(group__code="infra").exists() and Ticket.objects.filter(group__code="dev").exists()
    demo.seed(out, now=DEMO_NOW, count=60)
    assert Ticket.objects.count() == 60
