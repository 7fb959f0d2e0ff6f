"""Every sub-command of the ticket command, in Korean and English words."""

import pytest
from django.utils import translation

from erp.audit.models import AuditEvent
from integrations.slack.core.models import SlackMessage
from tickets.models import Comment, Status, Ticket
from tickets.services import ticket_assign, ticket_close, ticket_comment

from .conftest import ephemeral_text, opened_views


@pytest.fixture
def ticket(make_ticket):
    return make_ticket()


@pytest.mark.parametrize("words", ["help", "도움말", "", "HELP"])
def test_help_lists_the_commands(post, crew, words):
    text = ephemeral_text(post.command(words, "UREQUEST1"))
    for verb in ("ticket", "create", "assign", "status", "comment", "escalate", "close", "list", "team", "report"):
        assert verb in text
    assert "search" in text and "검색" in text


@pytest.mark.parametrize("verb", ["ticket", "티켓", "조회", ""])
def test_ticket_details_with_buttons(post, crew, ticket, verb):
    text = ephemeral_text(post.command(f"{verb} {ticket.number}".strip(), "UAGENT001"))
    assert ticket.number in text and "VPN 접속 장애" in text
    for action_id in ("tickets.assign_me", "tickets.change_status", "tickets.comment", "tickets.close"):
        assert action_id in text


def test_requester_sees_no_agent_buttons(post, crew, ticket):
    text = ephemeral_text(post.command(f"ticket {ticket.pk}", "UREQUEST1"))
    assert "tickets.assign_me" not in text and "tickets.escalate" not in text
    assert "tickets.comment" in text and "tickets.close" in text  # the requester may close their own


def test_internal_notes_only_in_the_handlers_details(post, crew, ticket):
    ticket_comment(ticket=ticket, body="내부 메모입니다", internal=True, by=crew["agent"])
    assert "내부 메모입니다" in ephemeral_text(post.command(f"ticket {ticket.number}", "UAGENT001"))
    assert "내부 메모입니다" not in ephemeral_text(post.command(f"ticket {ticket.number}", "UREQUEST1"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ticket abc", "is not a ticket number"),
        ("ticket INC-9999", "was not found"),
        ("ticket", "Which ticket"),
        ("frobnicate 1", "Unknown sub-command"),
        ("status INC-1 maybe", "Which status"),
    ],
)
def test_bad_input_gets_a_short_explanation(post, crew, ticket, text, expected):
    assert expected in ephemeral_text(post.command(text, "UAGENT001"))


def test_invisible_ticket_looks_missing(post, crew, ticket):
    assert "was not found" in ephemeral_text(post.command(f"ticket {ticket.number}", "UCOLLEAG1"))


@pytest.mark.parametrize("verb", ["create", "생성", "등록"])
def test_create_opens_a_prefilled_modal(post, crew, verb):
    response = post.command(f"{verb} 프린터 &amp; 스캐너 고장", "UREQUEST1")
    assert response.status_code == 200 and response.content == b""
    (view,) = opened_views(post.slack)
    assert view["callback_id"] == "tickets.create"
    title_block = next(b for b in view["blocks"] if b.get("block_id") == "title")
    assert title_block["element"]["initial_value"] == "프린터 & 스캐너 고장"
    assert {b.get("block_id") for b in view["blocks"]} >= {"description", "ticket_type", "impact", "urgency", "group"}


def test_modal_that_slack_cannot_open_is_explained(post, crew):
    post.slack.fail_next("views.open", "expired_trigger_id")
    assert "did not open the form" in ephemeral_text(post.command("create", "UREQUEST1"))


@pytest.mark.parametrize(
    "words", ["assign {n} me", "배정 {n} 나", "assign {n} <@UAGENT002|dohyun>", "배정 {n} <@UAGENT002>"]
)
def test_assign(post, crew, ticket, words):
    text = ephemeral_text(post.command(words.format(n=ticket.number), "UAGENT001"))
    ticket.refresh_from_db()
    expected = crew["agent"] if " me" in words or "나" in words else crew["agent2"]
    assert ticket.assignee == expected
    assert ticket.number in text


def test_assign_records_slack_in_the_audit_trail(post, crew, ticket):
    post.command(f"assign {ticket.number} me", "UAGENT001", channel_id="CINFRA001")
    event = AuditEvent.objects.filter(action="assigned").latest("id")
    assert event.source == "slack"
    assert event.context["slack_user_id"] == "UAGENT001"
    assert event.context["slack_channel_id"] == "CINFRA001"
    # A command has no message of its own: the channel link is kept under its own name.
    assert event.context["slack_channel_link"] == "https://fake-workspace.slack.com/archives/CINFRA001"
    assert "slack_message_link" not in event.context


def test_assign_unlinked_mention_is_explained(post, crew, ticket):
    assert "not linked" in ephemeral_text(post.command(f"assign {ticket.number} <@UNOBODY99|x>", "UAGENT001"))


