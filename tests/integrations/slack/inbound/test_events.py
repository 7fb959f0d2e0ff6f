"""Events API: App Home, thread replies as comments, own messages ignored, once-only processing."""

import threading
import time

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from erp.audit.models import AuditEvent
from integrations.slack.core import home
from integrations.slack.core.models import Operation, SlackMessage
from integrations.slack.inbound import dispatch as routing
from integrations.slack.inbound.models import SlackEventReceipt
from tests.fakes.slack_signing import block_actions_payload, event_callback_body, signed_headers
from tickets.models import Comment, Ticket
from tickets.services import ticket_assign, ticket_close

from .conftest import TICKET_CHANNEL, TICKET_TS, URLS, opened_views

CHANNEL = TICKET_CHANNEL
THREAD = TICKET_TS


def reply(user="UAGENT001", text="원인 파악 중입니다", ts="1700000100.000200", **extra):
    return {
        "type": "message",
        "channel": CHANNEL,
        "user": user,
        "text": text,
        "ts": ts,
        "thread_ts": THREAD,
        "channel_type": "channel",
        "event_ts": ts,
        **extra,
    }


# --- App Home ----------------------------------------------------------------------------


def home_opened(user_id, tab="home"):
    return {"type": "app_home_opened", "user": user_id, "channel": "DHOME0001", "tab": tab, "event_ts": "1.2"}


def test_home_tab_shows_my_work_and_requests(post, crew, make_ticket):
    assigned = make_ticket(title="배정된 장애")
    ticket_assign(ticket=assigned, assignee=crew["agent"], by=crew["manager"])
    Ticket.objects.filter(pk=assigned.pk).update(sla_state="at_risk")
    requested = make_ticket(title="내 요청", by=crew["agent"])
    done = make_ticket(title="끝난 요청", by=crew["agent"])
    ticket_close(ticket=done, by=crew["agent"])
    assert post.event(home_opened("UAGENT001")).status_code == 200
    (call,) = post.slack.calls_to("views.publish")
    assert call.args["user_id"] == "UAGENT001"
    text = str(call.args["view"])
    assert call.args["view"]["type"] == "home"
    assert assigned.number in text and "At risk" in text
    assert requested.number in text and done.number not in text
    assert "tickets.new" in text  # the quick action


def test_home_tab_for_an_unknown_user_explains(post, crew):
    post.event(home_opened("USTRANGER"))
    (call,) = post.slack.calls_to("views.publish")
    assert "could not find your Haru account" in str(call.args["view"])


def test_messages_tab_publishes_nothing(post, crew):
    post.event(home_opened("UAGENT001", tab="messages"))
    assert post.slack.calls_to("views.publish") == []


def test_modules_add_home_sections_and_a_broken_one_is_skipped(post, crew):
    home.register_home_section(
        home.HomeSection(
            "attendance-test",
            20,
            lambda who: [{"type": "context", "elements": [{"type": "mrkdwn", "text": "출근 09:02"}]}],
        )
    )
    home.register_home_section(home.HomeSection("broken-test", 30, lambda who: 1 / 0))
    try:
        post.event(home_opened("UAGENT001"))
    finally:
        home._sections.pop("attendance-test")
        home._sections.pop("broken-test")
    (call,) = post.slack.calls_to("views.publish")
    assert "출근 09:02" in str(call.args["view"])


def test_home_new_ticket_button_opens_the_form(post, crew):
    post.interaction(
        block_actions_payload("tickets.new", "home", user_id="UREQUEST1", view={"id": "VHOME", "type": "home"})
    )
    (view,) = opened_views(post.slack)
    assert view["callback_id"] == "tickets.create"


def test_slack_failure_while_publishing_does_not_fail_the_ack(post, crew):
    post.slack.server_error_next("views.publish")
    assert post.event(home_opened("UAGENT001")).status_code == 200


# --- thread replies ----------------------------------------------------------------------


