"""Per-channel pacing: slots at least SLACK_PACE_SECONDS apart, 429s block the channel only."""

import pytest

from integrations.slack.core import pacing
from integrations.slack.core.delivery import deliver
from integrations.slack.core.models import DeliveryStatus, SlackMessage
from integrations.slack.core.outbox import enqueue

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


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
    assert not pacing.claim_late("CLATE0001", slots[1])
    # The last call woke up late but nothing follows it: it may go.
    assert pacing.claim_late("CLATE0001", slots[2])
