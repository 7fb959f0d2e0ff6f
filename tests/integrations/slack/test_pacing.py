"""Per-channel pacing: slots at least SLACK_PACE_SECONDS apart, 429s block the channel only."""

import base64
import json
import math
import time
from datetime import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCacheClient

from integrations.slack.core import pacing
from integrations.slack.core.delivery import deliver
from integrations.slack.core.models import DeliveryStatus, SlackMessage
from integrations.slack.core.outbox import enqueue

from .conftest import broker

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def queued_tasks(redis_client) -> list[tuple[int, datetime | None]]:
    """(outbox id, ETA) of each delivery task in the broker's "slack" queue."""
    found = []
    for raw in redis_client.lrange("slack", 0, -1):
        message = json.loads(raw)
        args, _kwargs, _embed = json.loads(base64.b64decode(message["body"]))
        eta = message["headers"].get("eta")
        found.append((args[0], datetime.fromisoformat(eta) if eta else None))
    return found


@pytest.fixture(autouse=True)
def paced(settings):
    settings.SLACK_PACING = True
    settings.SLACK_PACE_SECONDS = 1.1


def test_slots_of_one_channel_are_spaced_and_channels_are_independent():
    now = 1_000_000.05
    first = [pacing.reserve_slot("CPACE0001", now) for _ in range(4)]
    assert first[0] == now  # an idle channel sends at once
    assert all(b - a >= 1.1 - 1e-6 for a, b in zip(first, first[1:], strict=False))
    assert pacing.reserve_slot("CPACE0002", now) == now
    # Later, once idle again, the channel sends at once again.
    assert pacing.reserve_slot("CPACE0001", now + 60) == now + 60


def test_a_rate_limit_blocks_only_that_channel():
    now = 2_000_000.0
    pacing.block_channel("CBLOCKED1", 5, now=now)
    assert pacing.reserve_slot("CBLOCKED1", now) >= now + 5
    assert pacing.reserve_slot("CFREE0001", now) < now + 1.2


def test_a_busy_channel_reschedules_instead_of_sleeping(slack):
    first = enqueue(kind="test", target="CPACE0003", text="1")
    second = enqueue(kind="test", target="CPACE0003", text="2")
    other = enqueue(kind="test", target="CPACE0004", text="3")
    outcomes = [deliver(m.pk) for m in (first, second, other)]
    assert [o.status for o in outcomes] == [DeliveryStatus.SENT, DeliveryStatus.PENDING, DeliveryStatus.SENT]
    # About a second: the slot was reserved before the first post and its privacy lookups.
    assert 0.9 <= outcomes[1].retry_in <= 2.3
    row = SlackMessage.objects.get(pk=second.pk)
    assert row.attempts == 0 and row.state["pace_slot"] and len(slack.calls_to("chat.postMessage")) == 2


def test_a_late_slot_is_used_only_if_the_next_one_can_be_burned():
    now = 3_000_000.0
    slots = [pacing.reserve_slot("CLATE0001", now) for _ in range(3)]
    # The second call woke up late: the third slot is taken, so it must not go now.
    assert not pacing.claim_late("CLATE0001", slots[1], slots[1] + 0.5)
    # The last call woke up late but nothing follows it: it may go.
    assert pacing.claim_late("CLATE0001", slots[2], slots[2] + 0.5)


def test_a_call_woken_slots_late_goes_only_if_the_slot_now_running_is_free():
    """Reserved when its card was queued, then woken several slots late (a busy worker): the slot
    after its own is long over, so burning it would not stop two calls landing in the slot now
    running. It goes only as a call to an idle channel would."""
    interval = pacing.slot_seconds()
    now = 5_000_000.5 * interval  # mid-slot: no float rounding onto a boundary
    early = pacing.reserve_slot("CLATE0002", now)
    pacing.reserve_slot("CLATE0002", now)  # the next card's slot, also long past by the wake-up
    later = now + 10 * interval
    current = pacing.reserve_slot("CLATE0002", later)  # another card is going in the slot now running
    assert current == later
    assert not pacing.claim_late("CLATE0002", early, later + 0.1)
    # Once the channel has been idle for a slot, the late call may go.
    assert pacing.claim_late("CLATE0002", early, later + 3 * interval)


def test_a_row_enqueued_with_its_slot_is_published_to_wake_at_that_slot(
    slack, throwaway_redis, django_capture_on_commit_callbacks
):
    """A worker queuing cards into a busy channel reserves each card's slot with its INSERT and
    publishes the task for that moment: no delivery runs only to learn when it may go. Into an
    idle channel the card is published at once and takes its slot when it is sent."""
    with broker(throwaway_redis.url):
        with django_capture_on_commit_callbacks(execute=True):
            first = enqueue(kind="test", target="CPACE0005", text="1", reserve_slot=True)
        assert "pace_slot" not in SlackMessage.objects.get(pk=first.pk).state
        assert deliver(first.pk).status == DeliveryStatus.SENT  # the idle channel's slot, now
        with django_capture_on_commit_callbacks(execute=True):
            second = enqueue(kind="test", target="CPACE0005", text="2", reserve_slot=True)
    second = SlackMessage.objects.get(pk=second.pk)
    assert second.state["pace_slot"] >= second.created_at.timestamp() + 0.5
    queued = dict(queued_tasks(throwaway_redis.client()))
    assert queued[first.pk] is None
    # The countdown is counted from the publish, just after the INSERT: it wakes at the slot.
    assert abs(queued[second.pk].timestamp() - second.state["pace_slot"]) < 0.25

    # Woken at its slot, the second card posts then; the reservation it carries is its own.
    with time_machine.travel(second.next_attempt_at, tick=False):
        assert deliver(second.pk).status == DeliveryStatus.SENT
    assert len(slack.calls_to("chat.postMessage")) == 2


def test_a_slot_minutes_ahead_stays_reserved_until_it_has_passed():
    """A burst queues cards far past the look-ahead window's expiry; such a slot's key must
    outlive it, or a later card would be given the same slot."""
    now = 4_000_000.0
    slots = [pacing.reserve_slot("CDEEP0001", now) for _ in range(400)]
    assert len(set(slots)) == 400
    last = math.floor(slots[-1] / pacing.slot_seconds())
    if isinstance(cache._cache, RedisCacheClient):  # Redis (CI): the key's own expiry outlives its slot
        key = cache.make_and_validate_key(pacing._slot_key("CDEEP0001", last))
        assert cache._cache.get_client(key).ttl(key) >= slots[-1] - now
    else:  # a per-process cache: the slot is still taken once the look-ahead expiry has passed
        with time_machine.travel(time.time() + 200, tick=False):
            assert cache.get(pacing._slot_key("CDEEP0001", last)) is not None
