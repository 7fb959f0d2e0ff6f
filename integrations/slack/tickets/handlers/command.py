"""The ticket slash command (settings.SLACK_TICKET_COMMAND, default /fs), Korean or English.

``/fs <sub-command> ...``: every write calls the same tickets.services as the web with
``by=who.actor()`` (source slack + channel + message link in the audit trail); every read
goes through tickets.selectors. Replies are ephemeral HTTP answer bodies; a refusal
(unknown sub-command, bad id, PermissionDenied, invalid transition) is one short sentence.
"""

from django.utils.translation import gettext as _

from erp.people.names import display_name
from integrations.slack.core.blocks import escape
from integrations.slack.inbound.modals import open_modal
from integrations.slack.inbound.replies import SlackUserError, ephemeral
from integrations.slack.tickets.blocks.reports import help_blocks
from integrations.slack.tickets.handlers import changes
from integrations.slack.tickets.handlers import reads as tickets_reads
from integrations.slack.tickets.handlers.common import (
    detail,
    find_ticket,
    person_named,
    slack_text_to_plain,
)
from integrations.slack.tickets.handlers.modals import close_modal_for, create_modal_for, escalate_modal_for
from tickets.models import Status
from tickets.services import (
    ticket_assign,
    ticket_change_status,
    ticket_close,
    ticket_comment,
    ticket_escalate,
    ticket_resolve,
)

# Sub-command words → canonical verb. Keys are lower-cased; Korean needs no case folding.
VERBS = {
    "help": "help", "도움말": "help", "도움": "help", "?": "help",
    "ticket": "ticket", "show": "ticket", "view": "ticket", "티켓": "ticket", "조회": "ticket",
    "create": "create", "new": "create", "생성": "create", "등록": "create",
    "assign": "assign", "배정": "assign", "할당": "assign",
    "status": "status", "상태": "status",
    "comment": "comment", "댓글": "comment", "코멘트": "comment",
    "escalate": "escalate", "에스컬레이션": "escalate", "상향": "escalate",
    "close": "close", "종료": "close", "닫기": "close",
    "list": "list", "목록": "list", "ls": "list",
    "team": "team", "팀": "team",
    "report": "report", "보고": "report", "리포트": "report",
    "search": "search", "검색": "search", "find": "search",
    "reopen": "reopen", "다시열기": "reopen", "재개": "reopen", "재오픈": "reopen",
    "group": "group", "그룹": "group", "이관": "group",
    "priority": "priority", "우선순위": "priority",
    "oncall": "oncall", "on-call": "oncall", "당번": "oncall", "온콜": "oncall",
}  # fmt: skip
STATUS_WORDS = {
    "open": Status.OPEN, "열림": Status.OPEN, "접수": Status.OPEN, "신규": Status.OPEN, "재개": Status.OPEN,
    "in_progress": Status.IN_PROGRESS, "in-progress": Status.IN_PROGRESS, "progress": Status.IN_PROGRESS,
    "working": Status.IN_PROGRESS, "진행중": Status.IN_PROGRESS, "진행": Status.IN_PROGRESS,
    "inprogress": Status.IN_PROGRESS,
    "처리중": Status.IN_PROGRESS,
    "pending": Status.PENDING, "wait": Status.PENDING, "waiting": Status.PENDING, "대기": Status.PENDING,
    "보류": Status.PENDING,
    "resolved": Status.RESOLVED, "resolve": Status.RESOLVED, "해결": Status.RESOLVED, "해결됨": Status.RESOLVED,
    "closed": Status.CLOSED, "close": Status.CLOSED, "종료": Status.CLOSED, "닫힘": Status.CLOSED,
}  # fmt: skip
TWO_WORD_STATUSES = {"진행 중", "처리 중", "in progress"}
INTERNAL_FLAGS = {"--internal", "-i", "internal", "내부", "내부메모", "--내부"}


def _split(text: str) -> tuple[str, str]:
    """First word and the rest, keeping the rest's inner spacing and newlines."""
    parts = (text or "").strip().split(None, 1)
    if not parts:
        return "", ""
    return parts[0], parts[1].strip() if len(parts) > 1 else ""


def handle(cmd, who) -> dict:
    """Dispatch ``cmd.text`` to a sub-command; a bare ticket number shows that ticket."""
    word, rest = _split(cmd.text)
    verb = VERBS.get(word.lower()) if word else "help"
    if verb is None:
        if tickets_reads.looks_like_ref(word):
            return _show(cmd, who, word)
        return ephemeral(
            _("Unknown sub-command “%(word)s”. Try `%(command)s help`.")
            % {"word": escape(word[:40]), "command": cmd.command}
        )
    try:
        return SUBCOMMANDS[verb](cmd, who, rest)
    except SlackUserError as exc:
        return ephemeral(str(exc))


def _help(cmd, who, rest) -> dict:
    text, blocks = help_blocks(cmd.command, help_rows())
    return ephemeral(text, blocks)


