"""The outbox and its delivery task, against FakeSlackAPI over real HTTP."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from erp.people.models import Department
from integrations.slack.core import outbox
from integrations.slack.core.client import get_client
from integrations.slack.core.delivery import deliver
from integrations.slack.core.models import DeliveryStatus, MessageRef, Operation, SlackMessage
from integrations.slack.core.tasks import deliver_message, sweep_outbox

from .conftest import make_due

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

BLOCKS = [{"type": "section", "text": {"type": "mrkdwn", "text": "*장애* 발생"}}]


@pytest.fixture
def dept(db):
    return Department.objects.create(name="운영팀", code="ops-test")


def enqueue(record, **kwargs):
    kwargs.setdefault("kind", "test.event")
    kwargs.setdefault("target", "CTEST0001")
    kwargs.setdefault("text", "장애 발생")
    kwargs.setdefault("blocks", BLOCKS)
    return outbox.enqueue(record=record, **kwargs)


def reload(message):
    return SlackMessage.objects.get(pk=message.pk)


def posts(slack, channel="CTEST0001"):
    return [m for m in slack.messages.get(channel, []) if not m.get("thread_ts")]


def test_without_token_rows_are_kept_as_not_configured_and_nothing_is_published(
    dept, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        message = enqueue(dept)
    assert message.status == DeliveryStatus.NOT_CONFIGURED
    assert callbacks == []


def test_enqueue_publishes_after_commit_and_the_task_posts_once(slack, dept, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = enqueue(dept, message_key="people.department:1")
    assert len(callbacks) == 1
    assert deliver_message.run(message.pk) == DeliveryStatus.SENT
    # A duplicate task (sweeper re-publish, acks_late redelivery) finds nothing to do.
    assert deliver_message.run(message.pk) == DeliveryStatus.SENT
    assert len(slack.calls_to("chat.postMessage")) == 1
    row = reload(message)
    assert row.attempts == 1 and row.sent_at and row.ts and row.channel_id == "CTEST0001"
    call = slack.calls_to("chat.postMessage")[0]
    assert call.args["text"] == "장애 발생" and call.args["blocks"] == BLOCKS
    ref = MessageRef.objects.get(message_key="people.department:1", target="CTEST0001")
    assert (ref.channel_id, ref.ts) == (row.channel_id, row.ts)


def test_publishing_after_commit_writes_nothing_more_on_the_request_path(
    slack, dept, django_capture_on_commit_callbacks
):
    """published_at rides in the INSERT; the on_commit publish sends to the broker only."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with django_capture_on_commit_callbacks() as callbacks:
        message = enqueue(dept)
    with CaptureQueriesContext(connection) as queries:
        for callback in callbacks:
            callback()
    assert [q["sql"] for q in queries.captured_queries] == []
    assert reload(message).published_at == message.next_attempt_at
    # A row the sweeper publishes is recorded in one UPDATE for the whole batch.
    SlackMessage.objects.filter(pk=message.pk).update(
        published_at=None, next_attempt_at=timezone.now() - timedelta(minutes=5)
    )
    assert sweep_outbox.run() == 1
    assert reload(message).published_at is not None


