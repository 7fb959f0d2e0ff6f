"""``/fs`` sub-commands that change a ticket's group, priority or reopen it, and ``oncall``.

The same services and rules as the web: ticket_update (group; impact × urgency give the
priority through the company's matrix) and ticket_reopen (a reason is required).
"""

from django.utils.translation import gettext as _

from erp.people.models import Department
from integrations.slack.core.blocks import escape
from integrations.slack.inbound.replies import SlackUserError, ephemeral
from integrations.slack.tickets.blocks.oncall import on_call_blocks
from integrations.slack.tickets.handlers.common import find_ticket, slack_text_to_plain
from tickets.models import Level
from tickets.oncall.selectors import on_call_overview
from tickets.services import ticket_reopen, ticket_update

LEVEL_WORDS = {
    "high": Level.HIGH, "h": Level.HIGH, "높음": Level.HIGH, "상": Level.HIGH,
    "medium": Level.MEDIUM, "m": Level.MEDIUM, "보통": Level.MEDIUM, "중": Level.MEDIUM,
    "low": Level.LOW, "l": Level.LOW, "낮음": Level.LOW, "하": Level.LOW,
}  # fmt: skip


def _split(text: str) -> tuple[str, str]:
    parts = (text or "").strip().split(None, 1)
    if not parts:
        return "", ""
    return parts[0], parts[1].strip() if len(parts) > 1 else ""


def reopen(cmd, who, rest) -> dict:
    ref, reason = _split(rest)
    ticket = find_ticket(who, ref)
    reason = slack_text_to_plain(reason)
    if not reason:
        raise SlackUserError(
            _("Say why after the number, e.g. `%(command)s reopen %(number)s 같은 오류가 다시 납니다`.")
            % {"command": cmd.command, "number": ticket.number}
        )
    ticket = ticket_reopen(ticket=ticket, reason=reason, by=who.actor())
    return ephemeral(
        _("%(number)s is open again (%(status)s).") % {"number": ticket.number, "status": ticket.get_status_display()}
    )


def _group_named(word: str) -> Department:
    word = word.strip().lstrip("#")
    groups = Department.objects.filter(is_active=True)
    group = groups.filter(name=word).first() or groups.filter(code__iexact=word).first()
    if group is None:
        names = ", ".join(groups.order_by("name").values_list("name", flat=True)[:15])
        raise SlackUserError(
            _("There is no group “%(word)s”. Groups: %(names)s") % {"word": escape(word[:40]), "names": names}
        )
    return group


def change_group(cmd, who, rest) -> dict:
    ref, word = _split(rest)
    ticket = find_ticket(who, ref)
    if not word:
        raise SlackUserError(_("Which group? e.g. `%(command)s group %(number)s 개발팀`.") % {
            "command": cmd.command, "number": ticket.number})  # fmt: skip
    group = _group_named(word)
    ticket = ticket_update(ticket=ticket, group=group, by=who.actor())
    return ephemeral(_("%(number)s moved to the group %(group)s.") % {"number": ticket.number, "group": group.name})


def change_priority(cmd, who, rest) -> dict:
    ref, levels = _split(rest)
    ticket = find_ticket(who, ref)
    words = levels.split()
    picked = [LEVEL_WORDS.get(word.lower()) for word in words]
    if len(words) != 2 or None in picked:
        raise SlackUserError(
            _(
                "Give the impact and the urgency: high, medium or low (높음, 보통, 낮음), e.g. "
                "`%(command)s priority %(number)s 높음 보통`. The priority follows from them as on the web."
            )
            % {"command": cmd.command, "number": ticket.number}
        )
    impact, urgency = picked
    ticket = ticket_update(ticket=ticket, impact=impact, urgency=urgency, by=who.actor())
    return ephemeral(
        _("%(number)s: impact %(impact)s, urgency %(urgency)s, priority %(priority)s.")
        % {
            "number": ticket.number,
            "impact": ticket.get_impact_display(),
            "urgency": ticket.get_urgency_display(),
            "priority": ticket.priority,
        }
    )


def on_call(cmd, who, rest) -> dict:
    text, blocks = on_call_blocks(on_call_overview())
    return ephemeral(text, blocks)