def test_requester_cannot_assign(post, crew, ticket):
    text = ephemeral_text(post.command(f"assign {ticket.number} me", "UREQUEST1"))
    assert "cannot assign" in text
    ticket.refresh_from_db()
    assert ticket.assignee is None


@pytest.mark.parametrize(
    ("word", "status"),
    [
        ("진행중", Status.IN_PROGRESS),
        ("in_progress", Status.IN_PROGRESS),
        ("대기", Status.PENDING),
        ("pending", Status.PENDING),
        ("종료", Status.CLOSED),
        ("closed", Status.CLOSED),
    ],
)
@pytest.mark.parametrize("verb", ["status", "상태"])
def test_status_words(post, crew, ticket, verb, word, status):
    post.command(f"{verb} {ticket.number} {word}", "UAGENT001")
    ticket.refresh_from_db()
    assert ticket.status == status


@pytest.mark.parametrize("word", ["해결", "resolved"])
def test_resolving_without_text_is_refused(post, crew, ticket, word):
    """A resolution is shown to the requester, so resolving always needs one (ticket_resolve)."""
    text = ephemeral_text(post.command(f"status {ticket.number} {word}", "UAGENT001"))
    assert ticket.number in text
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN and not ticket.resolution


def test_resolving_with_text_stores_the_resolution(post, crew, ticket):
    post.command(f"status {ticket.number} 해결 VPN 재설정으로 해결", "UAGENT001")
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED and ticket.resolution == "VPN 재설정으로 해결"


def test_invalid_transition_is_explained(post, crew, ticket):
    ticket_close(ticket=ticket, by=crew["agent"])
    text = ephemeral_text(post.command(f"status {ticket.number} pending", "UAGENT001"))
    assert "cannot go from" in text


def test_requester_cannot_change_status(post, crew, ticket):
    assert "cannot change the status" in ephemeral_text(post.command(f"상태 {ticket.number} 진행중", "UREQUEST1"))


@pytest.mark.parametrize("verb", ["comment", "댓글"])
def test_public_comment(post, crew, ticket, verb):
    post.command(f"{verb} {ticket.number} 확인했습니다 <@UAGENT002|dohyun> &lt;b&gt;", "UAGENT001")
    comment = Comment.objects.get(ticket=ticket)
    assert comment.body == "확인했습니다 @dohyun <b>"
    assert comment.internal is False and comment.source == "slack" and comment.author == crew["agent"]


@pytest.mark.parametrize("flag", ["--internal", "내부", "-i"])
def test_internal_note_flag(post, crew, ticket, flag):
    text = ephemeral_text(post.command(f"comment {ticket.number} {flag} 재부팅 필요", "UAGENT001"))
    comment = Comment.objects.get(ticket=ticket)
    assert comment.internal is True and comment.body == "재부팅 필요"
    assert "Internal note" in text


def test_requester_cannot_add_internal_notes(post, crew, ticket):
    assert "internal notes" in ephemeral_text(post.command(f"comment {ticket.number} 내부 비밀", "UREQUEST1"))
    assert not Comment.objects.exists()


def test_four_thousand_character_comment_is_stored_whole(post, crew, ticket):
    body = ("가나다라마바사아자차" * 400)[:4000]
    assert len(body) == 4000
    response = post.command(f"comment {ticket.number} {body}", "UAGENT001")
    assert "Comment added" in ephemeral_text(response)
    assert Comment.objects.get(ticket=ticket).body == body
    detail = post.command(f"ticket {ticket.number}", "UAGENT001").json()
    shown = "".join(block.get("text", {}).get("text", "") for block in detail["blocks"] if block["type"] == "section")
    assert body not in shown and "…" in shown  # truncated for Slack, whole in the database


def test_empty_comment_is_explained(post, crew, ticket):
    assert "Write the comment" in ephemeral_text(post.command(f"comment {ticket.number}", "UAGENT001"))


@pytest.mark.parametrize("verb", ["escalate", "에스컬레이션", "상향"])
def test_escalate_with_reason(post, crew, ticket, verb):
    post.command(f"{verb} {ticket.number} 고객사 영향 확대", "UAGENT001")
    ticket.refresh_from_db()
    assert ticket.escalation_level == 1
    assert AuditEvent.objects.get(action="escalated").context["reason"] == "고객사 영향 확대"


def test_escalate_without_reason_opens_a_modal(post, crew, ticket):
    post.command(f"escalate {ticket.number}", "UAGENT001")
    (view,) = opened_views(post.slack)
    assert view["callback_id"] == "tickets.escalate"


def test_requester_cannot_escalate(post, crew, ticket):
    assert "cannot escalate" in ephemeral_text(post.command(f"상향 {ticket.number} 빨리", "UREQUEST1"))


