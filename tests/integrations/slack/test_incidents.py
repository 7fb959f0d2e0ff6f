"""P1 incident workflow and the on-call roster."""

from datetime import date, datetime, time, timedelta

import pytest

from erp.audit.actor import Actor
from erp.workcalendar.calendar import KST
from integrations.slack.core.client import get_client
from integrations.slack.core.models import DeliveryStatus, SlackMessage
from integrations.slack.tickets.incidents import INCIDENT_OPEN, channel_name
from tickets.models import Level, Status
from tickets.oncall.models import OnCallMember, OnCallOverride, OnCallRotation
from tickets.oncall.selectors import on_call_now
from tickets.services import ticket_assign, ticket_change_status, ticket_resolve

from .conftest import drain

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

MONDAY = date(2026, 9, 21)


@pytest.fixture
def roster(people):
    rotation = OnCallRotation.objects.create(group=people["infra"], anchor_date=MONDAY, handoff_time=time(9, 0))
    for position, key in enumerate(["agent", "agent2", "manager"]):
        OnCallMember.objects.create(rotation=rotation, employee=people[key].employee, position=position)
    return rotation


def at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), KST)


def test_weekly_rotation_with_handoff_and_overrides(people, roster):
    agent, agent2, manager = (people[k].employee for k in ("agent", "agent2", "manager"))
    assert on_call_now(people["infra"], at(MONDAY)) == agent
    assert on_call_now(people["infra"], at(MONDAY + timedelta(days=6), 23)) == agent
    assert on_call_now(people["infra"], at(MONDAY + timedelta(days=7), 8)) == agent  # before the 09:00 handoff
    assert on_call_now(people["infra"], at(MONDAY + timedelta(days=7), 9)) == agent2
    assert on_call_now(people["infra"], at(MONDAY + timedelta(days=14))) == manager
    assert on_call_now(people["infra"], at(MONDAY + timedelta(days=21))) == agent  # wraps around
    assert on_call_now(people["infra"], at(MONDAY - timedelta(days=1))) == manager  # before the anchor
    OnCallOverride.objects.create(
        rotation=roster, employee=manager, starts_at=at(MONDAY, 18), ends_at=at(MONDAY + timedelta(days=1), 9)
    )
    assert on_call_now(people["infra"], at(MONDAY, 20)) == manager
    assert on_call_now(people["infra"], at(MONDAY + timedelta(days=1), 9)) == agent
    assert on_call_now(people["dev"], at(MONDAY)) is None


def test_channel_names_follow_slacks_rules(people):
    from tickets.models import Ticket

    assert channel_name(Ticket(number="INC-123", title="DB server down!")) == "inc-123-db-server-down"
    assert channel_name(Ticket(number="INC-7", title="메일 장애")) == "inc-7"
    assert channel_name(Ticket(number="SR-45", title="x" * 200)).startswith("inc-sr45-")
    assert len(channel_name(Ticket(number="INC-1", title="y" * 200))) <= 80


def test_channel_names_carry_no_personal_data(people):
    """The channel is public: no phone, e-mail or card digits may reach its name."""
    from tickets.models import Ticket

    title = "VPN down call 010-1234-5678 or hong.gildong@corp.com, card 1234 5678 9012 3456"
    name = channel_name(Ticket(number="INC-72", title=title))
    assert name == "inc-72-vpn-down-call-or-card"
    for fragment in ("010", "1234", "5678", "3456", "hong", "gildong", "corp"):
        assert fragment not in name.removeprefix("inc-72")
    assert channel_name(Ticket(number="INC-8", title="01012345678 hong@corp.com")) == "inc-8"


@pytest.fixture
def p1(slack, settings, people, roster, new_ticket):
    settings.SLACK_CRITICAL_CHANNEL = "CCRITICAL"

    def create(**kwargs):
        kwargs.setdefault("title", "Payment API down")
        # An agent files the requester's P1: under the default P1 policy a staff member's
        # high/high would be a P2 (tests/security/test_p1_policy.py).
        kwargs.setdefault("by", people["agent"])
        kwargs.setdefault("requester", people["requester"])
        return new_ticket(impact=Level.HIGH, urgency=Level.HIGH, **kwargs)

    return create


def incident_channel(slack):
    [channel] = [c for c in slack.channels.values() if c["name"].startswith("inc-")]
    return channel


