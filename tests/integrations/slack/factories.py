"""Test data shared by the Slack test packages (outbound and inbound conftests)."""

from erp.audit.actor import Actor
from tickets.models import Level
from tickets.services import ticket_create


def file_ticket(*, by, default_group, **fields):
    """A ticket through the real service, with the defaults every Slack test starts from."""
    fields.setdefault("title", "VPN 접속 장애")
    fields.setdefault("description", "재택근무 중 VPN 연결이 끊깁니다.")
    fields.setdefault("impact", Level.MEDIUM)
    fields.setdefault("urgency", Level.MEDIUM)
    fields.setdefault("group", default_group)
    return ticket_create(by=Actor(user=by), **fields)
