"""Marking a ticket sensitive takes back what Slack already shows: main message, thread replies, alerts."""

from datetime import timedelta

import pytest

from erp.audit.actor import Actor
from integrations.slack.core.models import DeliveryStatus, RoutingRule, SlackMessage
from tickets.services import check_ticket_sla, ticket_comment, ticket_update

from .conftest import drain, expand_notifications

pytestmark = pytest.mark.django_db


def shown(slack, channel) -> list[str]:
    """What each message in ``channel`` shows now (text and blocks), replies included."""
    return [m["text"] + str(m.get("blocks")) for m in slack.messages.get(channel, [])]


def test_thread_replies_and_alerts_already_posted_are_redacted(slack, people, new_ticket):
    RoutingRule.objects.create(name="sla", event_kinds=["tickets.sla_breached"], channels="CSLA00001")
    ticket = new_ticket(title="급여 명세서 오류 김철수", assignee=people["agent"])
    ticket_comment(ticket=ticket, body="김철수님 급여 확인 중", by=Actor(user=people["agent"]))
    check_ticket_sla(ticket.pk, now=ticket.created_at + timedelta(days=30))
    drain()
    assert any("김철수" in text for text in shown(slack, "CINFRA001") + shown(slack, "CSLA00001"))
    replies = [m for m in slack.messages["CINFRA001"] if m.get("thread_ts")]
    assert replies  # the assignment note, the comment

    ticket_update(ticket=ticket, sensitive=True, by=Actor(user=people["manager"]))
    drain()
    for channel in ("CINFRA001", "CSLA00001"):
        for text in shown(slack, channel):
            assert "김철수" not in text and "급여" not in text and ticket.number in text
    redactions = SlackMessage.objects.filter(operation="redact")
    assert redactions and all(row.status == DeliveryStatus.SENT for row in redactions)

    # Later changes of the sensitive ticket redact nothing twice.
    count = redactions.count()
    ticket_update(ticket=ticket, tags="급여", by=Actor(user=people["manager"]))
    expand_notifications()
    assert SlackMessage.objects.filter(operation="redact").count() == count


def test_replies_not_yet_sent_are_never_sent(slack, people, new_ticket):
    ticket = new_ticket(title="인사 징계 건", assignee=people["agent"])
    drain()
    ticket_comment(ticket=ticket, body="징계 사유 검토", by=Actor(user=people["agent"]))
    expand_notifications()
    ticket_update(ticket=ticket, sensitive=True, by=Actor(user=people["manager"]))
    drain()
    assert all("징계" not in text for text in shown(slack, "CINFRA001"))


def test_the_requester_is_told_when_someone_else_declassifies(slack, people, new_ticket):
    ticket = new_ticket(title="연봉 협상", sensitive=True, assignee=people["agent"])
    ticket_update(ticket=ticket, sensitive=False, by=Actor(user=people["manager"]))
    drain()
    told = SlackMessage.objects.get(kind="tickets.declassified")
    assert told.target == "UREQUEST1" and ticket.number in told.text and "연봉" not in told.text