def test_rolled_back_transaction_leaves_no_row_and_publishes_nothing(slack, dept, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            enqueue(dept)
            raise RuntimeError("domain change failed")
    assert not SlackMessage.objects.exists()
    assert callbacks == []


def test_later_change_updates_the_original_message_and_replies_in_its_thread(slack, dept):
    key = outbox.message_key_for(dept)
    first = enqueue(dept)
    assert first.message_key == ""  # a plain post has no key unless asked
    original = enqueue(dept, message_key=key, text="v1")
    deliver(original.pk)
    update = enqueue(dept, operation=Operation.UPDATE, text="v2", blocks=[])
    reply = enqueue(dept, operation=Operation.REPLY, text="상태 변경: 처리 중", blocks=[])
    assert update.message_key == key
    assert deliver(update.pk).status == DeliveryStatus.SENT
    assert deliver(reply.pk).status == DeliveryStatus.SENT
    original = reload(original)
    [edit] = slack.calls_to("chat.update")
    assert edit.args["ts"] == original.ts and edit.args["text"] == "v2"
    thread = [m for m in slack.messages["CTEST0001"] if m.get("thread_ts") == original.ts]
    assert [m["text"] for m in thread] == ["상태 변경: 처리 중"]
    assert len(posts(slack)) == 1  # the update did not post a new message


def test_update_waits_for_an_original_still_on_its_way(slack, dept):
    key = outbox.message_key_for(dept)
    original = enqueue(dept, message_key=key)
    update = enqueue(dept, operation=Operation.UPDATE, text="v2")
    outcome = deliver(update.pk)
    assert outcome.status == DeliveryStatus.PENDING and outcome.retry_in > 0
    assert reload(update).attempts == 0 and not slack.calls
    deliver(original.pk)
    make_due(update)
    assert deliver(update.pk).status == DeliveryStatus.SENT
    assert len(slack.calls_to("chat.update")) == 1


def test_update_without_any_original_posts_a_fresh_message(slack, dept):
    update = enqueue(dept, operation=Operation.UPDATE, text="v2")
    assert deliver(update.pk).status == DeliveryStatus.SENT
    assert [c.method for c in slack.calls if c.method.startswith("chat.")] == ["chat.postMessage"]
    assert MessageRef.objects.filter(message_key=update.message_key).exists()


def test_update_of_a_message_deleted_in_slack_posts_it_anew(slack, dept):
    """Someone deleted the record's message in Slack: the update posts a fresh one, which
    becomes the record's message for later updates and thread replies."""
    key = outbox.message_key_for(dept)
    original = enqueue(dept, message_key=key, text="v1")
    deliver(original.pk)
    gone = MessageRef.objects.get(message_key=key, target="CTEST0001")
    get_client().chat_delete(channel="CTEST0001", ts=gone.ts)
    update = enqueue(dept, operation=Operation.UPDATE, text="v2")
    assert deliver(update.pk).status == DeliveryStatus.SENT
    chat = [c.method for c in slack.calls if c.method.startswith("chat.")]
    assert chat == ["chat.postMessage", "chat.delete", "chat.update", "chat.postMessage"]
    assert [m["text"] for m in posts(slack)] == ["v2"]
    ref = MessageRef.objects.get(message_key=key, target="CTEST0001")
    assert ref.pk != gone.pk and ref.ts == reload(update).ts
    reply = enqueue(dept, operation=Operation.REPLY, text="상태 변경: 처리 중", blocks=[])
    assert deliver(reply.pk).status == DeliveryStatus.SENT
    assert [m["text"] for m in slack.messages["CTEST0001"] if m.get("thread_ts") == ref.ts] == ["상태 변경: 처리 중"]


def test_reply_without_original_is_skipped(slack, dept):
    reply = enqueue(dept, operation=Operation.REPLY)
    assert deliver(reply.pk).status == DeliveryStatus.SKIPPED
    assert not slack.calls


def test_a_newer_update_supersedes_an_older_queued_one(slack, dept):
    older = enqueue(dept, operation=Operation.UPDATE, text="v1")
    newer = enqueue(dept, operation=Operation.UPDATE, text="v2")
    assert reload(older).status == DeliveryStatus.SKIPPED
    assert reload(newer).status == DeliveryStatus.PENDING


def test_direct_message_opens_the_conversation_and_stores_the_d_channel(slack, dept):
    key = outbox.message_key_for(dept, "dm")
    message = enqueue(dept, target="UAGENT001", message_key=key)
    deliver(message.pk)
    [opened] = slack.calls_to("conversations.open")
    assert opened.args["users"] == "UAGENT001"
    row = reload(message)
    assert row.channel_id.startswith("D") and row.state["dm_channel"] == row.channel_id
    update = enqueue(dept, target="UAGENT001", message_key=key, operation=Operation.UPDATE, text="v2")
    deliver(update.pk)
    assert slack.calls_to("chat.update")[0].args["channel"] == row.channel_id


def test_429_reschedules_after_retry_after_without_using_an_attempt(slack, dept):
    message = enqueue(dept)
    slack.rate_limit_next("chat.postMessage", retry_after=7)
    before = timezone.now()
    outcome = deliver(message.pk)
    assert outcome.status == DeliveryStatus.PENDING and outcome.retry_in == 7
    row = reload(message)
    assert row.attempts == 0 and row.error_code == "ratelimited"
    assert before + timedelta(seconds=6) <= row.next_attempt_at <= timezone.now() + timedelta(seconds=8)
    # Not due yet: a task arriving early does nothing.
    assert deliver(message.pk).status == "not_claimed"
    make_due(message)
    assert deliver(message.pk).status == DeliveryStatus.SENT
    assert len(posts(slack)) == 1


def test_server_error_backs_off_with_jitter_then_succeeds(slack, dept, settings):
    message = enqueue(dept)
    slack.server_error_next("chat.postMessage", status=503)
    outcome = deliver(message.pk)
    assert outcome.status == DeliveryStatus.PENDING
    assert settings.SLACK_RETRY_BASE_SECONDS / 2 <= outcome.retry_in <= settings.SLACK_RETRY_BASE_SECONDS
    row = reload(message)
    assert row.attempts == 1 and row.error_code == "http_503" and row.ambiguous_attempts == 0
    make_due(message)
    assert deliver(message.pk).status == DeliveryStatus.SENT
    assert len(posts(slack)) == 1 and reload(message).attempts == 2


def test_backoff_grows_exponentially_up_to_the_cap(settings):
    from integrations.slack.core.delivery import backoff_seconds

    settings.SLACK_RETRY_BASE_SECONDS, settings.SLACK_RETRY_MAX_SECONDS = 10, 300
    assert 5 <= backoff_seconds(1) <= 10
    assert 40 <= backoff_seconds(4) <= 80
    assert 150 <= backoff_seconds(20) <= 300


def test_timeout_is_retried_and_counted_as_ambiguous(slack, dept, settings):
    settings.SLACK_CLIENT_TIMEOUT = 1
    message = enqueue(dept)
    slack.delay_next("chat.postMessage", seconds=3)
    outcome = deliver(message.pk)
    assert outcome.status == DeliveryStatus.PENDING
    row = reload(message)
    assert row.error_code == "timeout" and row.ambiguous_attempts == 1 and row.attempts == 1


def test_permanent_error_fails_with_the_reason_and_is_never_retried(slack, dept):
    message = enqueue(dept)
    slack.fail_next("chat.postMessage", "channel_not_found")
    outcome = deliver(message.pk)
    assert outcome.status == DeliveryStatus.FAILED and outcome.retry_in is None
    row = reload(message)
    assert row.error_code == "channel_not_found" and "channel_not_found" in row.last_error
    assert deliver_message.run(message.pk) == DeliveryStatus.FAILED
    assert len(slack.calls_to("chat.postMessage")) == 1  # (plus the privacy policy's lookups)


@pytest.mark.parametrize("error", ["not_in_channel", "is_archived", "invalid_auth", "invalid_blocks", "msg_too_long"])
def test_other_permanent_errors(slack, dept, error):
    message = enqueue(dept)
    slack.fail_next("chat.postMessage", error)
    assert deliver(message.pk).status == DeliveryStatus.FAILED
    assert reload(message).error_code == error


def test_transient_errors_give_up_at_the_attempt_limit(slack, dept, settings):
    settings.SLACK_MAX_ATTEMPTS = 2
    message = enqueue(dept)
    slack.server_error_next("chat.postMessage", times=2)
    assert deliver(message.pk).status == DeliveryStatus.PENDING
    make_due(message)
    assert deliver(message.pk).status == DeliveryStatus.FAILED
    assert "gave up after 2 attempts" in reload(message).last_error


def test_once_keeps_a_single_row_per_kind_key_and_target(slack, dept):
    first = enqueue(dept, kind="test.sla", message_key="k", once=True)
    assert first is not None
    assert enqueue(dept, kind="test.sla", message_key="k", once=True) is None
    assert enqueue(dept, kind="test.sla", message_key="k", target="COTHER001", once=True) is not None


def test_sweeper_republishes_due_rows_and_recovers_rows_of_a_dead_worker(slack, dept, settings):
    settings.SLACK_SWEEP_GRACE_SECONDS = 0
    waiting = enqueue(dept)
    stuck = enqueue(dept)
    long_ago = timezone.now() - timedelta(seconds=settings.SLACK_SENDING_STALE_SECONDS + 5)
    SlackMessage.objects.filter(pk=stuck.pk).update(status=DeliveryStatus.SENDING, sending_started_at=long_ago)
    make_due(waiting)
    SlackMessage.objects.filter(pk=waiting.pk).update(published_at=None)  # its publish failed
    assert sweep_outbox.run() == 2
    # Both tasks are now in the broker: the next sweep leaves them alone for a while.
    assert sweep_outbox.run() == 0
    stuck = reload(stuck)
    assert stuck.status == DeliveryStatus.PENDING and stuck.ambiguous_attempts == 1


def test_retry_action_requeues_failed_and_not_configured_rows(slack, dept, django_capture_on_commit_callbacks):
    message = enqueue(dept)
    slack.fail_next("chat.postMessage", "not_in_channel")
    deliver(message.pk)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert outbox.retry_messages(SlackMessage.objects.all()) == 1
    assert len(callbacks) == 1
    assert deliver(message.pk).status == DeliveryStatus.SENT


def test_pii_is_masked_in_text_blocks_and_errors(slack, dept):
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "연락처 010-1234-5678, 900101-1234567"}}]
    message = enqueue(dept, text="메일 hong.gildong@example.com 카드 5555-5555-5555-4444", blocks=blocks)
    assert "010-****-5678" in message.blocks[0]["text"]["text"]
    assert "900101-1******" in message.blocks[0]["text"]["text"]
    assert "h***@example.com" in message.text and "****-****-****-4444" in message.text
    deliver(message.pk)
    sent = slack.calls_to("chat.postMessage")[0].args
    for secret in ("1234-5678", "1234567", "hong.gildong", "9012-3456"):
        assert secret not in sent["text"] and secret not in str(sent["blocks"])


