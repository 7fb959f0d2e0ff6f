"""M3 and L7: a requester's text never pings anyone or becomes a live link, in Slack or the preview."""

import json
import re
from datetime import timedelta

import pytest

from erp.audit.actor import Actor
from integrations.slack.core.blocks import fallback_text, finalize_message
from integrations.slack.core.models import RoutingRule, SlackMessage
from integrations.slack.core.preview import mrkdwn_to_html
from tickets.models import Level
from tickets.services import check_ticket_sla, ticket_comment

from .conftest import expand_notifications

pytestmark = pytest.mark.django_db

INJECTION = (
    "<!channel> 프린터 고장 @here <!everyone> <!here|here> <!subteam^S0ADMINS> <@U0DEMO0000> & "
    "<https://evil.example|로그인> <#C0GENERAL> 010-1234-5678"
)
# Live markup an attacker wants: any of these unescaped in what Slack receives.
LIVE = re.compile(r"<!(?:channel|everyone|here|subteam)|<@U0DEMO0000>|<https://evil|<#C0GENERAL>")


def mrkdwn_texts(node) -> list[str]:
    """Every text Slack parses as markup (mrkdwn objects); plain_text is shown as it is."""
    if isinstance(node, list):
        return [text for item in node for text in mrkdwn_texts(item)]
    if not isinstance(node, dict):
        return []
    own = [node["text"]] if node.get("type") == "mrkdwn" and isinstance(node.get("text"), str) else []
    return own + [text for value in node.values() for text in mrkdwn_texts(value)]


def test_every_message_about_an_injected_ticket_is_inert(slack, people, new_ticket):
    RoutingRule.objects.create(name="sla", event_kinds=["tickets.sla_breached"], channels="CSLA00001")
    ticket = new_ticket(title=INJECTION, description=INJECTION, impact=Level.HIGH, urgency=Level.HIGH)
    ticket_comment(ticket=ticket, body=INJECTION, by=Actor(user=people["requester"]))
    check_ticket_sla(ticket.pk, now=ticket.created_at + timedelta(days=30))
    expand_notifications()
    rows = list(SlackMessage.objects.exclude(operation="notify"))
    assert len(rows) >= 4  # channel post, P1 critical alert, incident board, SLA alert, DMs
    for row in rows:
        parsed = "\n".join([row.text, *mrkdwn_texts(row.blocks)])
        assert not LIVE.search(parsed), (row.kind, row.target, parsed[:400])
        assert "010-1234-5678" not in row.text + json.dumps(row.blocks, ensure_ascii=False)


@pytest.mark.parametrize(
    "text",
    ["<!channel>", "<!here|here>", "<!EVERYONE>", "<!subteam^S1|admins>", "hi <!here> there", "<!channel|@channel>"],
)
def test_the_notification_text_never_carries_a_special_command(text):
    assert "<!" not in fallback_text(text)
    final, _ = finalize_message(text, [{"type": "section", "text": {"type": "mrkdwn", "text": text}}])
    assert "<!" not in final


def test_blocks_keep_an_admins_user_group_mention_but_never_a_broadcast():
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "<!subteam^S0ONCALL> <!channel>"}}]
    _, final = finalize_message("x", blocks)
    assert final[0]["text"]["text"] == "<!subteam^S0ONCALL> &lt;!channel&gt;"


def test_the_outbox_preview_shows_escaped_user_text_literally():
    html = mrkdwn_to_html("&lt;https://evil.example|로그인&gt; &lt;!here&gt; &amp; <https://haru.example/t/1|SR-1>")
    assert 'href="https://evil.example"' not in html and "slack-mention" not in html
    assert "&lt;https://evil.example|로그인&gt;" in html and "&lt;!here&gt;" in html
    assert 'href="https://haru.example/t/1"' in html
