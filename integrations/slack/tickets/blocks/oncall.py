"""Block Kit for "who is on call" (``/fs oncall``): pure, shifts in, dicts out."""

from django.utils.translation import gettext as _

from integrations.slack.core.blocks import context, header, safe_mrkdwn, section, user_mention
from integrations.slack.tickets.blocks.message import _when


def _who(employee) -> str:
    if employee is None:
        return _("nobody")
    return user_mention(employee.slack_user_id, employee.display_name)


def on_call_blocks(shifts) -> tuple[str, list[dict]]:
    title = _("On call")
    if not shifts:
        text = _("No group has an on-call rotation yet. An admin sets one up in the portal's admin.")
        return text, [section(text)]
    lines = [
        _("*%(group)s*: now %(now)s · next %(next)s from %(when)s")
        % {
            "group": safe_mrkdwn(shift.group.name, 100),
            "now": _who(shift.now),
            "next": _who(shift.next),
            "when": _when(shift.next_from),
        }
        for shift in shifts
    ]
    fallback = (
        title
        + ": "
        + "; ".join(f"{shift.group.name} {shift.now.display_name if shift.now else '—'}" for shift in shifts)
    )
    return fallback, [header(title), section("\n".join(lines)), context(_("Times are KST."))]