@pytest.mark.parametrize("verb", ["close", "종료"])
def test_close_with_resolution(post, crew, ticket, verb):
    post.command(f"{verb} {ticket.number} 더 이상 필요 없음", "UREQUEST1")
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED and ticket.resolution == "더 이상 필요 없음"
    event = AuditEvent.objects.filter(action="status_changed").latest("id")
    assert event.changes["resolution"] == ["", "더 이상 필요 없음"] and event.source == "slack"


def test_close_of_a_resolved_ticket_keeps_its_resolution(post, crew, ticket):
    from tickets.services import ticket_resolve

    ticket_resolve(ticket=ticket, resolution="드라이버 재설치", by=crew["agent"])
    post.command(f"close {ticket.number} 확인 완료", "UREQUEST1")
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED and ticket.resolution == "드라이버 재설치"
    event = AuditEvent.objects.filter(action="status_changed").latest("id")
    assert "resolution" not in event.changes and event.context["reason"] == "확인 완료"


def test_close_without_resolution_opens_a_modal(post, crew, ticket):
    post.command(f"close {ticket.number}", "UAGENT001")
    (view,) = opened_views(post.slack)
    assert view["callback_id"] == "tickets.close"
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN


def test_cannot_close_someone_elses_ticket(post, crew, make_ticket):
    other = make_ticket(by=crew["colleague"], group=crew["dev"])
    # The manager of dev's requester... a requester of another ticket sees nothing of it:
    assert "was not found" in ephemeral_text(post.command(f"close {other.number} 끝", "UREQUEST1"))
    mine = make_ticket()
    assert "cannot close" not in ephemeral_text(post.command(f"close {mine.number} 끝", "UREQUEST1"))
    # A dev manager can see a dev requester's ticket but may not close it.
    from erp.people.models import Employee, Role

    Employee.objects.filter(user=crew["colleague"]).update(role=Role.MANAGER)
    ticket = make_ticket(group=crew["infra"])
    assert "cannot close" in ephemeral_text(post.command(f"close {ticket.number} 끝", "UCOLLEAG1"))
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN


@pytest.mark.parametrize("verb", ["list", "목록"])
def test_list_mine(post, crew, make_ticket, verb):
    mine = make_ticket(title="내 요청")
    assigned = make_ticket(title="배정된 것", by=crew["colleague"])
    ticket_assign(ticket=assigned, assignee=crew["agent"], by=crew["manager"])
    text = ephemeral_text(post.command(verb, "UAGENT001"))
    assert assigned.number in text and mine.number not in text
    text = ephemeral_text(post.command(verb, "UREQUEST1"))
    assert mine.number in text


def test_list_of_a_person(post, crew, make_ticket):
    assigned = make_ticket(title="박도현 담당")
    ticket_assign(ticket=assigned, assignee=crew["agent2"], by=crew["manager"])
    text = ephemeral_text(post.command("목록 <@UAGENT002|dohyun>", "UMANAGER1"))
    assert assigned.number in text and "박도현" in text


@pytest.mark.parametrize("words", ["team", "팀", "team infra", "팀 인프라팀", "team <#CINFRA001|infra>"])
def test_team_workload(post, crew, make_ticket, words):
    first = make_ticket()
    make_ticket(urgency="high", impact="high")
    ticket_assign(ticket=first, assignee=crew["agent2"], by=crew["manager"])
    Ticket.objects.filter(pk=first.pk).update(sla_state="breached")
    text = ephemeral_text(post.command(words, "UMANAGER1"))
    assert "인프라팀" in text and "2" in text
    assert "박도현" in text


def test_team_unknown_group(post, crew):
    assert "No group called" in ephemeral_text(post.command("team nowhere", "UMANAGER1"))


@pytest.mark.parametrize("words", ["report", "report daily", "보고 일간", "보고 weekly", "report 주간"])
def test_report_posts_to_the_channel_through_the_outbox(post, crew, make_ticket, words):
    make_ticket()
    make_ticket(urgency="high", impact="high")
    text = ephemeral_text(post.command(words, "UMANAGER1", channel_id="CINFRA001"))
    assert "posted" in text
    row = SlackMessage.objects.get(kind="tickets.report")
    assert row.target == "CINFRA001"
    assert "2" in row.text and "인프라팀" in str(row.blocks)


