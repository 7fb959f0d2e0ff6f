"""Attachments on a full disk: 507 with a message, the ticket not half-created, the old data intact.

MEDIA_ROOT is a 1 MiB tmpfs (tests/diskfull.py) filled up before the upload; without
mount rights the write failure is injected where Django's file storage writes.
"""

import errno

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from tests.diskfull import small_disk
from tickets.models import Attachment, Ticket


@pytest.fixture
def full_media(tmp_path, settings, monkeypatch):
    with small_disk(tmp_path) as disk:
        settings.MEDIA_ROOT = str(disk.path / "media")
        settings.HARU_MIN_FREE_BYTES = 64 * 1024
        (disk.path / "media").mkdir()

        def fill():
            if disk.real:
                disk.fill()
            else:

                def no_space(self, name, content):
                    raise OSError(errno.ENOSPC, "No space left on device", name)

                monkeypatch.setattr(FileSystemStorage, "_save", no_space)
                settings.HARU_MIN_FREE_BYTES = 1 << 60

        disk.fill_up = fill
        yield disk


def _form(infra, **extra):
    return {
        "title": "디스크 가득 참 확인",
        "description": "첨부와 함께 접수",
        "ticket_type": "incident",
        "impact": "medium",
        "urgency": "high",
        "group": infra.pk,
        **extra,
    }


def _log_file(size: int = 200 * 1024) -> SimpleUploadedFile:
    return SimpleUploadedFile("server.log", b"x" * size, content_type="text/plain")


def test_web_upload_on_a_full_disk_is_refused_with_507_and_nothing_half_saved(
    client, people, infra, new_ticket, full_media
):
    earlier = new_ticket(attachments=[SimpleUploadedFile("before.txt", "먼저 올린 파일".encode())])
    full_media.fill_up()
    client.force_login(people["requester"])

    response = client.post(
        reverse("tickets:create"), _form(infra, attachments=[_log_file()]), HTTP_ACCEPT_LANGUAGE="ko"
    )

    assert response.status_code == 507
    page = response.content.decode()
    assert "저장 공간이 부족" in page and "저장되지 않았습니다" in page
    # The service's transaction rolled back: no ticket without its file, no orphan row.
    assert list(Ticket.objects.values_list("pk", flat=True)) == [earlier.pk]
    assert Attachment.objects.count() == 1
    # What was accepted before is still there and readable.
    download = client.get(reverse("tickets:attachment", args=[earlier.number, earlier.attachments.get().pk]))
    assert b"".join(download.streaming_content) == "먼저 올린 파일".encode()


def test_api_upload_on_a_full_disk_answers_json_507(people, infra, full_media):
    full_media.fill_up()
    api = APIClient()
    api.force_authenticate(people["requester"])
    response = api.post("/api/tickets/", _form(infra, attachments=[_log_file()]), format="multipart")
    assert response.status_code == 507
    assert response.json()["code"] == "insufficient_storage" and response.json()["message"]
    assert not Ticket.objects.exists()


def test_health_reports_the_full_disk(client, people, full_media, django_user_model):
    staff = django_user_model.objects.create_user("ops", "ops@haru.example", "pw", is_staff=True)
    assert client.get("/healthz").json()["status"] == "ok"
    full_media.fill_up()
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json() == {"status": "degraded"}
    client.force_login(staff)
    detail = client.get("/healthz").json()
    assert detail["disk"]["ok"] is False and "uploads" in detail["disk"]["error"]


def test_a_file_that_does_not_fit_is_refused_while_smaller_ones_still_go_in(client, people, infra, full_media):
    """Half a megabyte left: a 2 MB log fails mid-write (507), the next small upload succeeds."""
    if not full_media.real:
        pytest.skip("needs a real small file system (mount -t tmpfs); the injected error cannot be partial")
    full_media.fill(leave=512 * 1024)
    client.force_login(people["requester"])
    too_big = client.post(reverse("tickets:create"), _form(infra, attachments=[_log_file(2 * 1024 * 1024)]))
    assert too_big.status_code == 507 and not Ticket.objects.exists()
    small = client.post(reverse("tickets:create"), _form(infra, attachments=[_log_file(16 * 1024)]))
    assert small.status_code == 302
    assert Ticket.objects.get().attachments.get().size == 16 * 1024
