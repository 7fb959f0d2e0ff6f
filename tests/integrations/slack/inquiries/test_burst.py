"""Burst coalescing against the Slack stand-in's per-channel post limit: one summary card,
updated in place while the per-inquiry cards wait for their paced slots; no card is lost."""

import json
import re
import time
from datetime import timedelta

import pytest

from integrations.slack.core.delivery import deliver
from integrations.slack.core.models import DeliveryStatus, SlackMessage
from integrations.slack.inquiries.burst import SUMMARY_KIND
from tests.clock import WORKING_WEDNESDAY

from ..conftest import expand_notifications

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

SALES = "CSALESBST"
PACE = 0.3  # seconds per post slot: the real 1.1 s, shortened so the test runs in a few seconds


@pytest.fixture(autouse=True)
def paced_channel(settings, slack):
    settings.INQUIRIES_SALES_CHANNEL = SALES
    settings.INQUIRIES_BURST_THRESHOLD = 3
    settings.SLACK_PACING = True
    settings.SLACK_PACE_SECONDS = PACE
    # Slack's special limit: chat.postMessage about once per slot per channel (updates are not under it).
    # (A little slack for the test's single-threaded worker, whose calls jitter around their slots.)
    slack.enforce_rate_limit(1 / (PACE * 0.9), burst=2, methods=["chat.postMessage"])


def work(timeout: float = 30, *, until_empty: bool = True) -> None:
    """A worker: deliver whatever is due, oldest first, until nothing waits (real time: pacing)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pending = list(
            SlackMessage.objects.filter(status=DeliveryStatus.PENDING).order_by("pk").values_list("pk", flat=True)
        )
        if not pending:
            return
        for message_id in pending:
            deliver(message_id)
        time.sleep(0.02)
    if until_empty:
        pytest.fail("the outbox did not drain")


@pytest.fixture
def receive_many(receive, django_capture_on_commit_callbacks):
    """``count`` inquiries at once, their notifications expanded as the worker does after commit
    (the summary's bookkeeping runs after the expansion's commit)."""
    sent = iter(range(1000))

    def make(count: int) -> list:
        inquiries = []
        for _ in range(count):
            index = next(sent)
            inquiries.append(receive(email=f"burst{index}@client.example", phone="", subject=f"견적 요청 {index}"))
        with django_capture_on_commit_callbacks(execute=True):
            expand_notifications()
        return inquiries

    return make


def number_of(card) -> str:
    return re.search(r"INQ-\d+", card.args["text"]).group(0)


def content(call) -> str:
    return call.args.get("text", "") + json.dumps(call.args.get("blocks") or [], ensure_ascii=False)


def test_a_burst_gets_one_summary_updated_in_place_and_every_card_follows(receive_many, slack):
    inquiries = receive_many(8)
    work(5 * PACE, until_empty=False)  # the summary is out; cards still wait for their slots
    inquiries += receive_many(3)
    work()
    posts = slack.calls_to("chat.postMessage")
    summaries = [call for call in posts if "new inquiries" in content(call)]
    cards = [call for call in posts if "new inquiries" not in content(call)]
    assert len(summaries) == 1  # one summary for the whole burst
    # Every inquiry's own card, with its buttons, still came.
    assert sorted(inquiry.number for inquiry in inquiries) == sorted(number_of(call) for call in cards)
    updates = slack.calls_to("chat.update")
    assert updates, "later arrivals are added to the summary with chat.update"
    final = content(updates[-1])
    assert "11 new inquiries" in final and all(re.search(rf"{i.number}\b", final) for i in inquiries)
    assert "status=new" in final  # the link to the filtered list in the portal
    # The summary went out in the channel's next post slot, before the queued cards, and its
    # updates did not wait for them either.
    assert posts.index(summaries[0]) < len(posts) - 1
    assert updates[0].at < cards[-1].at
    assert not [call for call in slack.calls if call.fault], "pacing kept every post within Slack's limit"
    assert not SlackMessage.objects.exclude(status=DeliveryStatus.SENT).exists()
    assert not SlackMessage.objects.filter(kind=SUMMARY_KIND, status=DeliveryStatus.FAILED).exists()


def test_every_inquiry_appears_long_before_its_own_card_in_a_burst(receive_many, slack):
    inquiries = receive_many(8)
    work()
    posts = slack.calls_to("chat.postMessage")
    seen = {}
    for call in sorted(posts + slack.calls_to("chat.update"), key=lambda c: c.at):
        for inquiry in inquiries:
            if re.search(rf"{inquiry.number}\b", content(call)):
                seen.setdefault(inquiry.number, call.at)
    own = {
        i.number: next(c.at for c in posts if i.number in c.args["text"] and "new inquiries" not in content(c))
        for i in inquiries
    }
    last = inquiries[-1].number
    # The last card waits for 8 post slots; the inquiry was in the summary after about 3.
    assert own[last] - seen[last] >= 3 * PACE


def test_a_few_inquiries_get_their_cards_and_no_summary(receive_many, slack):
    receive_many(2)
    work()
    posts = slack.calls_to("chat.postMessage")
    assert len(posts) == 2 and not any("new inquiries" in content(call) for call in posts)
    assert not SlackMessage.objects.filter(kind=SUMMARY_KIND).exists()


def test_a_later_burst_gets_a_new_summary(receive_many, slack, time_machine):
    receive_many(3)
    work()
    time_machine.move_to(WORKING_WEDNESDAY + timedelta(minutes=5))  # a quiet while later
    receive_many(3)
    work()
    summaries = [call for call in slack.calls_to("chat.postMessage") if "new inquiries" in content(call)]
    assert len(summaries) == 2
    assert "3 new inquiries" in content(summaries[1])


def test_every_outbox_operation_name_fits_its_column():
    """PostgreSQL refuses a longer one (SQLite would store it): the summary's first names did not fit."""
    from integrations.slack.core.delivery import _handlers

    limit = SlackMessage._meta.get_field("operation").max_length
    assert [name for name in _handlers if len(name) > limit] == []


def test_arrivals_just_after_the_first_cards_went_out_stay_in_the_same_summary(receive_many, slack):
    """A worker slow to expand a burst lets its first cards drain before the next are queued."""
    receive_many(4)
    work()
    receive_many(4)
    work()
    summaries = [call for call in slack.calls_to("chat.postMessage") if "new inquiries" in content(call)]
    assert len(summaries) == 1
    assert "8 new inquiries" in content(slack.calls_to("chat.update")[-1])
