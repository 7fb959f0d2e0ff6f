"""One Slack message per group, updated in place, with a thread log; the buttons; paging."""

import json
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from alerts.models import AlertGroup, GroupState, Severity
from alerts.services import Incoming, alerts_receive
from alerts.services.storm import show_held_repeats
from erp.workcalendar.calendar import KST
from integrations.slack.core import delivery
from integrations.slack.core.models import DeliveryStatus, SlackMessage
from tests.clock import WORKING_WEDNESDAY
from tests.fakes.slack_signing import block_actions_payload
from tests.integrations.slack.conftest import drain, expand_notifications

pytestmark = pytest.mark.usefixtures("english")

CHANNEL = "CINFRA001"


def receive(source, n, status="firing", severity=Severity.ERROR, key="disk:web1"):
    alerts_receive(
        source=source,
        incoming=[
            Incoming(
                external_id=f"{key}:{n}:{status}", key=key, title="web1 디스크 95%", status=status, severity=severity
            )
        ],
    )


def click(post, action, value, user_id):
    payload = block_actions_payload(action, value, user_id=user_id, channel_id=CHANNEL)
    payload["response_url"] = post.response_url()
    return post.interaction(payload)


def deliver():
    expand_notifications()
    drain()
    expand_notifications()
    drain()


def channel_messages(slack, channel=CHANNEL):
    return slack.messages.get(channel, [])


def shown(message) -> str:
    return json.dumps(message.get("blocks", []), ensure_ascii=False)


@pytest.fixture
def delivered(slack, prometheus, django_capture_on_commit_callbacks):
    def run(fn):
        with django_capture_on_commit_callbacks(execute=True):
            fn()
        deliver()

    return run


def test_repeats_update_one_message_and_resolution_logs_in_the_thread(slack, prometheus, delivered):
    delivered(lambda: receive(prometheus, 1))
    for n in range(2, 7):
        delivered(lambda n=n: receive(prometheus, n))
    assert len(slack.calls_to("chat.postMessage")) == 1
    [message] = [m for m in channel_messages(slack) if not m.get("thread_ts")]
    assert "*Count*\\n6" in shown(message)
    delivered(lambda: receive(prometheus, 7, status="resolved"))
    top = [m for m in channel_messages(slack) if not m.get("thread_ts")]
    replies = [m for m in channel_messages(slack) if m.get("thread_ts")]
    assert len(top) == 1 and "✅" in shown(top[0])
    assert len(replies) == 1 and "Resolved by the sender" in replies[0]["text"]


def test_buttons_acknowledge_snooze_and_resolve(slack, prometheus, delivered, post, crew):
    delivered(lambda: receive(prometheus, 1))
    group = AlertGroup.objects.get()
    for action in ("alerts.ack", "alerts.snooze", "alerts.resolve"):
        click(post, action, str(group.pk), "UAGENT001")
        drain()
    group.refresh_from_db()
    assert group.acknowledged_by == crew["agent"]
    assert group.snoozed_until is not None and group.state == GroupState.RESOLVED
    replies = [m["text"] for m in channel_messages(slack) if m.get("thread_ts")]
    assert len(replies) == 3 and "acknowledged" in replies[0] and "snoozed" in replies[1]
    assert len(slack.calls_to("chat.postMessage")) == 1 + 3  # the post and its three thread replies


def test_ticket_button_on_a_critical_group_opens_a_p1(slack, prometheus, delivered, post, crew):
    delivered(lambda: receive(prometheus, 1, severity=Severity.CRITICAL))
    group = AlertGroup.objects.get()
    click(post, "alerts.ticket", str(group.pk), "UAGENT001")
    group.refresh_from_db()
    assert group.ticket is not None and group.ticket.priority == "P1"
    assert any(group.ticket.number in p.get("text", "") for p in post.response_posts())


def test_someone_outside_the_team_is_refused(slack, prometheus, delivered, post, crew):
    delivered(lambda: receive(prometheus, 1))
    group = AlertGroup.objects.get()
    click(post, "alerts.ack", str(group.pk), "UREQUEST1")
    group.refresh_from_db()
    assert group.acknowledged_at is None
    assert post.response_posts() and post.response_posts()[-1]["response_type"] == "ephemeral"


@pytest.mark.time_machine(datetime(2026, 12, 5, 23, 30, tzinfo=KST))  # a Saturday night
def test_after_hours_the_on_call_person_is_paged_once(slack, prometheus, delivered, roster, crew):
    delivered(lambda: receive(prometheus, 1))
    delivered(lambda: receive(prometheus, 2))
    dms = [c for c in slack.calls_to("chat.postMessage") if c.args["channel"].startswith(("D", "U"))]
    assert len(dms) == 1
    assert "on call" in dms[0].args["text"].lower()


def test_in_business_hours_nobody_is_paged(slack, prometheus, delivered, roster):
    delivered(lambda: receive(prometheus, 1, severity=Severity.CRITICAL))
    assert [c.args["channel"] for c in slack.calls_to("chat.postMessage")] == [CHANNEL]


def test_repeats_wait_for_the_refresh_window_and_never_hold_back_a_resolution(
    slack, prometheus, delivered, time_machine, django_db_on_commit
):
    """A burst of repeats is one rendering and one chat.update per window; a resolution that
    comes meanwhile is shown at once."""
    start = WORKING_WEDNESDAY
    time_machine.move_to(start, tick=False)
    delivered(lambda: receive(prometheus, 1))
    with django_db_on_commit():
        for n in range(2, 6):
            receive(prometheus, n)
    [waiting] = SlackMessage.objects.filter(kind="alerts.group_repeated")
    assert waiting.next_attempt_at == timezone.now() + timedelta(seconds=10)
    assert delivery.deliver(waiting.pk).status == "not_claimed"  # not due: nothing rendered yet
    assert not slack.calls_to("chat.update")

    with django_db_on_commit():
        receive(prometheus, 6, status="resolved")
    [resolved] = SlackMessage.objects.filter(kind="alerts.group_resolved")
    assert delivery.deliver(resolved.pk).status == DeliveryStatus.SENT  # the waiting repeat does not hold it back
    for row in SlackMessage.objects.exclude(operation="notify").filter(status=DeliveryStatus.PENDING):
        delivery.deliver(row.pk)
    [top] = [m for m in channel_messages(slack) if not m.get("thread_ts")]
    assert "✅" in shown(top) and "*Count*\\n6" in shown(top)

    time_machine.move_to(start + timedelta(seconds=11), tick=False)
    assert delivery.deliver(waiting.pk).status == DeliveryStatus.SENT
    assert not SlackMessage.objects.filter(kind="alerts.group_repeated").exists()
    assert AlertGroup.objects.get().held_repeats == 0


@pytest.fixture
def django_db_on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_a_waiting_repeat_absorbs_the_storm_jobs_repeat_of_the_same_group(
    slack, prometheus, delivered, django_db_on_commit
):
    """The storm job signals repeats too; while a repeat's row waits, it records nothing more."""
    delivered(lambda: receive(prometheus, 1))
    with django_db_on_commit():
        receive(prometheus, 2)
        receive(prometheus, 3)
    with django_db_on_commit():
        assert show_held_repeats() == 1  # the group has held repeats: the job signals it
    assert SlackMessage.objects.filter(kind="alerts.group_repeated").count() == 1