def test_agent_thread_reply_becomes_a_slack_comment(post, crew, ticket, posted):
    assert post.event(reply(text="<@UREQUEST1> 재부팅 해보세요 &amp; 알려주세요")).status_code == 200
    comment = Comment.objects.get(ticket=ticket)
    assert comment.body == "@윤예준 재부팅 해보세요 & 알려주세요"
    assert (comment.author, comment.source, comment.internal) == (crew["agent"], "slack", False)
    event = AuditEvent.objects.get(action="commented")
    assert event.source == "slack"
    assert event.context["slack_origin"] == "thread_reply"
    assert event.context["slack_thread_ts"] == THREAD
    assert event.context["slack_user_id"] == "UAGENT001" and event.context["slack_channel_id"] == CHANNEL
    assert event.context["slack_message_link"].startswith("https://app.slack.com/client/TFAKETEAM1/CINFRA001/thread/")


def test_thread_reply_link_uses_the_known_workspace_domain(post, crew, ticket, posted):
    post.command("help", "UAGENT001")  # commands teach us the team's domain
    post.event(reply())
    link = AuditEvent.objects.get(action="commented").context["slack_message_link"]
    assert link.startswith("https://fake-workspace.slack.com/archives/CINFRA001/p1700000100000200")


def test_thread_reply_is_not_echoed_back_but_a_command_comment_is_posted_there(post, crew, ticket, posted):
    post.event(reply())
    assert Comment.objects.count() == 1
    assert not SlackMessage.objects.filter(kind="tickets.commented", operation=Operation.REPLY).exists()
    post.command(f"comment {ticket.number} 명령으로 남긴 댓글", "UAGENT001")
    assert SlackMessage.objects.filter(kind="tickets.commented", operation=Operation.REPLY).count() == 1


@pytest.mark.parametrize(
    "event",
    [
        reply(bot_id="BFAKEBOT01", user="UFAKEBOT01"),
        reply(user="UFAKEBOT01"),  # our bot user (from the envelope's authorizations)
        reply(subtype="bot_message", user=None),
        reply(subtype="message_changed"),
        {**reply(), "thread_ts": None},  # a top-level message
        {**reply(), "ts": THREAD},  # the parent itself
    ],
)
def test_messages_that_are_not_agent_replies_are_ignored_without_a_write(post, crew, ticket, posted, event):
    post.event({k: v for k, v in event.items() if v is not None})
    assert not Comment.objects.exists()
    assert not SlackEventReceipt.objects.exists()


def test_replies_by_non_agents_and_in_other_threads_are_ignored(post, crew, ticket, posted):
    post.event(reply(user="UCOLLEAG1"))  # a colleague chatting: not the requester, not an agent
    post.event(reply(user="UAGENT001", thread_ts="1690000000.000001"))
    post.event(reply(user="UNOBODY01"))
    assert not Comment.objects.exists()
    assert set(SlackEventReceipt.objects.values_list("status", flat=True)) == {"ignored"}


def test_the_requesters_reply_becomes_a_public_comment_and_resumes_a_pending_ticket(post, crew, ticket, posted):
    """The product rule (tickets.selectors.can_comment_from_thread): agents and the requester."""
    from tickets.models import Status
    from tickets.services import ticket_change_status

    ticket_assign(ticket=ticket, assignee=crew["agent"], by=crew["manager"])
    ticket_change_status(ticket=ticket, status=Status.PENDING, reason="요청자 회신 대기", by=crew["agent"])
    assert post.event(reply(user="UREQUEST1", text="이제 됩니다 감사합니다")).status_code == 200
    comment = Comment.objects.get()
    assert (comment.author, comment.internal, comment.source) == (crew["requester"], False, "slack")
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS


def test_an_agent_who_cannot_see_the_ticket_is_ignored(post, crew, make_ticket):
    from django.contrib.contenttypes.models import ContentType

    from integrations.slack.core.models import MessageRef

    secret = make_ticket(title="급여 시스템 접근 요청", sensitive=True)
    MessageRef.objects.create(
        content_type=ContentType.objects.get_for_model(Ticket),
        object_id=str(secret.pk),
        message_key=f"tickets.ticket:{secret.pk}",
        target=CHANNEL,
        channel_id=CHANNEL,
        ts=THREAD,
    )
    post.event(reply(user="UAGENT001"))  # an infra agent, but sensitive tickets are not theirs
    assert not Comment.objects.exists()
    post.event(reply(user="UMANAGER1", ts="1700000100.000300"))  # the group's manager handles it
    assert Comment.objects.get().author == crew["manager"]


def test_reply_on_a_closed_ticket_is_dropped_quietly(post, crew, ticket, posted):
    ticket_close(ticket=ticket, by=crew["agent"])
    assert post.event(reply()).status_code == 200
    assert not Comment.objects.exists()


# --- once-only processing ----------------------------------------------------------------


def test_duplicate_delivery_is_processed_once(post, crew, ticket, posted):
    event = reply()
    post.event(event, event_id="Ev0DUPLICATE")
    post.event(event, event_id="Ev0DUPLICATE", retry_num=1)
    post.event(event, event_id="Ev0DUPLICATE", retry_num=2)
    assert Comment.objects.count() == 1
    receipt = SlackEventReceipt.objects.get(event_id="Ev0DUPLICATE")
    assert (receipt.status, receipt.duplicates) == ("done", 2)


def test_failed_handling_lets_the_retry_through(post, crew, ticket, posted, monkeypatch):
    from tickets import services

    real = services.ticket_comment
    calls = []

    def flaky(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database hiccup")
        return real(**kwargs)

    monkeypatch.setattr(services, "ticket_comment", flaky)
    assert post.event(reply(), event_id="Ev0FLAKY").status_code == 503  # Slack, please retry
    assert not SlackEventReceipt.objects.exists()
    post.event(reply(), event_id="Ev0FLAKY", retry_num=1)
    assert Comment.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_retry_arriving_while_the_first_delivery_runs_is_dropped():
    """Two deliveries of one event at the same moment, each on its own connection."""
    handled = []
    started = threading.Barrier(2)

    def slow_handler(event):
        handled.append(event.event_id)
        time.sleep(0.5)  # the first delivery is still running when the retry lands
        return True

    routing.register_event("test_slow_event", slow_handler)
    body = event_callback_body({"type": "test_slow_event"}, event_id="Ev0CONCURRENT")
    statuses = []

    def deliver(retry):
        try:
            headers = signed_headers(settings.SLACK_SIGNING_SECRET, body)
            if retry:
                headers["HTTP_X_SLACK_RETRY_NUM"] = "1"
            started.wait()
            response = Client().post(URLS["events"], data=body, content_type="application/json", **headers)
            statuses.append(response.status_code)
        finally:
            connection.close()

    try:
        threads = [threading.Thread(target=deliver, args=(retry,)) for retry in (False, True)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
    finally:
        routing.events.pop("test_slow_event", None)
    assert statuses == [200, 200]
    assert handled == ["Ev0CONCURRENT"]
    receipt = SlackEventReceipt.objects.get(event_id="Ev0CONCURRENT")
    assert (receipt.status, receipt.duplicates) == ("done", 1)


def test_bot_user_id_from_settings_is_ignored(post, crew, ticket, posted, settings):
    settings.SLACK_BOT_USER_ID = "UOURBOT01"
    post.event(reply(user="UOURBOT01"))
    assert not Comment.objects.exists()


def test_old_event_receipts_are_purged(db):
    from datetime import timedelta

    from django.utils import timezone

    from erp.core.retention import run_one

    old = SlackEventReceipt.objects.create(event_id="Ev0OLD", event_type="message")
    SlackEventReceipt.objects.filter(pk=old.pk).update(received_at=timezone.now() - timedelta(days=8))
    SlackEventReceipt.objects.create(event_id="Ev0NEW", event_type="message")
    assert run_one("slack.event_receipts") == 1  # a policy of the nightly retention run
    assert list(SlackEventReceipt.objects.values_list("event_id", flat=True)) == ["Ev0NEW"]
