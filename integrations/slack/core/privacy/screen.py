"""Applying the policy to one outbox row just before it is sent (core/delivery.py).

A message whose most private field is above what its target may see is replaced by its
record's number and a link to the portal; the row keeps what was sent and why
(``state["privacy"]``), so the outbox shows the decision.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from integrations.slack.core.blocks import (
    actions,
    context,
    finalize_message,
    link_button,
    portal_url,
    safe_mrkdwn,
    section,
)
from integrations.slack.core.privacy import declarations, targets
from integrations.slack.core.privacy.classes import allows
from integrations.slack.core.privacy.policy import ceiling

OPEN_IN_PORTAL = "portal.open"


@dataclass(frozen=True)
class Decision:
    kind: str
    target_class: str
    lookup: str  # slack / cache / fallback / given
    allowed: str  # the policy's ceiling for the target class
    fields: dict  # field → privacy class (empty for an undeclared kind)
    declared: bool

    @property
    def message_class(self) -> str:
        return declarations.message_class(self.kind)

    @property
    def withheld_fields(self) -> list[str]:
        return sorted(name for name, privacy in self.fields.items() if not allows(self.allowed, privacy))

    @property
    def shown(self) -> bool:
        return self.declared and allows(self.allowed, self.message_class)

    def as_state(self) -> dict:
        return {
            "target_class": self.target_class,
            "lookup": self.lookup,
            "allowed": self.allowed,
            "message_class": self.message_class,
            "withheld": not self.shown,
        }


def decide(kind: str, target_class: str, lookup: str = "given") -> Decision:
    fields = declarations.fields_of(kind)
    return Decision(kind, target_class, lookup, ceiling(target_class), fields or {}, fields is not None)


def decide_for_target(client, kind: str, target: str) -> Decision:
    found = targets.classify(client, target)
    return decide(kind, found.target_class, found.source)


def screen(client, row, *, channel: str = "") -> None:
    """Called by the post, update, reply and redact operations right before their Slack call
    (after any wait for an original message, so a deferred row costs no lookup). A module's
    own multi-step operation (the incident channel, created by the bot with its members
    invited by name) is not screened.

    ``channel``: where the message really goes when the row names it otherwise (an update
    or reply of an original posted to ``#name`` goes to the original's channel id).

    Replace ``row``'s text and blocks with the number-and-link notice if its target may not
    see them (in memory and in the database); record the decision in ``row.state``."""
    from integrations.slack.core.models import SlackMessage

    decision = decide_for_target(client, row.kind, channel or row.target)
    row.state = {**row.state, "privacy": decision.as_state()}
    if decision.shown:
        return
    row.text, row.blocks = withheld_message(row.record)
    SlackMessage.objects.filter(pk=row.pk).update(text=row.text, blocks=row.blocks, state=row.state)


def record_label(record) -> str:
    """What identifies a record without saying anything about it: its number, else type and id."""
    if record is None:
        return "Haru"
    number = getattr(record, "number", "")
    if number:
        return str(number)
    return f"{record._meta.verbose_name} #{record.pk}"


def withheld_message(record) -> tuple[str, list]:
    """The "number + link to the portal" message, in the company's language."""
    with translation.override(settings.LANGUAGE_CODE):
        label = record_label(record)
        path = record.get_absolute_url() if record is not None and hasattr(record, "get_absolute_url") else "/"
        notice = _("%(label)s: the details are not shown in this conversation. Open the portal to read them.") % {
            "label": label
        }
        blocks = [
            section(f"🔒 {safe_mrkdwn(notice, 500)}"),
            context(_("Withheld by the Slack privacy policy.")),
            actions(link_button(_("Open in portal"), path, action_id=OPEN_IN_PORTAL)),
        ]
        text = f"🔒 {notice} {portal_url(path)}"
    return finalize_message(text, blocks)
