"""Message shortcut → ticket: the message's files become ticket attachments, fetched by the
worker (files.info + url_private_download with the bot token over real loopback HTTP), never on
the 3-second ack path, and a file that cannot be attached never fails the ticket."""

import json

from erp.audit.models import AuditEvent
from integrations.slack.core.models import DeliveryStatus, MessageRef, SlackMessage
from integrations.slack.tickets.files import SOURCE_FILES, _slack_host
from tests.fakes.slack_api.server import DOWNLOAD
from tests.fakes.slack_signing import message_action_payload, static_select, view_submission_payload
from tests.integrations.slack.conftest import drain
from tickets.models import Attachment, Comment, Ticket

from .conftest import opened_views


def _values(title="프린터 오류"):
    return {
        "title": {"value": title},
        "description": {"value": "메시지에서 만든 티켓"},
        "ticket_type": {"value": static_select("incident")},
        "impact": {"value": static_select("medium")},
        "urgency": {"value": static_select("medium")},
    }


def _shortcut_with(post, files, user_id="UREQUEST1"):
    payload = message_action_payload("tickets.create_from_message", "프린터가 안 됩니다", user_id=user_id)
    payload["message"]["files"] = files
    post.interaction(payload)
    (view,) = opened_views(post.slack)
    return view


def _create(post, files, user_id="UREQUEST1"):
    view = _shortcut_with(post, files, user_id)
    calls_before = len(post.slack.calls)
    post.interaction(view_submission_payload("tickets.create", _values(), view["private_metadata"], user_id))
    # The submission's ack path made no file call: only the worker does.
    assert not [c for c in post.slack.calls[calls_before:] if c.method in ("files.info", DOWNLOAD)]
    return Ticket.objects.get()


def test_the_messages_files_become_attachments(post, crew, settings):
    png = post.slack.add_file("화면.png", b"\x89PNG fake image", "image/png")
    log = post.slack.add_file("error.log", "연결 실패\n".encode(), "text/plain")
    ticket = _create(post, [png, log])
    assert json.loads(opened_views(post.slack)[0]["private_metadata"])["files"] == [png["id"], log["id"]]
    drain()
    stored = {a.original_name: a for a in Attachment.objects.filter(ticket=ticket)}
    assert set(stored) == {"화면.png", "error.log"}
    assert stored["화면.png"].file.read() == b"\x89PNG fake image"
    assert stored["화면.png"].uploaded_by == crew["requester"]
    # Random storage names, not the Slack name.
    assert "화면" not in stored["화면.png"].file.name
    downloads = post.slack.calls_to(DOWNLOAD)
    assert len(downloads) == 2
    assert all(c.headers["authorization"] == f"Bearer {settings.SLACK_BOT_TOKEN}" for c in downloads)
    assert [c.args["file"] for c in post.slack.calls_to("files.info")] == [png["id"], log["id"]]
    assert AuditEvent.objects.filter(action="attached", object_id=str(ticket.pk)).count() == 2
    row = SlackMessage.objects.get(operation=SOURCE_FILES)
    assert row.status == DeliveryStatus.SENT
    assert not MessageRef.objects.filter(message_key=row.message_key).exists()  # it posted nothing
    assert not Comment.objects.filter(ticket=ticket).exists()  # nothing went wrong to report


def test_the_requester_downloads_them_through_the_permission_checked_view(post, crew, client):
    png = post.slack.add_file("화면.png", b"\x89PNG fake image", "image/png")
    ticket = _create(post, [png])
    drain()
    attachment = Attachment.objects.get(ticket=ticket)
    url = f"/tickets/{ticket.number}/attachments/{attachment.pk}/"
    client.force_login(crew["requester"])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"\x89PNG fake image"
    client.force_login(crew["colleague"])
    assert client.get(url).status_code == 404


def test_deleted_too_large_and_refused_files_become_one_internal_note(post, crew, settings):
    settings.TICKETS_MAX_ATTACHMENT_BYTES = 1000
    settings.LANGUAGE_CODE = "ko"  # the note is written in the company language
    good = post.slack.add_file("ok.txt", b"fine", "text/plain")
    deleted = post.slack.add_file("gone.pdf", b"%PDF", "application/pdf")
    large = post.slack.add_file("big.zip", b"x" * 2000, "application/zip")
    lying = post.slack.add_file("small.csv", b"y" * 5000, "text/csv", size=10)  # Slack's size was wrong
    exe = post.slack.add_file("setup.exe", b"MZ", "application/octet-stream")
    ticket = _create(post, [good, deleted, large, lying, exe])
    post.slack.delete_file(deleted["id"])
    drain()
    assert list(Attachment.objects.filter(ticket=ticket).values_list("original_name", flat=True)) == ["ok.txt"]
    (note,) = Comment.objects.filter(ticket=ticket)
    assert note.internal and note.author is None
    assert note.body.startswith("Slack 메시지의 파일 중 일부를 첨부하지 못했습니다:")
    assert f"메시지의 파일({deleted['id']})이 Slack에서 삭제되었습니다." in note.body
    assert "big.zip" in note.body and "small.csv" in note.body and "setup.exe" in note.body
    # Neither the too-large nor the refused type was downloaded.
    assert len(post.slack.calls_to(DOWNLOAD)) == 2
    assert SlackMessage.objects.get(operation=SOURCE_FILES).status == DeliveryStatus.SENT


def test_a_slack_outage_retries_without_fetching_a_file_twice(post, crew):
    first = post.slack.add_file("a.txt", b"a", "text/plain")
    second = post.slack.add_file("b.txt", b"b", "text/plain")
    ticket = _create(post, [first, second])
    post.slack.server_error_next(DOWNLOAD, status=503, channel=second["id"])  # Slack's edge, mid-way
    drain(rounds=1)
    row = SlackMessage.objects.get(operation=SOURCE_FILES)
    assert row.status == DeliveryStatus.PENDING and row.attempts == 1
    assert list(Attachment.objects.filter(ticket=ticket).values_list("original_name", flat=True)) == ["a.txt"]
    drain()
    assert sorted(Attachment.objects.filter(ticket=ticket).values_list("original_name", flat=True)) == [
        "a.txt",
        "b.txt",
    ]
    assert [c.args["file"] for c in post.slack.calls_to(DOWNLOAD)] == [first["id"], second["id"], second["id"]]
    assert SlackMessage.objects.get(pk=row.pk).status == DeliveryStatus.SENT


def test_the_bot_token_only_goes_to_slacks_hosts(settings):
    settings.SLACK_API_BASE_URL = "https://slack.com/api/"
    assert _slack_host("https://files.slack.com/files-pri/T1-F1/download/a.png")
    assert not _slack_host("http://files.slack.com/files-pri/T1-F1/download/a.png")
    assert not _slack_host("https://files.slack.com.evil.example/x")
    assert not _slack_host("https://169.254.169.254/latest/meta-data")
    assert not _slack_host("")


def test_tombstones_and_junk_in_the_payload_are_ignored(post, crew):
    view = _shortcut_with(post, [{"id": "F1", "mode": "tombstone"}, "F2", {"id": 3}])
    assert "files" not in json.loads(view["private_metadata"])


def test_the_manifest_asks_for_files_read():
    from integrations.slack.core.modules import bot_scopes

    assert "files:read" in {scope.name for scope in bot_scopes()}
