"""Socket Mode end to end: envelopes from the stand-in, handled by the HTTP endpoints' dispatch."""

import pytest

from integrations.slack.socket.models import ConnectionState, EnvelopeStatus, SocketConnection, SocketEnvelope
from tests.fakes.slack_signing import block_actions_payload, view_submission_payload
from tests.integrations.slack.inbound.test_interactivity import _create_values
from tickets.models import Ticket

from .conftest import command_payload, event_payload, settle

# Several threads write at once (see conftest): PostgreSQL, as in production and CI.
pytestmark = pytest.mark.postgres


def _ack(fake, kind, payload, **kwargs):
    envelope_id = fake.send(kind, payload, **kwargs)
    ack = fake.wait_ack(envelope_id)
    settle()
    return ack


def test_slash_command_reply_travels_in_the_ack(connected, socket_slack, transactional_crew):
    ack = _ack(socket_slack, "slash_commands", command_payload("help", "UREQUEST1"))
    assert ack.payload["response_type"] == "ephemeral"
    assert "create" in ack.payload["text"] + str(ack.payload.get("blocks"))


def test_same_identity_rules_as_http(connected, socket_slack, transactional_crew):
    ack = _ack(socket_slack, "slash_commands", command_payload("help", "USTRANGER"))
    assert ack.payload["response_type"] == "ephemeral"
    assert "Haru" in ack.payload["text"] or "하루" in ack.payload["text"]  # the bilingual refusal
    assert not SocketEnvelope.objects.filter(status=EnvelopeStatus.PROCESSING).exists()


def test_create_opens_the_modal_inline(connected, socket_slack, slack, transactional_crew):
    ack = _ack(socket_slack, "slash_commands", command_payload("create 프린터 고장", "UREQUEST1"))
    assert ack.payload is None  # empty answer: the modal is the reply
    (call,) = slack.calls_to("views.open")
    assert call.args["view"]["callback_id"] == "tickets.create"


def test_view_submission_errors_come_back_as_response_action(connected, socket_slack, transactional_crew):
    payload = view_submission_payload("tickets.create", {"title": {"title": ""}}, user_id="UREQUEST1")
    ack = _ack(socket_slack, "interactive", payload)
    assert ack.payload["response_action"] == "errors"


def test_view_submission_creates_the_ticket(connected, socket_slack, transactional_crew):
    values = _create_values(title="소켓 모드로 접수", group=str(transactional_crew["infra"].pk))
    ack = _ack(socket_slack, "interactive", view_submission_payload("tickets.create", values, user_id="UREQUEST1"))
    assert ack.payload["response_action"] == "update"  # the modal turns into the confirmation
    ticket = Ticket.objects.get(title="소켓 모드로 접수")
    assert ticket.number in str(ack.payload["view"])
    assert (ticket.requester, ticket.source) == (transactional_crew["requester"], "slack")


def test_block_actions_ack_without_payload(connected, socket_slack, slack, transactional_crew):
    payload = block_actions_payload("tickets.create_open", user_id="UREQUEST1")
    ack = _ack(socket_slack, "interactive", payload)
    assert ack.payload is None


def test_events_are_deduped_on_event_id_across_envelopes(connected, socket_slack, slack, transactional_crew):
    event = {"type": "app_home_opened", "user": "UAGENT001", "channel": "DHOME0001", "tab": "home", "event_ts": "1.2"}
    payload = event_payload(event, event_id="EvSOCKET001")
    first = _ack(socket_slack, "events_api", payload)
    second = _ack(socket_slack, "events_api", payload)  # Slack's retry: a new envelope, same event
    assert first.payload is None and second.payload is None
    assert len(slack.calls_to("views.publish")) == 1


def test_a_redelivered_envelope_is_handled_once_and_acked_again(connected, socket_slack, transactional_crew):
    envelope_id = socket_slack.send("slash_commands", command_payload("help", "UREQUEST1"))
    first = socket_slack.wait_ack(envelope_id)
    socket_slack.redeliver(envelope_id)
    socket_slack.send("slash_commands", command_payload("help", "UREQUEST1"), envelope_id=envelope_id)
    acks = _wait_acks(socket_slack, envelope_id, 3)
    assert all(ack.payload == first.payload for ack in acks)
    row = SocketEnvelope.objects.get(envelope_id=envelope_id)
    assert row.duplicates == 2 and row.status == EnvelopeStatus.DONE


def _wait_acks(fake, envelope_id, count, timeout=10):
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        acks = fake.acks_for(envelope_id)
        if len(acks) >= count:
            return acks
        time.sleep(0.02)
    raise AssertionError(f"{len(fake.acks_for(envelope_id))} acks of {count}")


MALFORMED_FRAMES = [
    "not json at all",
    "{broken json",
    "[1, 2, 3]",
    '{"type": "slash_commands"}',
    '{"type": "slash_commands", "envelope_id": "e-no-payload", "payload": "text"}',
    '{"type": "interactive", "envelope_id": "e-bad-user", "payload": {"type": "block_actions"}}',
    '{"type": "events_api", "envelope_id": "e-bad-event", "payload": {"type": "event_callback"}}',
    '{"type": "something_new", "envelope_id": "e-new-kind", "payload": {}}',
    b"\x00\xff binary",
]


