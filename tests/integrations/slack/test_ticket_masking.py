"""Every ticket message kind goes through the PII masking (erp.core.pii.mask_pii) on its way out."""

from datetime import timedelta

import pytest

from erp.audit.actor import Actor
from integrations.slack.core.models import SlackMessage
from tickets.models import Level
from tickets.services import (
    check_ticket_sla,
    ticket_assign,
    ticket_change_status,
    ticket_close,
    ticket_comment,
    ticket_escalate,
    ticket_reopen,
    ticket_resolve,
)

from .conftest import drain

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

PHONE, EMAIL, RRN = "010-9876-5432", "kim.private@gmail.com", "900101-1234567"
RAW = (PHONE, EMAIL, RRN, "9876", "kim.private")


def test_no_ticket_message_kind_carries_raw_personal_data(slack, settings, people, new_ticket):
    settings.SLACK_CRITICAL_CHANNEL = "CCRITICAL"
    pii = f"{PHONE} {EMAIL} {RRN}"
    agent = Actor(user=people["agent"])
    ticket = new_ticket(
        title=f"결제 장애 {PHONE}",
        description=f"연락처 {pii}",
        impact=Level.HIGH,
        urgency=Level.HIGH,
        source="slack",
        by=people["agent"],
        requester=people["requester"],
    )
    ticket_assign(ticket=ticket, assignee=people["agent2"], by=agent)
    ticket_comment(ticket=ticket, body=f"전화 주세요 {pii}", by=agent)
    ticket_change_status(ticket=ticket, status="pending", reason=f"회신 대기 {pii}", by=agent)
    check_ticket_sla(ticket.pk, now=ticket.created_at + timedelta(days=30))
    ticket_escalate(ticket=ticket, reason=f"상향 {pii}", by=Actor(user=people["manager"]))
    ticket_resolve(ticket=ticket, resolution=f"해결 {pii}", by=Actor(user=people["manager"]))
    ticket_reopen(ticket=ticket, reason=f"재발 {pii}", by=Actor(user=people["requester"]))
    ticket_close(ticket=ticket, resolution=f"종료 {pii}", by=Actor(user=people["manager"]))
    drain()
    kinds = set(SlackMessage.objects.values_list("kind", flat=True))
    assert {"tickets.created", "tickets.assigned", "tickets.commented", "tickets.replied", "tickets.p1"} <= kinds
    assert {"tickets.status_changed", "tickets.escalated", "tickets.resolved", "tickets.created_for_you"} <= kinds
    for row in SlackMessage.objects.all():
        stored = row.text + str(row.blocks)
        assert not any(raw in stored for raw in RAW), (row.kind, stored)
    sent = str([call.args for call in slack.calls])
    assert not any(raw in sent for raw in RAW)
