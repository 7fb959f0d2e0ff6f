"""A mail bomb: 10,000 mails through the SMTP receiver over loopback. Every mail is stored and
counted into a group; Slack gets a bounded number of calls (one post per group, a few
updates), never one per mail; a new subject in the storm lands in the sender's overflow group.
"""

import json
import smtplib
import time

import pytest
from django.db.models import Sum

from alerts.models import AlertGroup, IntakeWindow, Item, Source, SourceKind
from alerts.services import storm
from alerts.services.mail import mail_receive, mails_receive
from integrations.mail.imap import STORE_AT_ONCE
from integrations.mail.smtp import controller
from tests.integrations.slack.conftest import drain, expand_notifications
from tests.integrations.slack.net import free_port

from . import mails

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("english")]

MAILS = 10_000
SUBJECTS = 20
SENDER = "alertmanager@haru.example"


@pytest.fixture
def mailbox(team):
    return Source.objects.create(
        name="Alertmanager mail", kind=SourceKind.MAILBOX, address="alerts@haru.example", owner_team=team["infra"]
    )


def storm_mail(n: int) -> bytes:
    # Every 50th mail has a subject of its own (a new group each, were it not a storm).
    subject = f"[FIRING:1] Unique{n} (web{n})" if n % 50 == 49 else f"[FIRING:1] Storm{n % SUBJECTS} (web1)"
    return mails.plain(subject, "폭주 알림", sender=SENDER, message_id=f"<storm{n}@am.haru.example>")


def deliver_to_slack():
    """What the worker does meanwhile: expand the notifications and send them."""
    expand_notifications()
    drain()


def assert_bounded_and_nothing_lost(slack, mails_sent):
    assert Item.objects.count() == mails_sent  # nothing lost
    assert AlertGroup.objects.aggregate(total=Sum("count"))["total"] == mails_sent  # every mail counted
    assert not AlertGroup.objects.filter(held_repeats__gt=0).exists()
    groups = AlertGroup.objects.count()
    posts = slack.calls_to("chat.postMessage")
    updates = slack.calls_to("chat.update")
    assert len(posts) == groups  # one message per group, no thread noise from repeats
    assert len(updates) <= 10 * groups  # a few updates per group, never one per mail
    calls = [c for c in slack.calls if c.method in ("chat.postMessage", "chat.update")]
    for group in AlertGroup.objects.all():  # each group's message shows its final count
        shown = [json.dumps(c.args.get("blocks"), ensure_ascii=False) for c in calls]
        last = [blocks for blocks in shown if f'alerts.group.{group.pk}"' in blocks][-1]
        assert f'*Count*\\n{group.count}"' in last, (group.key, group.count, last)
    return groups


BATCH = STORE_AT_ONCE  # what the IMAP poller stores at once


def test_ten_thousand_mails_cost_a_bounded_number_of_slack_calls(mailbox, slack, settings):
    """The mail pipeline the SMTP receiver and the IMAP poller share, 10,000 times, in the
    poller's batches (the SMTP test below takes the one-mail path)."""
    settings.SLACK_PACING = False
    raws = [storm_mail(n) for n in range(MAILS)]
    began = time.monotonic()
    for start in range(0, MAILS, BATCH):
        outcomes = mails_receive(source=mailbox, raws=raws[start : start + BATCH])
        assert len(outcomes) == len(raws[start : start + BATCH]) and all(o.stored for o in outcomes)
        if start % 2500 == 2500 - BATCH:
            deliver_to_slack()  # the worker meanwhile
    took = time.monotonic() - began
    storm.show_held_repeats()  # the storm job's minute
    deliver_to_slack()
    groups = assert_bounded_and_nothing_lost(slack, MAILS)
    assert groups <= SUBJECTS + 5  # the 20 subjects, a few unique ones before the limit, the overflow group
    overflow = AlertGroup.objects.get(key=storm.overflow_key(SENDER))
    assert overflow.title == f"Mail storm from {SENDER}" and overflow.count > 150
    assert Item.objects.filter(group=overflow, facts__storm_key__startswith="alertmanager:").count() == overflow.count
    # No time assertion (tests never depend on the machine's speed): about 30 s on a quiet
    # 2-core box, three times that when the box is shared; printed for the record.
    print(f"10,000 mails through the pipeline in {took:.1f} s")