def test_malformed_frames_are_survived(connected, socket_slack, transactional_crew):
    for frame in MALFORMED_FRAMES:
        socket_slack.send_raw(frame)
        ack = _ack(socket_slack, "slash_commands", command_payload("help", "UREQUEST1"))
        assert ack.payload["response_type"] == "ephemeral", frame
    assert socket_slack.handshakes == 1  # no reconnect, no crash
    # Envelope-shaped ones are acknowledged (so Slack stops sending them), none is kept open.
    assert {ack.envelope_id for ack in socket_slack.acks} >= {"e-no-payload", "e-bad-user", "e-bad-event", "e-new-kind"}
    assert not SocketEnvelope.objects.filter(status=EnvelopeStatus.PROCESSING).exists()


@pytest.mark.parametrize("reason", ["refresh_requested", "warning", "link_disabled"])
def test_disconnect_frames_move_to_a_new_connection(connected, socket_slack, transactional_crew, reason):
    old = socket_slack.wait_links(1)[0]
    socket_slack.disconnect(reason, link=old, close_after=0.5)
    (new,) = socket_slack.wait_links(1, newer_than=old)
    assert socket_slack.opens == 2
    ack = _ack(socket_slack, "slash_commands", command_payload("help", "UREQUEST1"), link=new)
    assert ack.connection == new
    _wait_state(connected.runner, ConnectionState.CONNECTED)
    row = _row_eventually(lambda r: r.last_disconnect_reason == reason)
    assert row.reconnects >= 1


def test_network_loss_and_an_unreachable_slack_are_waited_out(connected, socket_slack, transactional_crew):
    old = socket_slack.wait_links(1)[0]
    socket_slack.open_failures = 2  # apps.connections.open answers 503 twice
    socket_slack.drop(link=old)
    (new,) = socket_slack.wait_links(1, newer_than=old, timeout=20)
    assert socket_slack.opens == 4
    ack = _ack(socket_slack, "slash_commands", command_payload("help", "UREQUEST1"), link=new)
    assert ack.payload["response_type"] == "ephemeral"


def test_disconnect_mid_envelope_loses_nothing_and_does_nothing_twice(
    connected, socket_slack, slack, transactional_crew
):
    old = socket_slack.wait_links(1)[0]
    slack.delay_next("views.open", 0.8)  # the handler is still at work when the link drops
    envelope_id = socket_slack.send("slash_commands", command_payload("create", "UREQUEST1"), link=old)
    socket_slack.drop(link=old)
    (new,) = socket_slack.wait_links(1, newer_than=old, timeout=20)
    socket_slack.redeliver(envelope_id, link=new)  # Slack never got the ack
    ack = socket_slack.wait_ack(envelope_id, timeout=10)
    assert ack.connection == new
    settle()
    assert len(slack.calls_to("views.open")) == 1
    assert SocketEnvelope.objects.get(envelope_id=envelope_id).status == EnvelopeStatus.DONE


def test_two_processes_share_the_work_and_never_double_handle(start_socket, socket_slack, slack, transactional_crew):
    start_socket("socket-a")
    start_socket("socket-b")
    links = socket_slack.wait_links(2)
    event = {"type": "app_home_opened", "user": "UAGENT001", "channel": "DHOME0001", "tab": "home", "event_ts": "1.2"}
    payload = event_payload(event, event_id="EvTWOPROC01")
    # The same envelope on both connections at once: one handles it, the other defers to it.
    envelope_id = socket_slack.send("events_api", payload, link=links[0])
    socket_slack.send("events_api", payload, link=links[1], envelope_id=envelope_id)
    socket_slack.wait_ack(envelope_id)
    ids = [socket_slack.send("slash_commands", command_payload("help", "UREQUEST1")) for _ in range(6)]
    acks = [socket_slack.wait_ack(envelope_id) for envelope_id in ids]
    settle()
    assert {ack.connection for ack in acks} == set(links)
    assert len(slack.calls_to("views.publish")) == 1
    rows = _rows_eventually(2)
    assert {row.name for row in rows} == {"socket-a", "socket-b"}


def _wait_state(runner, state, timeout=10):
    import time

    deadline = time.monotonic() + timeout
    while runner.state() != state:
        assert time.monotonic() < deadline, runner.state()
        time.sleep(0.02)


def _row_eventually(check, timeout=10):
    import time

    deadline = time.monotonic() + timeout
    while True:
        row = SocketConnection.objects.first()
        if row is not None and check(row):
            return row
        assert time.monotonic() < deadline, row and vars(row)
        time.sleep(0.05)


def _rows_eventually(count, timeout=10):
    import time

    deadline = time.monotonic() + timeout
    while True:
        rows = list(SocketConnection.objects.all())
        if len(rows) >= count:
            return rows
        assert time.monotonic() < deadline, rows
        time.sleep(0.05)
