"""Buttons on group messages (확인, 티켓 생성, 1시간 끄기, 해결) and on security releases (패치 티켓).

They call the same services as the portal with the clicking person as actor; the service's
signal then updates the message everywhere and writes the thread log. A refusal (no right,
gone group) comes back as an ephemeral reply through the views' error handling.
"""

from django.utils.translation import gettext as _

from alerts.selectors import group_for, visible_items
from alerts.services import group_acknowledge, group_open_ticket, group_resolve, group_snooze, release_open_patch_ticket
from integrations.slack.inbound.deferred import respond_later
from integrations.slack.inbound.replies import SlackUserError, ephemeral
from tickets.p1_policy import notice_for as p1_notice_for


def _group(interaction, who):
    value = interaction.action_value
    group = group_for(who.user, int(value)) if value.isdigit() else None
    if group is None:
        raise SlackUserError(_("This alert no longer exists or you cannot see it."))
    return group


def acknowledge(interaction, who) -> None:
    group_acknowledge(group=_group(interaction, who), by=who.actor())


def snooze(interaction, who) -> None:
    group_snooze(group=_group(interaction, who), by=who.actor())


def resolve(interaction, who) -> None:
    group_resolve(group=_group(interaction, who), by=who.actor())


def open_ticket(interaction, who) -> None:
    ticket = group_open_ticket(group=_group(interaction, who), by=who.actor())
    text = _("Ticket %(number)s is linked to this alert.") % {"number": ticket.number}
    if notice := p1_notice_for(ticket):
        text += "\n" + notice
    respond_later(interaction.response_url, {**ephemeral(text), "replace_original": False})


def patch_ticket(interaction, who) -> None:
    value = interaction.action_value
    item = visible_items(who.user).filter(pk=int(value)).first() if value.isdigit() else None
    if item is None:
        raise SlackUserError(_("This release no longer exists or you cannot see it."))
    ticket = release_open_patch_ticket(item=item, by=who.actor())
    text = _("Service request %(number)s opened for the patch.") % {"number": ticket.number}
    respond_later(interaction.response_url, {**ephemeral(text), "replace_original": False})
