"""The attendance slash command (settings.SLACK_ATTENDANCE_COMMAND, default /attendance).

``/attendance in [remote|client PLACE|office]``, ``out``, ``break``, ``back``, ``status``,
``help`` — and the Korean words 출근 [재택|고객사 PLACE|사무실], 퇴근, 휴게, 복귀, 현황, 도움말
(break / back only when the company records breaks by punches; otherwise the service refuses). Writes call the same
attendance.services as the web with ``by=who.actor()`` (source slack + Slack ids in the
audit trail); the reply is ephemeral, in the employee's language (the inbound view runs
handlers inside ``speaking(who)``). Refusals (already checked in, not checked in, missing
place, unknown word) are one short sentence; the personal DM comes from the outbox.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from attendance.conf import company_break_rules
from attendance.models import Location
from attendance.services import (
    attendance_break_end,
    attendance_break_start,
    attendance_check_in,
    attendance_check_out,
    attendance_status,
)
from erp.core.errors import DomainError
from integrations.slack.attendance.blocks import clock, help_message, location_label, status_message
from integrations.slack.core.blocks import escape
from integrations.slack.inbound.replies import SlackUserError, ephemeral, explain
from integrations.slack.tickets.handlers.common import slack_text_to_plain

# Sub-command words → canonical verb. Keys are lower-cased; Korean needs no case folding.
VERBS = {
    "in": "in", "checkin": "in", "check-in": "in", "출근": "in",
    "out": "out", "checkout": "out", "check-out": "out", "퇴근": "out",
    "status": "status", "현황": "status", "상태": "status",
    "break": "break", "휴게": "break", "back": "back", "복귀": "back",
    "help": "help", "도움말": "help", "도움": "help", "?": "help",
}  # fmt: skip
LOCATION_WORDS = {
    "office": Location.OFFICE, "사무실": Location.OFFICE, "회사": Location.OFFICE,
    "remote": Location.REMOTE, "home": Location.REMOTE, "wfh": Location.REMOTE,
    "재택": Location.REMOTE, "재택근무": Location.REMOTE,
    "client": Location.CLIENT, "site": Location.CLIENT, "고객사": Location.CLIENT, "외근": Location.CLIENT,
}  # fmt: skip


def _split(text: str) -> tuple[str, str]:
    parts = (text or "").strip().split(None, 1)
    if not parts:
        return "", ""
    return parts[0], parts[1].strip() if len(parts) > 1 else ""


def parse_location(rest: str, command: str) -> tuple[str, str]:
    """(location, place) from the words after ``in``; SlackUserError for what is not one."""
    word, place = _split(rest)
    if not word:
        return Location.OFFICE, ""
    location = LOCATION_WORDS.get(word.lower())
    if location is None:
        raise SlackUserError(
            _("Unknown place “%(word)s”. Use office, remote, or client followed by the site, e.g. `%(example)s`.")
            % {"word": escape(word[:40]), "example": f"{command} in client 삼성전자"}
        )
    if location == Location.CLIENT and not place:
        raise SlackUserError(
            _("Say which client site you are at, e.g. `%(example)s`.") % {"example": f"{command} in client 삼성전자"}
        )
    if location != Location.CLIENT and place:
        # Silently dropping words would hide a typo ("in remote office"); a place is only for clients.
        raise SlackUserError(
            _("Only a client site takes a place, e.g. `%(example)s`.")
            % {"example": f"{command} in client {escape(place[:60])}"}
        )
    return location, place


def handle(cmd, who) -> dict:
    """Dispatch ``cmd.text``; an empty command shows the status (the most common question)."""
    word, rest = _split(cmd.text)
    verb = VERBS.get(word.lower()) if word else "status"
    if verb is None:
        return ephemeral(
            _("Unknown sub-command “%(word)s”. Try `%(command)s help`.")
            % {"word": escape(word[:40]), "command": cmd.command}
        )
    try:
        return SUBCOMMANDS[verb](cmd, who, rest)
    except (DomainError, ValidationError) as exc:
        # Already checked in, not checked in, a place too long: the service's own sentence.
        return ephemeral(explain(exc))


def _check_in(cmd, who, rest) -> dict:
    # Slack sends &amp; &lt; &gt; and <@U…> markup: store the place as the person typed it.
    location, place = parse_location(slack_text_to_plain(rest), cmd.command)
    result = attendance_check_in(employee=who.employee, location=location, place=place, by=who.actor())
    headline = _("Checked in at %(time)s (KST) · %(where)s") % {
        "time": clock(result.punch.at),
        "where": location_label(location, place),
    }
    return ephemeral(*status_message(result.status, headline=headline))


def _check_out(cmd, who, rest) -> dict:
    result = attendance_check_out(employee=who.employee, by=who.actor())
    headline = _("Checked out at %(time)s (KST)") % {"time": clock(result.punch.at)}
    return ephemeral(*status_message(result.status, headline=headline))


def _break_start(cmd, who, rest) -> dict:
    result = attendance_break_start(employee=who.employee, by=who.actor())
    headline = _("Break started at %(time)s") % {"time": clock(result.punch.at)}
    return ephemeral(*status_message(result.status, headline=headline))


def _break_end(cmd, who, rest) -> dict:
    result = attendance_break_end(employee=who.employee, by=who.actor())
    headline = _("Break ended at %(time)s") % {"time": clock(result.punch.at)}
    return ephemeral(*status_message(result.status, headline=headline))


def _status(cmd, who, rest) -> dict:
    return ephemeral(*status_message(attendance_status(who.employee)))


def _help(cmd, who, rest) -> dict:
    return ephemeral(*help_message(cmd.command, break_punches=company_break_rules().uses_punches))


SUBCOMMANDS = {
    "in": _check_in,
    "out": _check_out,
    "break": _break_start,
    "back": _break_end,
    "status": _status,
    "help": _help,
}