def help_rows() -> list[tuple[str, str]]:
    # Usages are translated too: Korean readers see Korean words and placeholders ([제목], @이름 …),
    # which the parser accepts as well as the English ones (korean.md §3 #13).
    return [
        ("help | 도움말", _("this list")),
        ("ticket | 티켓 INC-12", _("show a ticket with its buttons")),
        (_("create | 생성 [title]"), _("open the new-ticket form")),
        (_("assign | 배정 INC-12 @person|me"), _("assign a ticket (me = 나)")),
        (_("status | 상태 INC-12 진행중|대기|해결|종료"), _("change the status (also open, in_progress, pending …)")),
        (_("comment | 댓글 INC-12 [--internal|내부] text"), _("add a comment; the flag makes it an internal note")),
        (_("escalate | 상향 INC-12 [reason]"), _("escalate one level")),
        (_("close | 종료 INC-12 [resolution]"), _("close (opens a form without a resolution)")),
        (_("reopen | 다시열기 INC-12 reason"), _("reopen a resolved or closed ticket")),
        (_("group | 그룹 INC-12 group"), _("move a ticket to another group")),
        (_("priority | 우선순위 INC-12 impact urgency"), _("set impact and urgency (높음, 보통, 낮음)")),
        (_("oncall | 당번"), _("who is on call now and next, per group")),
        (_("list | 목록 [@person]"), _("open tickets of me or of a person")),
        (_("team | 팀 [group]"), _("a group's workload")),
        (_("report | 보고 [daily|weekly]"), _("post the ticket report to this channel")),
        (_("search | 검색 words"), _("search tickets like the portal does")),
    ]


def _show(cmd, who, rest) -> dict:
    ref, _rest = _split(rest)
    ticket = find_ticket(who, ref, for_detail=True)
    text, blocks = detail(who, ticket)
    return ephemeral(text, blocks)


def _create(cmd, who, rest) -> dict:
    title = slack_text_to_plain(rest)
    metadata = {"channel": cmd.origin.channel_id, "response_url": cmd.response_url}
    open_modal(cmd.trigger_id, create_modal_for(who, title=title, metadata=metadata))
    return None


def _assign(cmd, who, rest) -> dict:
    ref, target = _split(rest)
    word, _rest = _split(target)
    if not word:
        raise SlackUserError(_("Whom to? e.g. `%(command)s assign INC-12 @name` or `me`.") % {"command": cmd.command})
    ticket = find_ticket(who, ref)
    assignee = person_named(who, word)
    ticket = ticket_assign(ticket=ticket, assignee=assignee, by=who.actor())
    if assignee is None:
        return ephemeral(_("%(number)s is now unassigned.") % {"number": ticket.number})
    name = display_name(assignee)
    return ephemeral(_("%(number)s is now assigned to %(name)s.") % {"number": ticket.number, "name": name})


def _status_word(tail: str) -> tuple[str | None, str]:
    """The status a reply names and the note after it; "진행 중" is the label users see, so
    two-word labels are read as one word (else "중" would become the reason)."""
    word, note = _split(tail)
    second, after = _split(note)
    joined = STATUS_WORDS.get((word + second).lower()) if second else None
    if joined is not None and (word + " " + second).lower() in TWO_WORD_STATUSES:
        return joined, after
    return STATUS_WORDS.get(word.lower()), note


def _status(cmd, who, rest) -> dict:
    ref, tail = _split(rest)
    status, note = _status_word(tail)
    if status is None:
        raise SlackUserError(
            _("Which status? Use 진행중, 대기, 해결 or 종료 (or open, in_progress, pending, resolved, closed).")
        )
    ticket = find_ticket(who, ref)
    note = slack_text_to_plain(note)
    if status == Status.RESOLVED and note:
        ticket = ticket_resolve(ticket=ticket, resolution=note, by=who.actor())
    else:
        ticket = ticket_change_status(ticket=ticket, status=status, reason=note, by=who.actor())
    return ephemeral(
        _("%(number)s is now %(status)s.") % {"number": ticket.number, "status": ticket.get_status_display()}
    )


def _comment(cmd, who, rest) -> dict:
    ref, body = _split(rest)
    internal = False
    first, after = _split(body)
    if first.lower() in INTERNAL_FLAGS:
        internal, body = True, after
    elif body.rstrip().lower().endswith(" --internal"):
        internal, body = True, body.rstrip()[: -len(" --internal")]
    if not body.strip():
        raise SlackUserError(_("Write the comment after the ticket number."))
    ticket = find_ticket(who, ref)
    ticket_comment(ticket=ticket, body=slack_text_to_plain(body), internal=internal, by=who.actor())
    if internal:
        return ephemeral(_("Internal note added to %(number)s.") % {"number": ticket.number})
    return ephemeral(_("Comment added to %(number)s.") % {"number": ticket.number})


def _ticket_and_text(cmd, who, rest, form_for) -> tuple:
    """``REF text…``: the ticket and the plain text; without text, opens the form and gives ""."""
    ref, text = _split(rest)
    ticket = find_ticket(who, ref)
    text = slack_text_to_plain(text)
    if not text:
        open_modal(cmd.trigger_id, form_for(ticket, {"channel": cmd.origin.channel_id}))
    return ticket, text


def _escalate(cmd, who, rest) -> dict:
    ticket, reason = _ticket_and_text(cmd, who, rest, escalate_modal_for)
    if not reason:
        return None
    ticket = ticket_escalate(ticket=ticket, reason=reason, by=who.actor())
    return ephemeral(
        _("%(number)s escalated to level %(level)d.") % {"number": ticket.number, "level": ticket.escalation_level}
    )


def _close(cmd, who, rest) -> dict:
    ticket, resolution = _ticket_and_text(cmd, who, rest, close_modal_for)
    if not resolution:
        return None
    ticket = ticket_close(ticket=ticket, resolution=resolution, by=who.actor())
    return ephemeral(_("%(number)s is closed.") % {"number": ticket.number})


SUBCOMMANDS = {
    "help": _help,
    "ticket": _show,
    "create": _create,
    "assign": _assign,
    "status": _status,
    "comment": _comment,
    "escalate": _escalate,
    "close": _close,
    "list": tickets_reads.list_command,
    "team": tickets_reads.team_command,
    "report": tickets_reads.report_command,
    "search": tickets_reads.search_command,
    "reopen": changes.reopen,
    "group": changes.change_group,
    "priority": changes.change_priority,
    "oncall": changes.on_call,
}
