"""The ticket page (issue 16, part 4): the P1 banner names the on-call person and links the
incident channel; agents write a reply or an internal note from two tabs."""

from datetime import date

import pytest
from django.urls import reverse

from integrations.slack.core.models import SlackMessage
from integrations.slack.tickets.incidents import INCIDENT_OPEN, KIND, board_key
from tickets.models import Comment
from tickets.oncall.models import OnCallMember, OnCallRotation

pytestmark = pytest.mark.django_db


def test_p1_banner_names_on_call_and_links_the_incident_channel(client, people, tickets, infra):
    p1 = tickets[2]
    assert p1.priority == "P1"
    rotation = OnCallRotation.objects.create(group=infra, anchor_date=date(2026, 1, 5))
    OnCallMember.objects.create(rotation=rotation, employee=people["agent2"].employee, position=0)
    client.force_login(people["agent"])
    html = client.get(p1.get_absolute_url()).content.decode()
    banner = html.split('class="incident-banner"')[1].split("</div>")[0]
    assert "P1 장애 대응 중" in banner and "온콜: 박도현" in banner
    SlackMessage.objects.filter(kind=KIND, message_key=board_key(p1), operation=INCIDENT_OPEN).update(
        channel_id="C0INC00001"
    )
    if not SlackMessage.objects.filter(kind=KIND, message_key=board_key(p1)).exists():
        SlackMessage.objects.create(
            kind=KIND,
            operation=INCIDENT_OPEN,
            target="#inc-3",
            text="P1",
            message_key=board_key(p1),
            channel_id="C0INC00001",
            state={"name": "inc-3"},
        )
    html = client.get(p1.get_absolute_url()).content.decode()
    assert 'href="https://slack.com/app_redirect?channel=C0INC00001"' in html
    # Not on other tickets.
    assert "incident-banner" not in client.get(tickets[0].get_absolute_url()).content.decode()


def test_reply_and_internal_note_tabs(client, people, tickets):
    ticket = tickets[0]
    client.force_login(people["agent"])
    html = client.get(ticket.get_absolute_url()).content.decode()
    assert 'type="radio" name="internal" value="" checked' in html and "요청자에게 답변" in html
    url = reverse("tickets:comment", args=[ticket.number])
    client.post(url, {"body": "재부팅 부탁드립니다.", "internal": ""})
    client.post(url, {"body": "장비 교체 검토", "internal": "on"})
    assert list(Comment.objects.order_by("id").values_list("internal", flat=True)) == [False, True]
    # The requester has no tabs (they only reply) and never sees the note.
    client.force_login(people["staff"])
    html = client.get(ticket.get_absolute_url()).content.decode()
    assert "reply-tabs" not in html and "장비 교체 검토" not in html


def test_requesters_answer_a_plain_question_instead_of_impact_and_urgency(client, people, infra):
    from tickets.models import Ticket

    client.force_login(people["staff"])
    html = client.get(reverse("tickets:create")).content.decode()
    assert "업무가 멈췄나요?" in html and 'name="urgency"' not in html and 'name="impact"' not in html
    assert "제목:" not in html  # no Django label colons
    client.post(
        reverse("tickets:create"),
        {"title": "결제 서버 장애", "ticket_type": "incident", "work_impact": "stopped", "group": infra.pk},
    )
    ticket = Ticket.objects.get()
    assert (ticket.impact, ticket.urgency) == ("high", "medium") and ticket.priority != "P1"
    client.force_login(people["agent"])
    assert 'name="urgency"' in client.get(reverse("tickets:create")).content.decode()  # agents triage fully
