"""Query budgets (counts, never timings): the domain transaction records, the worker renders.

Inside a ticket's locked transaction the Slack side writes one notify row per domain event;
routing and Block Kit run after commit (integrations.slack.core.notify). These budgets hold
that line: a regression that renders or routes on the request path shows up here. Counted:
the request itself, inside the test's transaction (so its atomic blocks count as savepoints),
without the on-commit broker publish.
"""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from integrations.slack.core.models import SlackMessage
from integrations.slack.core.notify import NOTIFY
from tests.fakes.slack_signing import signed_headers, slash_command_body
from tests.integrations.slack.conftest import expand_notifications

from .conftest import URLS

# The replay guard's INSERT … ON CONFLICT is one of these (integrations/slack/inbound/verification.py).
SLACK_ASSIGN_BUDGET = 12
WEB_SAVE_BUDGET = 15


def _show(ctx) -> str:
    return "\n".join(f"{i}. {q['sql'][-300:]}" for i, q in enumerate(ctx.captured_queries, 1))


def test_fs_assign_stays_within_its_query_budget(client, slack, crew, posted, ticket):
    body = slash_command_body(settings.SLACK_TICKET_COMMAND, f"assign {ticket.number} <@UAGENT002|x>", "UAGENT001")
    headers = signed_headers(settings.SLACK_SIGNING_SECRET, body)
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(URLS["commands"], data=body, content_type="application/x-www-form-urlencoded", **headers)
    assert response.status_code == 200 and ticket.number in response.json()["text"]
    assert len(ctx.captured_queries) <= SLACK_ASSIGN_BUDGET, _show(ctx)
    # What the worker makes of the one notify row: the DM, the update and the thread reply.
    expand_notifications()
    assert not SlackMessage.objects.filter(operation=NOTIFY).exists()
    made = set(SlackMessage.objects.filter(kind="tickets.assigned").values_list("operation", "target"))
    assert {("post", "UAGENT002"), ("update", "CINFRA001"), ("reply", "CINFRA001")} <= made


@pytest.mark.parametrize(("field", "value"), [("title", "VPN 접속 장애 (재현됨)"), ("tags", "vpn, 재현")])
def test_web_ticket_save_stays_within_its_query_budget(client, crew, posted, ticket, field, value):
    client.force_login(crew["agent"])
    url = reverse("tickets:edit", args=[ticket.number])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data[field] = value
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(url, data)
    assert response.status_code == 302, response.content[:800]
    assert len(ctx.captured_queries) <= WEB_SAVE_BUDGET, _show(ctx)


def _command_queries(client, text: str, user: str = "UAGENT001"):
    body = slash_command_body(settings.SLACK_TICKET_COMMAND, text, user)
    headers = signed_headers(settings.SLACK_SIGNING_SECRET, body)
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(URLS["commands"], data=body, content_type="application/x-www-form-urlencoded", **headers)
    assert response.status_code == 200
    return response.json(), ctx


def test_fs_list_reads_a_constant_number_of_queries_whatever_it_lists(client, crew, make_ticket):
    """The one-line summaries read only their columns: a deferred field read on a row would
    cost one query per ticket listed, and this count would grow with the list."""
    from tickets.services import ticket_assign

    def listed_after(count: int):
        for index in range(count):
            ticket = make_ticket(title=f"VPN 장애 {count}-{index}", by=crew["agent"])
            ticket_assign(ticket=ticket, assignee=crew["agent"], by=crew["agent"])
        return _command_queries(client, "list")

    answer, few = listed_after(1)
    answer_more, more = listed_after(4)
    assert "VPN 장애 4-3" in str(answer_more["blocks"]) and "이서연" in str(answer_more["blocks"])
    assert len(more.captured_queries) == len(few.captured_queries) <= 4, _show(more)


def test_fs_ticket_reads_at_most_four_queries_with_comments_and_people(client, crew, ticket):
    """Identity, the ticket with its people and group, the comment excerpts with their authors,
    and the App-free rest (no per-comment or per-person query)."""
    from tickets.services import ticket_assign, ticket_comment

    ticket_assign(ticket=ticket, assignee=crew["agent2"], by=crew["agent"])
    ticket_comment(ticket=ticket, body="재부팅 후 확인 부탁드립니다", by=crew["agent2"])
    ticket_comment(ticket=ticket, body="내부 메모", internal=True, by=crew["agent"])
    ticket_comment(ticket=ticket, body="여전히 안 됩니다", by=crew["requester"])
    answer, ctx = _command_queries(client, f"ticket {ticket.number}")
    shown = str(answer["blocks"])
    assert ticket.number in answer["text"] and "윤예준" in shown and "<@UAGENT002>" in shown
    assert "내부 메모" in shown and "여전히 안 됩니다" in shown and "박도현" in shown
    assert len(ctx.captured_queries) <= 4, _show(ctx)


def test_fs_search_reads_at_most_four_queries_whatever_it_finds(client, crew, make_ticket):
    """The replay guard, identity, the planner's probes and the listed lines. The probes are one
    round trip on PostgreSQL; SQLite has no bigram index, and scans once per searched field."""
    from tickets.selectors import TICKET_TEXT
    from tickets.services import ticket_comment

    budget = 3 + (1 if connection.vendor == "postgresql" else len(TICKET_TEXT.fields))

    for index in range(3):
        make_ticket(title=f"VPN 장애 {index}")
    noted = make_ticket(title="메일 발송 오류", description="메일이 나가지 않습니다.")
    ticket_comment(ticket=noted, body="VPN 설정 확인 필요", internal=True, by=crew["agent"])
    answer, ctx = _command_queries(client, "search VPN")
    shown = str(answer["blocks"])
    assert "VPN 장애 2" in shown and "메일 발송 오류" in shown  # the note matches for its handler
    assert len(ctx.captured_queries) <= budget, _show(ctx)
    answer, ctx = _command_queries(client, "search VPN", user="UREQUEST1")
    assert "VPN 장애 2" in str(answer["blocks"]) and "메일 발송 오류" not in str(answer["blocks"])
    assert len(ctx.captured_queries) <= budget, _show(ctx)


@pytest.mark.parametrize("user", ["UAGENT001", "UREQUEST1", "UADMIN001"])
def test_fs_list_and_ticket_budgets_hold_for_every_role(client, crew, ticket, user):
    """The prepared reads have one shape per role: their counts do not depend on who asks."""
    answer, ctx = _command_queries(client, "list", user=user)
    assert len(ctx.captured_queries) <= 4, _show(ctx)
    answer, ctx = _command_queries(client, f"ticket {ticket.number}", user=user)
    assert ticket.number in answer["text"]
    assert len(ctx.captured_queries) <= 4, _show(ctx)
