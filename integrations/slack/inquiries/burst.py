"""Burst coalescing: one summary card while a channel's inquiry cards queue for their slots.

Slack takes about one post per second per channel (core/pacing.py), so in a burst the tenth
card into one channel appears ten seconds late and the hundredth after two minutes. When a
channel already has INQUIRIES_BURST_THRESHOLD cards waiting, the burst gets one summary card
("N new inquiries", numbers and subjects, a link to the list in the portal): it is posted in
the channel's next post slot and then updated in place (chat.update) as more inquiries arrive,
in a pacing lane of its own, so a summary update never waits behind the queued posts. The
per-inquiry cards (with their buttons) still follow as pacing allows; nothing is dropped.

A burst lasts while some of its cards still wait; the summary lists the cards of its channel
from the burst's first to its last card. Everything goes through the outbox, in the
transaction that expands the inquiry's notification (core/notify.py).
"""

import logging

from django.core.cache import cache
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from erp.workcalendar.calendar import KST
from inquiries.conf import setting
from inquiries.models import Inquiry, Status
from integrations.slack.core.blocks import portal_url
from integrations.slack.core.models import DeliveryStatus, Operation, SlackMessage
from integrations.slack.core.outbox import enqueue, refresh_pending_post
from integrations.slack.inquiries import blocks

CARD_KIND = "inquiries.received"
SUMMARY_KIND = "inquiries.burst_summary"
# The summary's updates are paced apart from the channel's posts (core/pacing.lane).
SUMMARY_LANE = "summary"
_WAITING = (DeliveryStatus.PENDING, DeliveryStatus.SENDING)
# How long the cache remembers a channel's burst: longer than any backlog drains.
BURST_MEMORY_SECONDS = 6 * 3600

logger = logging.getLogger(__name__)


def waiting_cards(channel: str) -> models.QuerySet:
    """Inquiry cards for ``channel`` not yet in Slack (queued for a slot or on the wire)."""
    return SlackMessage.objects.filter(kind=CARD_KIND, operation=Operation.POST, target=channel, status__in=_WAITING)


def _burst_cards(channel: str, first: int, last: int) -> models.QuerySet:
    return SlackMessage.objects.filter(
        kind=CARD_KIND, operation=Operation.POST, target=channel, pk__gte=first, pk__lte=last
    )


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


def _current(channel: str, card: SlackMessage) -> tuple[SlackMessage, dict] | None:
    """The channel's summary and burst while the burst is on: one of its cards, besides ``card``, waits."""
    burst = _recall(channel)
    if not burst:
        return None
    # One render at a time per burst (PostgreSQL row lock); re-read the burst under the lock.
    summary = SlackMessage.objects.select_for_update().filter(pk=burst["summary"], kind=SUMMARY_KIND).first()
    burst = _recall(channel) or burst
    if summary is None:
        return None
    if waiting_cards(channel).filter(pk__gte=burst["first"], pk__lte=burst["last"]).exclude(pk=card.pk).exists():
        return summary, burst
    return None


def note_card(channel: str, card: SlackMessage | None) -> None:
    """After an inquiry's card was queued for ``channel``: start or update the channel's summary.

    The burst (its summary row, first and last card) is remembered in the shared cache, like
    the pacing slots it exists for: without a cache there is no pacing queue and no summary.
    """
    if card is None:
        return
    threshold = setting("INQUIRIES_BURST_THRESHOLD")
    if not threshold:
        return  # coalescing switched off
    current = _current(channel, card)
    if current is None:
        waiting = list(waiting_cards(channel).order_by("pk").values_list("pk", flat=True)[:threshold])
        if len(waiting) < threshold:
            return
        burst = {"first": waiting[0], "last": card.pk}
        text, summary_blocks = render(channel, burst)
        # Keyed by the burst's first card: two workers starting the same burst at once make one
        # summary (the second enqueue is refused by the unique key and updates it instead).
        key = f"inquiries.burst:{channel}:{waiting[0]}"
        started = enqueue(
            kind=SUMMARY_KIND,
            target=channel,
            text=text,
            blocks=summary_blocks,
            message_key=key,
            once=True,  # its post is a chat.postMessage: paced with the channel's posts
        )
        if started is not None:
            _remember(channel, {**burst, "summary": started.pk})
            return
        summary = SlackMessage.objects.select_for_update().filter(message_key=key, operation=Operation.POST).first()
        if summary is None:
            return
        current = summary, {**burst, "summary": summary.pk}
    summary, burst = current
    burst = {**burst, "last": max(burst["last"], card.pk)}
    _remember(channel, burst)
    text, summary_blocks = render(channel, burst)
    show(summary, text, summary_blocks)


def show(summary: SlackMessage, text: str, summary_blocks: list) -> None:
    """The newest rendering of the summary: into its post or queued update if not sent yet, else a
    new chat.update (only one update is ever queued, so a burst cannot starve it of its slot)."""
    key, channel = summary.message_key, summary.target
    if refresh_pending_post(key, channel, text, summary_blocks):
        return
    if refresh_pending_post(key, channel, text, summary_blocks, operation=Operation.UPDATE):
        return
    enqueue(
        kind=SUMMARY_KIND,
        target=channel,
        text=text,
        blocks=summary_blocks,
        message_key=key,
        operation=Operation.UPDATE,
        state={"pace_lane": SUMMARY_LANE},
    )


def render(channel: str, burst: dict) -> tuple[str, list]:
    ids = _burst_cards(channel, burst["first"], burst["last"]).order_by("-pk").values_list("object_id", flat=True)
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
