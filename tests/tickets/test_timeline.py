"""The ticket timeline and the generic audit trail share one event markup (includes/audit_event.html)."""

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from erp.audit.actor import Actor
from erp.audit.selectors import audit_trail
from tickets.services import ticket_assign, ticket_change_status, ticket_rate, ticket_resolve

pytestmark = pytest.mark.django_db

LINK = "https://haru.slack.com/archives/CINFRA001/p1700000000000100"


def slack(user, link=LINK):
    return Actor(user=user, source="slack", context={"slack_channel": "CINFRA001", "slack_message_link": link})


def test_detail_timeline_shows_via_slack_and_the_message_link(client, new_ticket, people):
    ticket = new_ticket()
    ticket_change_status(ticket=ticket, status="in_progress", reason="확인 중", by=slack(people["agent"]))
    client.force_login(people["agent"])
    with translation.override("en"):
        page = client.get(ticket.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'class="badge source-slack"' in page
    assert f'href="{LINK}"' in page and "확인 중" in page


def test_timeline_labels_badges_and_ratings(new_ticket, people):
    from tickets.timeline import ticket_timeline

    ticket = new_ticket()
    ticket_assign(ticket=ticket, auto=True, by=people["manager"])
    ticket = ticket_resolve(ticket=ticket, resolution="완료", by=people["agent"])
    ticket_rate(ticket=ticket, score=4, by=slack(people["requester"]))

    with translation.override("en"):
        entries = [e for e in ticket_timeline(people["agent"], ticket) if e.kind == "event"]
        html = render_to_string("tickets/ticket_detail.html", {"ticket": ticket, "timeline": entries, "actions": {}})
        rated = next(e for e in entries if e.event.action == "rated")
        assert rated.label == "rated the ticket" and rated.changes == [("satisfaction", "—", "4")]
    assert "round-robin" in html and "rated the ticket" in html and "via Slack" in html


def test_audit_trail_include_uses_the_same_markup(new_ticket, people):
    ticket = new_ticket()
    ticket_change_status(ticket=ticket, status="pending", by=slack(people["agent"]))
    ticket_change_status(ticket=ticket, status="open", by=slack(people["agent"], link="javascript:alert(1)"))
    with translation.override("en"):
        html = render_to_string("includes/audit_trail.html", {"events": audit_trail(ticket)})
    assert html.count('class="event event-status_changed"') == 2
    assert "via Slack" in html and f'href="{LINK}"' in html
    assert "javascript:" not in html  # only https links from Slack's permalinks are rendered
    # Translated through the record's own labels (erp.audit.labels), not raw codes.
    assert "in_progress" not in html and "status: Open → Pending" in html