def test_admin_outbox_changelist_and_detail(slack, admin_client, dept):
    message = enqueue(dept)
    assert admin_client.get(reverse("admin:integrations_slackmessage_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:integrations_slackmessage_change", args=[message.pk])).status_code == 200
    response = admin_client.post(
        reverse("admin:integrations_slackmessage_changelist"),
        {"action": "retry", "_selected_action": [message.pk]},
    )
    assert response.status_code == 302
    assert reload(message).status == DeliveryStatus.PENDING


def test_prune_keeps_recent_failed_and_references(slack, dept):
    from erp.core.retention import run_one

    key = outbox.message_key_for(dept)
    old_sent = enqueue(dept, message_key=key)
    deliver(old_sent.pk)
    old_failed = enqueue(dept)
    slack.fail_next("chat.postMessage", "is_archived")
    deliver(old_failed.pk)
    recent = enqueue(dept)
    deliver(recent.pk)
    long_ago = timezone.now() - timedelta(days=31)
    SlackMessage.objects.filter(pk__in=[old_sent.pk, old_failed.pk]).update(created_at=long_ago)
    assert run_one("slack.outbox") == 1  # a policy of the nightly retention run
    assert set(SlackMessage.objects.values_list("pk", flat=True)) == {old_failed.pk, recent.pk}
    assert MessageRef.objects.filter(message_key=key).exists()


