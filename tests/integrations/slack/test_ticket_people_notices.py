"""Who hears what about a ticket: close without resolve, round-robin, self-assignment, unassign."""

import pytest

from erp.audit.actor import Actor
from integrations.slack.core.models import SlackMessage
from integrations.slack.tickets.blocks.message import RATE
from tickets.models import GroupSettings, Status
from tickets.services import ticket_assign, ticket_close, ticket_resolve

from .conftest import drain, expand_notifications

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def rating_buttons(message) -> list[str]:
    elements = [e for b in message.blocks if b["type"] == "actions" for e in b["elements"]]
    return [e["value"] for e in elements if e["action_id"] == RATE]


def test_closing_without_resolving_still_asks_the_requester_for_a_rating(slack, people, new_ticket):
    ticket = new_ticket(assignee=people["agent"])
    ticket_close(ticket=ticket, resolution="케이블 교체로 해결", by=Actor(user=people["agent"], source="slack"))
    drain()
    [dm] = SlackMessage.objects.filter(kind="tickets.closed")
    assert dm.target == "UREQUEST1" and dm.status == "sent"
    # DMs follow the recipient's language (Korean here).
    assert "종료되었습니다" in dm.text and "케이블 교체" in str(dm.blocks)
    assert rating_buttons(dm) == [f"{ticket.pk}:{score}" for score in range(1, 6)]


def test_closing_a_resolved_ticket_does_not_ask_twice(slack, people, new_ticket):
    ticket = new_ticket(assignee=people["agent"])
    ticket_resolve(ticket=ticket, resolution="재설치", by=Actor(user=people["agent"]))
    ticket_close(ticket=ticket, by=Actor(user=people["agent"]))
    drain()
    assert SlackMessage.objects.filter(kind="tickets.resolved").count() == 1
    assert not SlackMessage.objects.filter(kind="tickets.closed").exists()


def test_round_robin_dm_does_not_name_the_requester_as_assigner(slack, people, new_ticket):
    GroupSettings.objects.create(group=people["infra"], auto_assign=True)
    ticket = new_ticket()
    assert ticket.assignee is not None
    dm = SlackMessage.objects.get(kind="tickets.assigned", target="UAGENT001")
    assert "자동 배정" in dm.text and "윤예준" not in dm.text
    assert "윤예준" not in str(dm.blocks[0])


def test_a_person_assigning_someone_is_named_in_a_whole_sentence(slack, people, new_ticket):
    ticket = new_ticket()
    ticket_assign(ticket=ticket, assignee=people["agent"], by=Actor(user=people["manager"]))
    expand_notifications()
    dm = SlackMessage.objects.get(kind="tickets.assigned", target="UAGENT001")
    assert dm.text == f"김민준 님이 {ticket.number} 티켓을 배정했습니다: {ticket.title}"


def test_assigning_yourself_sends_you_no_dm_but_notes_the_thread(slack, people, new_ticket):
    ticket = new_ticket()
    drain()
    ticket_assign(ticket=ticket, assignee=people["agent"], by=Actor(user=people["agent"], source="slack"))
    drain()
    assert not SlackMessage.objects.filter(kind="tickets.assigned", target="UAGENT001").exists()
    assert any("Assigned to <@UAGENT001>" in m["text"] for m in slack.messages["CINFRA001"] if m.get("thread_ts"))


def test_unassigning_says_the_assignee_was_removed(slack, people, new_ticket):
    ticket = new_ticket(assignee=people["agent"])
    drain()
    ticket_assign(ticket=ticket, assignee=None, by=Actor(user=people["manager"]))
    drain()
    notes = [m["text"] for m in slack.messages["CINFRA001"] if m.get("thread_ts")]
    assert any("김민준 removed the assignee." in note for note in notes)
    assert not any("nobody" in note for note in notes)


def test_unassigning_reads_naturally_in_korean(people):
    from django.utils import translation

    from integrations.slack.tickets.blocks.message import assignment_note

    with translation.override("ko"):
        text, _blocks = assignment_note(assignee=None, by_label="김민준")
    assert "없음에게" not in text and "배정을 해제했습니다" in text
    assert Status.OPEN  # the module imports stay used


def test_requester_hears_of_a_ticket_opened_for_them_from_slack(slack, people, new_ticket):
    ticket = new_ticket(source="slack", by=people["agent"], requester=people["requester"])
    drain()
    [dm] = SlackMessage.objects.filter(kind="tickets.created_for_you")
    assert dm.target == "UREQUEST1" and ticket.number in dm.text and ticket.title in dm.text


def test_requester_filing_in_the_portal_gets_no_creation_dm(slack, people, new_ticket):
    new_ticket()
    new_ticket(source="slack")  # the requester opened it in Slack themselves
    assert not SlackMessage.objects.filter(kind="tickets.created_for_you").exists()


def test_sensitive_ticket_creation_dm_has_no_title(slack, people, new_ticket):
    new_ticket(
        source="slack", sensitive=True, title="급여 오류 김철수", by=people["agent"], requester=people["requester"]
    )
    dm = SlackMessage.objects.get(kind="tickets.created_for_you")
    assert "급여" not in dm.text + str(dm.blocks)


def test_public_replies_by_others_reach_the_requester_by_dm(slack, people, new_ticket):
    from tickets.services import ticket_comment

    ticket = new_ticket(assignee=people["agent"])
    ticket_comment(ticket=ticket, body="내부 확인 중", internal=True, by=Actor(user=people["agent"]))
    ticket_comment(ticket=ticket, body="제가 직접 남깁니다", by=Actor(user=people["requester"]))
    ticket_comment(ticket=ticket, body="재부팅 후 확인 부탁드립니다 010-1234-5678", by=Actor(user=people["agent"]))
    drain()
    [dm] = SlackMessage.objects.filter(kind="tickets.replied")
    assert dm.target == "UREQUEST1" and "이서연" in dm.text
    assert "재부팅" in str(dm.blocks) and "내부 확인" not in str(dm.blocks)
    assert "010-1234-5678" not in str(dm.blocks)  # masked like every other message
