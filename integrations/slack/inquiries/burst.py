"""Burst coalescing: one summary card while a channel's inquiry cards queue for their slots.

Slack takes about one post per second per channel (core/pacing.py), so in a burst the tenth
card into one channel appears ten seconds late and the hundredth after two minutes. When a
channel already has INQUIRIES_BURST_THRESHOLD cards waiting, the burst gets one summary card
("N new inquiries", numbers and subjects, a link to the list in the portal): it is posted in
the channel's next post slot and then updated in place (chat.update) as more inquiries arrive,
in a pacing lane of its own, so a summary update never waits behind the queued posts. The
per-inquiry cards (with their buttons) still follow as pacing allows; nothing is dropped.

The summary is rendered when it is sent (its own outbox operations, below), from the cards
queued by then: an arrival only makes sure one post or update of the summary is still to
come, so a burst of N inquiries costs N cheap checks and about one rendering per slot, and
no arrival can be missed by a rendering that raced it. A due summary is delivered by the
worker expanding the arrival, not queued behind the burst's hundreds of tasks. The burst (first and last card, the
summary's key) is remembered in the shared cache, like the pacing slots it exists for; it
lasts while one of its cards still waits.
"""

import logging
import time

from django.core.cache import cache
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy

from erp.workcalendar.calendar import KST
from inquiries.conf import setting
from inquiries.models import Inquiry, Status
from integrations.slack.core import delivery
from integrations.slack.core.blocks import finalize_message, portal_url
from integrations.slack.core.models import DeliveryStatus, Operation, SlackMessage
from integrations.slack.core.modules import DeliveryOperation
from integrations.slack.core.outbox import enqueue
from integrations.slack.inquiries import blocks

CARD_KIND = "inquiries.received"
SUMMARY_KIND = "inquiries.burst_summary"
SUMMARY_POST = "inq_summary_post"  # (operation: at most 20 characters)
SUMMARY_UPDATE = "inq_summary_update"
# The summary's updates are paced apart from the channel's posts (core/pacing.lane).
SUMMARY_LANE = "summary"
_WAITING = (DeliveryStatus.PENDING, DeliveryStatus.SENDING)
# How long the cache remembers a channel's burst: longer than any backlog drains.
BURST_MEMORY_SECONDS = 6 * 3600
# Arrivals this close to the burst's last one still belong to it while the channel has a queue.
BURST_QUIET_SECONDS = 30

logger = logging.getLogger(__name__)


def waiting_cards(channel: str) -> models.QuerySet:
    """Inquiry cards for ``channel`` not yet in Slack (queued for a slot or on the wire)."""
    return SlackMessage.objects.filter(kind=CARD_KIND, operation=Operation.POST, target=channel, status__in=_WAITING)


def _burst_key(channel: str) -> str:
    return f"inquiries:burst:{channel}"


def _remember(channel: str, burst: dict) -> None:
    try:
        cache.set(_burst_key(channel), burst, timeout=BURST_MEMORY_SECONDS)
    except Exception as exc:  # the next card simply starts a new summary
        logger.warning("Inquiry burst of %s not remembered: %s", channel, exc)


def _recall(channel: str) -> dict | None:
    try:
        return cache.get(_burst_key(channel))
    except Exception:
        return None


def _still_on(channel: str, burst: dict, card: SlackMessage) -> bool:
    """One of the burst's cards still waits; or the burst had an arrival moments ago and the
    channel still has a queue (a worker slow to expand the arrivals lets the first cards drain
    before the next ones are queued: that is still the same burst)."""
    waiting = waiting_cards(channel).filter(pk__gte=burst["first"]).exclude(pk=card.pk)
    if waiting.filter(pk__lte=burst["last"]).exists():
        return True
    return time.time() - burst.get("touched", 0) < BURST_QUIET_SECONDS and waiting.exists()


