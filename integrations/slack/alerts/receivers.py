"""Alert notifications: one channel message per group, updated in place, with a thread log.

These run after commit in the worker (integrations.slack.core.notify), from the group as it is
then. Repeats are coalesced at intake: while a group's notification is pending, further
repeats only count (``held_repeats``); a repeat's notification waits
ALERTS_REPEAT_REFRESH_SECONDS before it expands (a coalescing notification), so a group's
message shows its repeats at most once per window; and every handler here first marks them shown
(alerts.services.storm.repeats_shown) and renders the count as it is now. On top of that the
outbox keeps only the newest pending update of a message and channel pacing holds each
channel to about one call a second: Slack sees a few updates, never one post per alert.
"""

from django.utils import timezone
from django.utils.translation import gettext

from alerts.models import AlertGroup, Delivery
from alerts.services.storm import repeats_shown
from erp.audit.actor import as_actor
from erp.people.names import display_name
from integrations.slack.alerts import blocks, routing
from integrations.slack.core.kit import dm
from integrations.slack.core.outbox import enqueue, message_key_for, posted_targets, update_everywhere


def group_context(group: AlertGroup) -> blocks.GroupContext:
    acknowledged_by = ""
    if group.acknowledged_by is not None:
        employee = getattr(group.acknowledged_by, "employee", None)
        acknowledged_by = blocks.person_label(
            display_name(group.acknowledged_by), getattr(employee, "slack_user_id", None)
        )
    ticket = group.ticket
    return blocks.GroupContext(
        source_name=group.source.name,
        acknowledged_by=acknowledged_by,
        ticket_number=ticket.number if ticket else "",
        ticket_path=ticket.get_absolute_url() if ticket else "",
        now=timezone.now(),
    )


def render(group: AlertGroup) -> tuple[str, list]:
    return blocks.group_message(group, group_context(group))


def _refresh(group: AlertGroup, kind: str, note: str | None = None) -> int:
    text, message_blocks = render(group)
    reply = blocks.log_line(note) if note else None
    return update_everywhere(kind=kind, record=group, text=text, blocks=message_blocks, reply=reply)


def _page(group: AlertGroup, item_pk) -> None:
    person = routing.pager_for(group, timezone.now())
    if person is None:
        return
    dm(
        "alerts.page",
        person,
        lambda: blocks.page_dm(group, group_context(group)),
        record=group,
        message_key=message_key_for(group, f"page:{item_pk}"),
        once=True,
    )


def on_opened(group, item=None, by=None, **kwargs):
    """A new group is posted; one that fires again updates its message and logs it in the thread."""
    group = repeats_shown(group)
    key = message_key_for(group)
    if posted_targets(key):
        _refresh(group, "alerts.refired", gettext("🚨 Firing again."))
    else:
        text, message_blocks = render(group)
        for channel in routing.channels_for(group):
            enqueue(
                kind="alerts.opened", target=channel, text=text, blocks=message_blocks, record=group, message_key=key
            )
    _page(group, getattr(item, "pk", "") or group.last_seen.timestamp())


def on_repeated(group, item=None, by=None, **kwargs):
    _refresh(repeats_shown(group), "alerts.repeated")


CHANGE_NOTES = {
    "acknowledged": lambda by: gettext("👀 %(who)s acknowledged it.") % {"who": by},
    "snoozed": lambda by: gettext("🔕 %(who)s snoozed it for an hour.") % {"who": by},
    "ticket_linked": lambda by: gettext("🎫 %(who)s linked a ticket.") % {"who": by},
}


def on_changed(group, change="", by=None, **kwargs):
    label = as_actor(by).label if by is not None else ""
    note = CHANGE_NOTES.get(change)
    _refresh(repeats_shown(group), f"alerts.{change or 'changed'}", note(label) if note else None)


def on_resolved(group, item=None, by=None, **kwargs):
    actor = as_actor(by) if by is not None else None
    if actor is not None and actor.user is not None:
        note = gettext("✅ %(who)s resolved it.") % {"who": actor.label}
    else:
        note = gettext("✅ Resolved by the sender.")
    _refresh(repeats_shown(group), "alerts.resolved", note)


def on_release(item, by=None, **kwargs):
    """An instant post of a release to the subscription's channel (digests are a daily job)."""
    source = item.source
    if source.delivery != Delivery.INSTANT:
        return
    channel = routing.release_channel(source)
    if not channel:
        return
    text, message_blocks = blocks.release_message(item, portal_path=f"/alerts/sources/{source.pk}/")
    enqueue(
        kind="alerts.release",
        target=channel,
        text=text,
        blocks=message_blocks,
        record=item,
        message_key=message_key_for(item),
        once=True,
    )