def test_p1_alerts_the_critical_channel_and_opens_an_incident_channel(slack, people, p1):
    ticket = p1(assignee=people["agent2"])
    assert ticket.priority == "P1"
    on_call = on_call_now(people["infra"]).slack_user_id
    drain()
    [alert] = [m for m in slack.messages["CCRITICAL"] if not m.get("thread_ts")]
    assert f"<@{on_call}>" in str(alert["blocks"]) and ticket.number in alert["text"]
    channel = incident_channel(slack)
    assert channel["name"] == f"inc-{ticket.number.split('-')[1]}-payment-api-down"
    assert {on_call, "UAGENT002"} <= set(channel["members"])
    [board] = slack.messages[channel["id"]]
    assert slack.pins[channel["id"]] == [board["ts"]]
    opening = SlackMessage.objects.get(operation=INCIDENT_OPEN)
    assert opening.status == DeliveryStatus.SENT and opening.channel_id == channel["id"]

    ticket_change_status(ticket=ticket, status=Status.IN_PROGRESS, by=Actor(user=people["agent2"]))
    drain()
    edits = [c for c in slack.calls_to("chat.update") if c.args["channel"] == channel["id"]]
    assert edits and edits[-1].args["ts"] == board["ts"] and "In progress" in str(edits[-1].args["blocks"])
    assert len(slack.messages[channel["id"]]) == 1  # the board is updated, not re-posted

    ticket_resolve(ticket=ticket, resolution="DB 커넥션 풀 재시작", by=Actor(user=people["agent2"]))
    drain()
    [summary] = [m for m in slack.messages[channel["id"]] if m.get("thread_ts") == board["ts"]]
    assert "resolved after" in summary["text"] and "커넥션" in str(summary["blocks"])
    assert slack.calls_to("chat.postMessage")[-1].args.get("reply_broadcast") in (True, "1", "true", "True")
    assert len(slack.calls_to("conversations.create")) == 1


def test_name_taken_gets_a_suffix(slack, people, p1):
    # The channel is created on delivery, so taking the name between the ticket's commit and
    # the drain needs no guess of the ticket number (PostgreSQL sequences survive rollbacks).
    ticket = p1()
    taken = channel_name(ticket)
    assert taken.endswith("-payment-api-down")
    get_client().conversations_create(name=taken)
    drain()
    names = sorted(c["name"] for c in slack.channels.values())
    assert names == [taken, f"{taken}-2"]


def test_incident_steps_resume_after_a_failure_without_a_second_channel(slack, people, p1):
    p1(assignee=people["agent2"])
    slack.fail_next("conversations.invite", "internal_error")
    drain(rounds=1)
    opening = SlackMessage.objects.get(operation=INCIDENT_OPEN)
    assert opening.status == DeliveryStatus.PENDING and opening.state["channel_id"]
    drain()
    assert len(slack.calls_to("conversations.create")) == 1
    assert SlackMessage.objects.get(pk=opening.pk).status == DeliveryStatus.SENT
    assert len(slack.pins[opening.state["channel_id"]]) == 1


def test_a_later_assignee_is_invited_to_the_open_incident(slack, people, p1):
    ticket = p1()
    drain()
    ticket_assign(ticket=ticket, assignee=people["agent2"], by=Actor(user=people["manager"]))
    drain()
    assert "UAGENT002" in incident_channel(slack)["members"]


def test_sensitive_p1_takes_the_private_incident_path(slack, people, p1):
    on_call = on_call_now(people["infra"]).slack_user_id
    assignee = people["agent2"] if on_call != "UAGENT002" else people["agent"]
    ticket = p1(sensitive=True, assignee=assignee, title="급여 DB 장애 김철수")
    drain()
    assert "CCRITICAL" not in slack.messages and "CINFRA001" not in slack.messages
    [create] = slack.calls_to("conversations.create")
    assert create.args["is_private"] in (True, "1", "true", "True")
    channel = incident_channel(slack)
    assert channel["name"] == f"inc-{ticket.number.split('-')[1]}-private"
    assert set(channel["members"]) >= {on_call, assignee.employee.slack_user_id}
    [board] = slack.messages[channel["id"]]
    assert ticket.number in board["text"] and "급여" not in str(board) and "김철수" not in str(board)
    assert slack.pins[channel["id"]] == [board["ts"]]
    # The on-call person is paged by DM, with the number only.
    [page] = SlackMessage.objects.filter(kind="tickets.p1_private")
    assert page.target == on_call and "급여" not in page.text + str(page.blocks)
    ticket_resolve(ticket=ticket, resolution="급여 DB 복구", by=Actor(user=assignee))
    drain()
    assert "급여" not in str(slack.calls)


def test_marking_an_incident_sensitive_redacts_the_alert_and_the_board(slack, people, p1):
    from tickets.services import ticket_update

    ticket = p1(assignee=people["agent2"])
    drain()
    ticket_update(ticket=ticket, sensitive=True, by=Actor(user=people["manager"]))
    drain()
    channel = incident_channel(slack)
    for channel_id in ("CCRITICAL", channel["id"], "CINFRA001"):
        latest = [c for c in slack.calls_to("chat.update") if c.args["channel"] == channel_id][-1]
        assert "Payment" not in str(latest.args) and ticket.number in latest.args["text"]