def note_card(channel: str, card: SlackMessage | None) -> None:
    """After an inquiry's card was queued for ``channel``: start the channel's summary, or make
    sure the running one shows this inquiry too."""
    threshold = setting("INQUIRIES_BURST_THRESHOLD")
    if card is None or not threshold:
        return  # nothing queued, or coalescing switched off
    burst = _recall(channel)
    if burst and _still_on(channel, burst, card):
        _remember(channel, {**burst, "last": max(burst["last"], card.pk), "touched": time.time()})
        transaction.on_commit(lambda: _summary_to_come(channel, burst))
        return
    waiting = list(waiting_cards(channel).order_by("pk").values_list("pk", flat=True)[:threshold])
    if len(waiting) < threshold:
        return
    # Keyed by the burst's first card: two workers starting the same burst at once make one
    # summary (the second enqueue is refused by the unique key).
    burst = {
        "first": waiting[0],
        "last": card.pk,
        "key": f"inquiries.burst:{channel}:{waiting[0]}",
        "touched": time.time(),
    }
    text, summary_blocks = render(channel, burst["first"])
    enqueue(
        kind=SUMMARY_KIND,
        target=channel,
        text=text,
        blocks=summary_blocks,
        message_key=burst["key"],
        operation=SUMMARY_POST,
        once=True,
        # One post per burst beside the cards' (Slack tolerates a short burst; the stand-in's
        # limiter too): in the summary's lane it goes at once instead of after the queued cards.
        state={"first": burst["first"], "pace_lane": SUMMARY_LANE},
    )
    _remember(channel, burst)
    transaction.on_commit(lambda: _summary_to_come(channel, burst))


def _summary_to_come(channel: str, burst: dict) -> None:
    """After the card's commit: unless a post or update of the summary is still to be rendered
    (it will show this card), queue an update. Checked after commit, so a rendering already
    under way that could not see the card is followed by another."""
    unrendered = SlackMessage.objects.filter(
        message_key=burst["key"],
        target=channel,
        operation__in=[SUMMARY_POST, SUMMARY_UPDATE],
        status=DeliveryStatus.PENDING,
        attempts=0,
    )
    row = unrendered.values_list("pk", "next_attempt_at").first()
    if row is None:
        text, summary_blocks = render(channel, burst["first"])
        queued = enqueue(
            kind=SUMMARY_KIND,
            target=channel,
            text=text,
            blocks=summary_blocks,
            message_key=burst["key"],
            operation=SUMMARY_UPDATE,
            state={"first": burst["first"], "pace_lane": SUMMARY_LANE},
        )
        row = (queued.pk, queued.next_attempt_at) if queued is not None else None
    if row is not None and (row[1] is None or row[1] <= timezone.now()):
        _deliver_now(row[0])


def _deliver_now(message_id: int) -> None:
    """Deliver the summary here, in the worker that is expanding the burst's notifications,
    rather than behind the burst's own tasks in the queue (the outbox's delivery all the same:
    claimed atomically, paced, re-published with a countdown when its slot is later)."""
    from integrations.slack.core.tasks import deliver_message

    deliver_message(message_id)


def render(channel: str, first_card: int) -> tuple[str, list]:
    """The summary of the burst from ``first_card`` on, as the outbox has it now."""
    cards = SlackMessage.objects.filter(kind=CARD_KIND, operation=Operation.POST, target=channel, pk__gte=first_card)
    ids = cards.order_by("-pk").values_list("object_id", flat=True)
    total = ids.count()
    newest = [int(pk) for pk in ids[: blocks.SUMMARY_LINES] if pk.isdigit()]
    inquiries = Inquiry.objects.filter(pk__in=newest).only("pk", "subject").order_by("pk")
    lines = [
        blocks.BurstLine(number=inquiry.number, subject=inquiry.subject, url=portal_url(inquiry.get_absolute_url()))
        for inquiry in inquiries
    ]
    return blocks.burst_summary(lines, total=total, list_url=list_url())


def list_url() -> str:
    """The portal's list of today's new inquiries (the burst's filter)."""
    today = timezone.localtime(timezone.now(), KST).date().isoformat()
    query = urlencode({"status": Status.NEW, "received_after": today})
    return portal_url(f"{reverse('inquiries:list')}?{query}")


def _rendered_now(row: SlackMessage) -> None:
    text, summary_blocks = finalize_message(*render(row.target, row.state["first"]))
    row.text, row.blocks = text, summary_blocks
    SlackMessage.objects.filter(pk=row.pk).update(text=text, blocks=summary_blocks)  # the outbox shows what went


def post_summary(client, row: SlackMessage) -> delivery.Sent:
    _rendered_now(row)
    return delivery.post(client, row)


def update_summary(client, row: SlackMessage) -> delivery.Sent:
    _rendered_now(row)
    return delivery.update(client, row)


OPERATIONS = (
    DeliveryOperation(SUMMARY_POST, post_summary, gettext_lazy("Post a summary of new inquiries"), paced=True),
    DeliveryOperation(SUMMARY_UPDATE, update_summary, gettext_lazy("Update a summary of new inquiries"), paced=True),
)