def test_a_storm_over_smtp(mailbox, slack, settings):
    """The same through aiosmtpd on loopback, one SMTP session, with lower limits."""
    settings.SLACK_PACING = False
    settings.ALERTS_STORM_PER_SENDER_PER_MINUTE = 10
    settings.ALERTS_STORM_PER_MAILBOX_PER_MINUTE = 40
    server = controller("127.0.0.1", free_port())
    server.start()
    try:
        with smtplib.SMTP(server.hostname, server.port, timeout=30) as client:
            for n in range(600):
                wire = storm_mail(n).replace(b"\n", b"\r\n")
                assert client.sendmail(SENDER, ["alerts@haru.example"], wire) == {}
    finally:
        server.stop()
    storm.show_held_repeats()
    deliver_to_slack()
    groups = assert_bounded_and_nothing_lost(slack, 600)
    assert AlertGroup.objects.filter(key=storm.overflow_key(SENDER)).exists() and groups <= SUBJECTS + 3


def test_limits_are_per_sender_and_per_mailbox(mailbox, settings):
    settings.ALERTS_STORM_PER_SENDER_PER_MINUTE = 3
    settings.ALERTS_STORM_PER_MAILBOX_PER_MINUTE = 5
    arrivals = [storm.mail_arrived(mailbox, "a@x.example") for _ in range(4)]
    assert [a.sender_count for a in arrivals] == [1, 2, 3, 4] and [a.storm for a in arrivals] == [0, 0, 0, 1]
    other = [storm.mail_arrived(mailbox, "B@x.example") for _ in range(2)]
    assert other[0].sender_count == 1 and not other[0].storm  # another sender has its own limit …
    assert other[1].mailbox_count == 6 and other[1].storm  # … but the mailbox's is shared
    assert IntakeWindow.objects.filter(source=mailbox).count() == 3


def test_a_known_group_in_a_storm_is_counted_quietly_and_shown_by_the_job(mailbox, settings, slack):
    settings.SLACK_PACING = False
    settings.ALERTS_STORM_PER_SENDER_PER_MINUTE = 1
    mail_receive(source=mailbox, raw=mails.plain("[FIRING:1] DiskFull (web1)", "…", sender=SENDER))
    deliver_to_slack()
    for _ in range(4):
        mail_receive(source=mailbox, raw=mails.plain("[FIRING:1] DiskFull (web1)", "…", sender=SENDER))
    group = AlertGroup.objects.get()
    assert (group.count, group.held_repeats) == (5, 4)
    deliver_to_slack()
    assert len(slack.calls_to("chat.update")) == 0  # held: nothing was sent for the four
    assert storm.show_held_repeats() == 1
    deliver_to_slack()
    group.refresh_from_db()
    assert group.held_repeats == 0
    assert "*Count*\\n5" in json.dumps(slack.calls_to("chat.update")[-1].args.get("blocks"), ensure_ascii=False)


def test_a_batch_is_counted_as_if_mail_by_mail(mailbox, settings):
    settings.ALERTS_STORM_PER_SENDER_PER_MINUTE = 3
    settings.ALERTS_STORM_PER_MAILBOX_PER_MINUTE = 100
    storm.mail_arrived(mailbox, "a@x.example")
    arrivals = storm.mails_arrived(mailbox, ["a@x.example", "B@x.example", "a@x.example", "a@x.example"])
    assert [(a.sender_count, a.mailbox_count) for a in arrivals] == [(2, 2), (1, 3), (3, 4), (4, 5)]
    assert [a.storm for a in arrivals] == [False, False, False, True]


def test_a_batch_stores_a_repeated_message_id_once(mailbox, settings):
    settings.SLACK_PACING = False
    first, again, other = mails_receive(source=mailbox, raws=[storm_mail(1), storm_mail(1), storm_mail(2)])
    assert (first.stored, again.stored, other.stored) == (True, False, True)
    assert first.group_id and other.group_id and first.group_id != other.group_id
    assert Item.objects.count() == 2 and AlertGroup.objects.aggregate(total=Sum("count"))["total"] == 2
    assert [o.stored for o in mails_receive(source=mailbox, raws=[storm_mail(2), storm_mail(3)])] == [False, True]
