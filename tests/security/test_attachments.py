"""H1: attachments are never reachable under /media/, and are stored under random names."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from erp.audit.actor import Actor
from tickets.models import Attachment
from tickets.services import ticket_add_attachments

pytestmark = pytest.mark.django_db

RANDOM_NAME = re.compile(r"^tickets/[0-9a-f]{32}\.txt$")


@pytest.fixture
def payslip(people, new_ticket, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ticket = new_ticket(title="급여 조정 요청", sensitive=True)
    upload = SimpleUploadedFile("payslip.txt", b"SALARY: 99,000,000 KRW", content_type="text/plain")
    ticket_add_attachments(ticket=ticket, files=[upload], by=Actor(user=people["requester"]))
    return ticket, ticket.attachments.get()


def test_stored_name_is_random_and_keeps_only_the_extension(payslip):
    ticket, attachment = payslip
    assert RANDOM_NAME.match(attachment.file.name), attachment.file.name
    assert "payslip" not in attachment.file.name and attachment.original_name == "payslip.txt"


@pytest.mark.parametrize("who", [None, "requester", "agent", "admin"])
def test_media_urls_are_not_served_to_anyone(client, people, payslip, who):
    ticket, attachment = payslip
    if who:
        client.force_login(people[who])
    for url in (
        f"/media/{attachment.file.name}",
        "/media/tickets/2026/12/payslip.txt",
        f"/media/../{attachment.file.name}",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"SALARY" not in response.content


def test_only_people_who_may_read_the_ticket_download(client, people, payslip):
    ticket, attachment = payslip
    url = reverse("tickets:attachment", args=[ticket.number, attachment.pk])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(people["colleague"])
    assert client.get(url).status_code == 404
    client.force_login(people["requester"])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"SALARY: 99,000,000 KRW"
    assert 'filename="payslip.txt"' in response["Content-Disposition"]


def test_error_pages_are_branded_and_show_nothing_of_the_server(client, people):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "error-page" in body and "haru.css" in body
    for leak in ("Traceback", "DATABASE_URL", "SECRET", "Django", "urlpatterns"):
        assert leak not in body


@pytest.mark.django_db(transaction=True)
def test_migration_moves_existing_files_to_random_names(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    executor = MigrationExecutor(connection)
    try:
        executor.migrate([("tickets", "0008_ticket_watchers")])
        apps = executor.loader.project_state([("tickets", "0008_ticket_watchers")]).apps
        User = apps.get_model("auth", "User")
        Ticket = apps.get_model("tickets", "Ticket")
        OldAttachment = apps.get_model("tickets", "Attachment")
        user = User.objects.create(username="uploader")
        ticket = Ticket.objects.create(number="SR-1", title="급여", requester=user)
        (tmp_path / "tickets/2026/12").mkdir(parents=True)
        (tmp_path / "tickets/2026/12/payslip.txt").write_bytes(b"SALARY")
        OldAttachment.objects.create(
            ticket=ticket, file="tickets/2026/12/payslip.txt", original_name="payslip.txt", size=6
        )
        OldAttachment.objects.create(ticket=ticket, file="tickets/2026/12/gone.txt", original_name="gone.txt", size=1)

        executor = MigrationExecutor(connection)
        executor.migrate([("tickets", "0009_attachment_random_names")])
        moved = Attachment.objects.get(original_name="payslip.txt")
        assert RANDOM_NAME.match(moved.file.name) and moved.file.read() == b"SALARY"
        assert not (tmp_path / "tickets/2026/12/payslip.txt").exists()
        assert Attachment.objects.get(original_name="gone.txt").file.name == "tickets/2026/12/gone.txt"
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
