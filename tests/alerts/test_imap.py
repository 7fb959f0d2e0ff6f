"""IMAP polling against a real IMAP4rev1 server on loopback (tests/fakes/imap.py): imaplib
logs in, EXAMINEs the folder, searches and fetches by UID; mails go through the same MIME
pipeline as the SMTP receiver. UID tracking (and a UIDVALIDITY change), SSL/TLS and
STARTTLS, and failures recorded on the source with back-off, shown in the admin."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from alerts.models import AlertGroup, Item, MailSecurity, Source, SourceKind
from integrations.mail.imap import poll_due_mailboxes, poll_mailbox
from tests.fakes.imap import ImapServer, self_signed_cert

from . import mails

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

GCP_ALERT = "[ALERT - Critical] VM CPU 90% on haru-web-1"


@pytest.fixture
def imap():
    with ImapServer(user="alerts@haru.example", password="imap-secret") as server:
        yield server


def mailbox(server, team, **extra):
    return Source.objects.create(
        name="GCP mailbox (IMAP)",
        kind=SourceKind.MAILBOX,
        address="alerts@haru.example",
        owner_team=team["infra"],
        imap_host="127.0.0.1",
        imap_port=server.port,
        imap_security=extra.pop("imap_security", MailSecurity.NONE),
        username="alerts@haru.example",
        secret=extra.pop("secret", "imap-secret"),
        poll_minutes=5,
        **extra,
    )


def test_polls_new_mails_once_by_uid_and_read_only(imap, team):
    source = mailbox(imap, team)
    imap.add(mails.plain(GCP_ALERT, mails.GCP_BODY))
    subject = "[Django] ERROR (EXTERNAL IP): Internal Server Error: /tickets/42/"
    imap.add(mails.plain(subject, mails.DJANGO_BODY + "사용자: 이서연\n", sender="root@haru.example", charset="euc-kr"))
    assert poll_mailbox(source).stored == 2
    source.refresh_from_db()
    assert (source.imap_uidvalidity, source.imap_last_uid, source.failures, source.last_error) == (1000, 2, 0, "")
    assert source.next_fetch_at == source.last_fetched_at + timedelta(minutes=5)
    assert "이서연" in Item.objects.get(title__contains="ValueError").body
    assert AlertGroup.objects.filter(key="django:/tickets/42/:ValueError").exists()

    assert poll_mailbox(source).stored == 0  # nothing new: "UID 3:*" still answers the last mail
    imap.add(mails.plain(GCP_ALERT, mails.GCP_BODY))
    assert poll_mailbox(source).stored == 1
    assert AlertGroup.objects.get(key="gcp:0.nq4b8x2l1k9s").count == 2
    # Read-only and without touching \Seen: EXAMINE and BODY.PEEK, never SELECT or BODY[].
    assert any(c.startswith("EXAMINE") for c in imap.commands) and not any(
        c.startswith("SELECT") for c in imap.commands
    )
    assert all("BODY.PEEK[]" in c for c in imap.commands if c.startswith("UID FETCH"))


def test_a_new_uidvalidity_reads_the_folder_again_without_storing_twice(imap, team):
    source = mailbox(imap, team)
    for n in range(3):
        imap.add(mails.plain(f"[FIRING:1] DiskFull web{n}", "…", message_id=f"<disk{n}@sender.example>"))
    poll_mailbox(source)
    imap.renumber()  # UIDs 1..3 again, under UIDVALIDITY 1001
    imap.add(mails.plain("[FIRING:1] DiskFull web9", "…", message_id="<disk9@sender.example>"))
    assert poll_mailbox(source).stored == 1
    source.refresh_from_db()
    assert (source.imap_uidvalidity, source.imap_last_uid) == (1001, 4)
    assert Item.objects.count() == 4


def test_a_refused_login_is_recorded_and_backs_off(imap, team, client):
    source = mailbox(imap, team, secret="wrong")
    imap.add(mails.plain(GCP_ALERT, mails.GCP_BODY))
    result = poll_mailbox(source)
    assert "refused the login" in result.error and "AUTHENTICATIONFAILED" in result.error
    source.refresh_from_db()
    assert source.failures == 1 and source.next_fetch_at == source.last_fetched_at + timedelta(minutes=5)
    poll_mailbox(source)
    source.refresh_from_db()
    assert source.failures == 2 and source.next_fetch_at == source.last_fetched_at + timedelta(minutes=10)
    assert Item.objects.count() == 0
    assert poll_due_mailboxes()["polled"] == 0  # backing off: not due

    admin = team["agent"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    page = client.get(f"/admin/alerts/source/{source.pk}/change/").content.decode()
    assert "AUTHENTICATIONFAILED" in page and "imap_host" in page

    source.secret = "imap-secret"
    source.next_fetch_at = timezone.now() - timedelta(seconds=1)
    source.save()
    assert poll_due_mailboxes() == {"polled": 1, "stored": 1, "errors": 0}
    source.refresh_from_db()
    assert (source.failures, source.last_error) == (0, "")


def test_a_server_that_is_down_is_recorded(imap, team):
    source = mailbox(imap, team)
    imap.stop()
    result = poll_mailbox(source)
    assert "cannot be reached" in result.error
    source.refresh_from_db()
    assert source.failures == 1 and "cannot be reached" in source.last_error


def test_a_missing_folder_is_recorded(imap, team):
    source = mailbox(imap, team, imap_folder="Alerts")
    assert "cannot be opened" in poll_mailbox(source).error


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    cert, key = self_signed_cert(tmp_path_factory.mktemp("imap-tls"))
    if not cert:
        pytest.skip("needs the openssl command to make a test certificate")
    return cert, key


@pytest.mark.parametrize("security", [MailSecurity.SSL, MailSecurity.STARTTLS])
def test_ssl_and_starttls(security, certificate, team, settings):
    cert, key = certificate
    tls = "ssl" if security == MailSecurity.SSL else "starttls"
    with ImapServer(user="alerts@haru.example", password="imap-secret", tls=tls, certfile=cert, keyfile=key) as server:
        server.add(mails.plain(GCP_ALERT, mails.GCP_BODY))
        source = mailbox(server, team, imap_security=security)
        settings.ALERTS_IMAP_CA_FILE = ""  # the system's authorities do not know this certificate
        assert "secure connection" in poll_mailbox(source).error
        settings.ALERTS_IMAP_CA_FILE = cert
        assert poll_mailbox(source).stored == 1
    if security == MailSecurity.STARTTLS:
        assert "STARTTLS" in server.commands and server.commands.index("STARTTLS") < next(
            i for i, c in enumerate(server.commands) if c.startswith("LOGIN")
        )


def test_the_poller_is_on_the_beat_schedule():
    entries = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"integrations.mail.poll_mailboxes", "alerts.show_held_repeats", "alerts.retry_reply_mails"} <= entries


def test_the_source_page_shows_the_mailbox_health(imap, team, client):
    source = mailbox(imap, team, secret="wrong")
    poll_mailbox(source)
    client.force_login(team["member"])
    page = client.get(f"/alerts/sources/{source.pk}/").content.decode()
    assert f"127.0.0.1:{imap.port}" in page and "refused the login" in page and "1 failure in a row" in page