def test_admin_retry_without_token_explains_instead_of_queueing(admin_client, dept):
    message = enqueue(dept)
    response = admin_client.post(
        reverse("admin:integrations_slackmessage_changelist"),
        {"action": "retry", "_selected_action": [message.pk]},
        follow=True,
    )
    assert "SLACK_BOT_TOKEN" in response.content.decode()
    assert reload(message).status == DeliveryStatus.NOT_CONFIGURED


def test_thread_replies_keep_their_order_when_one_is_rate_limited(slack, dept):
    key = "people.department:order"
    parent = enqueue(dept, message_key=key)
    deliver(parent.pk)
    replies = [
        enqueue(dept, message_key=key, operation=Operation.REPLY, text=f"reply {n}", blocks=[]) for n in range(3)
    ]
    slack.rate_limit_next("chat.postMessage", retry_after=5)
    assert deliver(replies[0].pk).status == DeliveryStatus.PENDING  # 429: rescheduled
    # The younger replies wait for it instead of overtaking it.
    assert deliver(replies[1].pk).status == DeliveryStatus.PENDING
    assert deliver(replies[2].pk).status == DeliveryStatus.PENDING
    for row in replies:
        make_due(row)
    for row in replies:
        deliver(row.pk)
    for row in replies:
        make_due(row)
        deliver(row.pk)
    thread = [m["text"] for m in slack.messages["CTEST0001"] if m.get("thread_ts")]
    assert thread == ["reply 0", "reply 1", "reply 2"]