@pytest.mark.parametrize("words", ["report daily", "보고 주간"])
def test_report_has_the_satisfaction_given_in_the_period(post, crew, make_ticket, words):
    from datetime import timedelta

    from django.utils import timezone

    from tickets.models import SatisfactionRating
    from tickets.services import ticket_rate, ticket_resolve

    for score in (5, 2):
        ticket = ticket_resolve(ticket=make_ticket(), resolution="완료", by=crew["agent"])
        ticket_rate(ticket=ticket, score=score, by=crew["requester"])
    old = ticket_resolve(ticket=make_ticket(), resolution="완료", by=crew["agent"])
    ticket_rate(ticket=old, score=1, by=crew["requester"])
    SatisfactionRating.objects.filter(ticket=old).update(updated_at=timezone.now() - timedelta(days=30))
    from erp.audit.actor import Actor

    outside = ticket_resolve(ticket=make_ticket(group=crew["dev"]), resolution="완료", by=Actor.system())
    ticket_rate(ticket=outside, score=1, by=crew["requester"])  # another group: not in infra's report

    post.command(words, "UMANAGER1", channel_id="CINFRA001")
    row = SlackMessage.objects.get(kind="tickets.report")
    assert "3.5 / 5 (2 ratings)" in str(row.blocks)


def test_report_is_for_agents(post, crew):
    assert "Only agents" in ephemeral_text(post.command("report", "UREQUEST1"))
    assert not SlackMessage.objects.filter(kind="tickets.report").exists()


def test_report_bad_period(post, crew):
    assert "report weekly" in ephemeral_text(post.command("report monthly", "UMANAGER1"))


@pytest.mark.parametrize(("verb", "words"), [("search", "VPN"), ("검색", "장애"), ("search", "재택")])
def test_search_uses_the_portal_search(post, crew, make_ticket, verb, words):
    hit = make_ticket()
    miss = make_ticket(title="프린터 고장", description="토너 교체")
    text = ephemeral_text(post.command(f"{verb} {words}", "UAGENT001"))
    assert hit.number in text and miss.number not in text


def test_invalid_search_is_explained_instead_of_listing_everything(post, crew, make_ticket):
    ticket = make_ticket()
    with translation.override("en"):
        text = ephemeral_text(post.command("search VPN\x00장애", "UAGENT002"))
    assert "This search cannot run" in text and "Null characters are not allowed" in text
    assert ticket.number not in text


def test_search_respects_visibility(post, crew, make_ticket):
    theirs = make_ticket(by=crew["colleague"], group=crew["dev"])
    assert "No tickets found" in ephemeral_text(post.command("search VPN", "UREQUEST1"))
    assert "No tickets found" in ephemeral_text(post.command("search VPN", "UAGENT002"))  # dev is not infra's
    assert theirs.number in ephemeral_text(post.command("search VPN", "UCOLLEAG1"))


def test_english_employee_gets_english(post, crew, ticket):
    with translation.override("en"):
        text = ephemeral_text(post.command("frobnicate", "UAGENT002"))
    assert "Unknown sub-command" in text


def test_handler_bug_is_an_ephemeral_sentence_not_a_500(post, crew, ticket, monkeypatch):
    from integrations.slack.tickets.handlers import command as tickets_command

    def boom(cmd, who, rest):
        raise RuntimeError("bug")

    monkeypatch.setitem(tickets_command.SUBCOMMANDS, "list", boom)
    assert "Something went wrong" in ephemeral_text(post.command("list", "UAGENT001"))


def test_full_disk_is_said_in_an_ephemeral_reply(post, crew, ticket, monkeypatch):
    import errno

    from integrations.slack.tickets.handlers import command as tickets_command

    def no_space(cmd, who, rest):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setitem(tickets_command.SUBCOMMANDS, "list", no_space)
    response = post.command("list", "UAGENT001")
    assert response.status_code == 200
    assert "run out of storage space" in ephemeral_text(response)  # this crew speaks English


def test_database_trouble_is_still_a_polite_answer(post, crew, monkeypatch):
    from django.db import OperationalError

    from integrations.slack.inbound import views

    def down(origin, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(views, "resolve", down)
    response = post.command("list", "UAGENT001")
    assert response.status_code == 200
    assert "Something went wrong" in ephemeral_text(response)


def test_web_timeline_shows_the_change_came_from_slack(post, crew, ticket, client):
    post.command(f"assign {ticket.number} me", "UAGENT001", channel_id="CINFRA001")
    client.force_login(crew["agent"])
    page = client.get(ticket.get_absolute_url()).content.decode()
    assert "source-slack" in page
    # (The ticket page does not render context.slack_message_link yet; the shared
    # includes/audit_trail.html does. Reported to the tickets owner.)


def test_timeline_names_a_commands_link_a_channel_not_a_message(post, crew, ticket, client):
    post.command(f"assign {ticket.number} me", "UAGENT001", channel_id="CINFRA001")
    client.force_login(crew["agent"])
    response = client.get(ticket.get_absolute_url())
    page = response.content.decode()
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        channel_label, message_label = (
            translation.gettext("Slack channel (command)"),
            translation.gettext("Slack message"),
        )
    assert f'/archives/CINFRA001" rel="noopener" target="_blank">{channel_label}</a>' in page
    assert f">{message_label}</a>" not in page
