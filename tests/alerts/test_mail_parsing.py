"""MIME decoding and the known alert-mail shapes (pure: no server, no database)."""

import pytest

from alerts.shapes.mail import alert_from_mail, normalised_subject, read_mail

from . import mails


@pytest.mark.parametrize("charset", ["utf-8", "euc-kr", "iso-2022-kr"])
def test_korean_charsets_and_encoded_word_subjects(charset):
    mail = read_mail(mails.plain("[장애] 결제 서버 응답 지연", "결제 API 응답이 5초를 넘었습니다.", charset=charset))
    assert mail.subject == "[장애] 결제 서버 응답 지연"
    assert "결제 API 응답이 5초를 넘었습니다." in mail.text


def test_cp949_labelled_euc_kr_is_read():
    raw = mails.plain("똠방각하", "똠방각하 뷁", charset="utf-8").replace(b"utf-8", b"euc-kr")
    raw = raw.split(b"\n\n", 1)[0] + b"\n\n" + "똠방각하 뷁".encode("cp949")
    assert read_mail(raw).text.strip() == "똠방각하 뷁"


def test_html_only_mail_becomes_text():
    mail = read_mail(mails.html_only("Disk", "<html><body><p>디스크 <b>95%</b></p><p>web1</p></body></html>"))
    assert mail.html and mail.text == "디스크 95%\nweb1"


def test_attachments_are_listed_not_read_as_text():
    mail = read_mail(mails.with_attachment("로그", "본문입니다", size=4096))
    assert mail.text.strip() == "본문입니다"
    assert [(a.filename, a.size) for a in mail.attachments] == [("로그.txt", 4096)]


def test_alternative_prefers_the_plain_part():
    mail = read_mail(mails.alternative("x", "plain text", "<p>html</p>"))
    assert mail.text.strip() == "plain text" and not mail.html


def test_folded_long_subject():
    subject = "[Django] ERROR (EXTERNAL IP): Internal Server Error: /very/long/path/" + "segment/" * 12
    mail = read_mail(mails.plain(subject, mails.DJANGO_BODY, sender="root@haru.example"))
    assert mail.subject == subject


def test_google_cloud_alert_and_recovery_share_the_incident():
    alert = alert_from_mail(read_mail(mails.plain("[ALERT - Critical] VM CPU 90% on haru-web-1", mails.GCP_BODY)))
    recovery = alert_from_mail(read_mail(mails.plain("[RESOLVED - Critical] VM CPU 90% on haru-web-1", mails.GCP_BODY)))
    assert alert.key == recovery.key == "gcp:0.nq4b8x2l1k9s"
    assert (alert.resolved, recovery.resolved, alert.severity) == (False, True, "critical")
    assert alert.url.startswith("https://console.cloud.google.com/monitoring/alerting/incidents/")


def test_django_error_mail_groups_by_path_and_exception():
    subject = "[Django] ERROR (EXTERNAL IP): Internal Server Error: /tickets/42/"
    alert = alert_from_mail(read_mail(mails.plain(subject, mails.DJANGO_BODY, sender="root@haru.example")))
    assert alert.key == "django:/tickets/42/:ValueError"
    assert alert.title == "/tickets/42/ · ValueError"


def test_sentry_and_alertmanager_subjects():
    sentry = alert_from_mail(read_mail(mails.plain("[Sentry] HARU-ERP-1A2 - ValueError: bad ticket", "…")))
    assert sentry.key == "sentry:HARU-ERP-1A2"
    firing = alert_from_mail(read_mail(mails.plain("[FIRING:2] DiskFull (web1 critical)", "…")))
    resolved = alert_from_mail(read_mail(mails.plain("[RESOLVED] DiskFull (web1 critical)", "…")))
    assert firing.key == resolved.key and resolved.resolved and not firing.resolved


def test_subject_normalisation_masks_numbers_and_reply_prefixes():
    assert normalised_subject("Re: 회신: Backup 17 failed on db-3 (0x3f2a91)") == "backup # failed on db-# (#)"


def test_raw_eight_bit_headers_and_encoded_names_are_read():
    # Some senders put raw UTF-8 or CP949 in headers instead of encoded words.
    raw = "Subject: 디스크 경고\nFrom: 김서연 <k@haru.example>\nTo: a@haru.example\n\n본문".encode()
    assert read_mail(raw).subject == "디스크 경고"
    assert read_mail(raw.replace("디스크 경고".encode(), "디스크 경고".encode("cp949"))).subject == "디스크 경고"
    # A decoded display name holding a comma does not split the address.
    raw = b"Subject: x\nFrom: =?utf-8?b?6rmALCDshJzsl7A=?= <seoyeon@haru.example>\n\nx"
    mail = read_mail(raw)
    assert (mail.from_name, mail.from_address) == ("김, 서연", "seoyeon@haru.example")
