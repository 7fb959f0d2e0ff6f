"""Every parser, attacked with generated input (hypothesis): no exception but its documented one.

| surface | entry point | documented outcome for bad input |
|---|---|---|
| slash command text | signed POST /slack/commands (/fs, /attendance, /room, /haru-search) | 200 + ephemeral reply |
| device JSON | POST /api/attendance/punches with a device token; ``parse_item`` | 4xx; (None, error) |
| device CSV | ``attendance.csv_import.items_from_csv`` | ``CSVImportError`` |
| coupon CSV / XLSX import | ``coupons.importing.reading.open_table`` (+ its rows) | ``FileRefused`` |
| MIME (alert mail) | ``alerts.shapes.mail.read_mail`` + ``alert_from_mail`` | never raises |
| ICS (meetings) | ``meetings.ics_import.events_from_ics`` | ``ValidationError`` |
| feed XML (alerts) | ``integrations.feeds.fetch.parse`` | never raises (FeedFetch.error) |
| inquiry intake | POST /api/inquiries/submit/<site>/ (JSON, form, any type) | 2xx / 4xx |

Each test counts the inputs it tried (``TRIED``); the module writes the counts to
``$HARU_PARSER_REPORT`` (or prints them with ``-s``) for the issue's attack report.
"""

import io
import json
import os
import string
from collections import Counter
from datetime import datetime, timedelta
from email.message import EmailMessage

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from alerts.shapes.mail import alert_from_mail, read_mail
from attendance.csv_import import CSVImportError, items_from_csv
from attendance.services.ingest import parse_item
from coupons.importing.reading import FileRefused, open_table
from erp.workcalendar.calendar import KST
from integrations.feeds.fetch import parse as parse_feed
from meetings.ics_import import events_from_ics

pytestmark = pytest.mark.django_db

TRIED: Counter = Counter()
SERVER_ERRORS: Counter = Counter()
UNMASKED: Counter = Counter()
PHONE = "010-1234-5678"

SLOW = hypothesis_settings(
    deadline=None,
    max_examples=int(os.environ.get("HARU_PARSER_EXAMPLES_HTTP", 150)),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
FAST = hypothesis_settings(
    deadline=None,
    max_examples=int(os.environ.get("HARU_PARSER_EXAMPLES", 400)),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module", autouse=True)
def report():
    yield
    counts = {"tried": dict(sorted(TRIED.items())), "server_errors": dict(SERVER_ERRORS), "unmasked": dict(UNMASKED)}
    path = os.environ.get("HARU_PARSER_REPORT")
    if path:
        with open(path, "w", encoding="utf-8") as out:
            json.dump(counts, out, ensure_ascii=False, indent=2)
    print("\nparser inputs tried:", json.dumps(counts, ensure_ascii=False))


def _served(surface: str, response) -> None:
    """Count one HTTP attempt; a 5xx fails the test (and is counted for the report)."""
    TRIED[surface] += 1
    if response.status_code >= 500:
        SERVER_ERRORS[surface] += 1
        raise AssertionError(f"{surface}: {response.status_code} {response.content[:300]!r}")


# --- building blocks -----------------------------------------------------------------------

# Text a person (or an attacker) types: Korean, full-width, control and Slack markup.
WORDS = st.sampled_from(
    [
        "new", "list", "mine", "show", "assign", "close", "comment", "status", "escalate", "oncall", "help",
        "report", "출근", "퇴근", "현황", "재택", "외근", "today", "tomorrow", "free", "book", "cancel", "내일",
        "SR-1", "INC-99999999999", "#3", "#-1", "10:00", "25:61", "9시", "14:30-15:00", "2026-02-30", "12/31",
        "<@UAGENT001>", "<#C123|general>", "<!here>", "<!subteam^S1>", "<https://x.example|클릭>", "&amp;",
        "010-1234-5678", "９９", "\u0000", "\u202e", "🚨", "'", '"', "\\", "%s", "{0}", "$(id)", "-" * 300,
    ]
)  # fmt: skip
COMMAND_TEXT = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(WORDS, st.text(max_size=12)), max_size=12).map(" ".join),
)
JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
)
JSON = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner, max_size=5),
    max_leaves=20,
)
TIMESTAMPS = st.one_of(
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(KST)).map(
        lambda moment: moment.isoformat()
    ),
    st.sampled_from(["2026-11-20T09:02:11+09:00", "2026-11-20 09:02", "20261120090211", "1796152170", "+099999-01-01"]),
    st.text(max_size=30),
    st.integers(),
)
PUNCH = st.fixed_dictionaries(
    {},
    optional={
        "event_id": st.one_of(st.text(max_size=120), st.integers(), JSON),
        "employee": st.one_of(st.sampled_from(["H1002", "H1003", ""]), st.text(max_size=80), JSON),
        "timestamp": st.one_of(TIMESTAMPS, JSON),
        "direction": st.one_of(st.sampled_from(["in", "out", None, "IN", "출근", ""]), JSON),
        "extra": JSON,
    },
)


# --- slash command text --------------------------------------------------------------------


@SLOW
@given(
    command=st.sampled_from(
        ["SLACK_TICKET_COMMAND", "SLACK_ATTENDANCE_COMMAND", "SLACK_ROOM_COMMAND", "SLACK_SEARCH_COMMAND"]
    ),
    text=COMMAND_TEXT,
    user=st.sampled_from(["UAGENT001", "UREQUEST1", "UMANAGER1", "UADMIN001", "UNOBODY99"]),
)
def test_slash_command_text_never_5xx(post, crew, caplog, command, text, user):
    caplog.clear()
    response = post.command(text, user, command=getattr(settings, command))
    _served("slash command text", response)
    assert response.status_code == 200
    # The phone number among the generated words is never echoed or logged unmasked.
    seen = response.content.decode("utf-8", errors="replace") + " ".join(r.getMessage() for r in caplog.records)
    if PHONE in seen:
        UNMASKED["slash command text"] += 1
        raise AssertionError(f"unmasked phone number in the answer or a log line: {seen[:300]!r}")
    if response.content:
        assert response.json().get("response_type", "ephemeral") in ("ephemeral", "in_channel")


# --- device JSON and CSV -------------------------------------------------------------------


@FAST
@given(item=st.one_of(PUNCH, JSON))
def test_a_device_punch_item_is_parsed_or_refused(item):
    TRIED["device JSON (parse_item)"] += 1
    parsed, error = parse_item(0, item, now=datetime(2026, 12, 2, 10, tzinfo=KST), naive_means_kst=True)
    assert (parsed is None) != (error is None)


@SLOW
@given(
    body=st.one_of(
        st.fixed_dictionaries({"punches": st.lists(st.one_of(PUNCH, JSON), max_size=8)}, optional={"device_id": JSON}),
        JSON,
    ),
    raw=st.one_of(st.none(), st.binary(max_size=200)),
)
def test_the_device_webhook_never_5xx(device_token, alice, body, raw):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Device {device_token}")
    cache.clear()  # the webhook's throttle must not hide the parser
    if raw is None:
        response = client.post("/api/attendance/punches", body, format="json")
    else:
        response = client.post("/api/attendance/punches", raw, content_type="application/json")
    _served("device JSON (webhook)", response)
    assert response.status_code in (200, 400, 413, 415)


CSV_HEADERS = st.lists(
    st.sampled_from(["사번", "employee", "일시", "timestamp", "구분", "direction", "event_id", "번호", "메모", ""]),
    min_size=1,
    max_size=6,
)


@FAST
@given(
    data=st.one_of(
        st.binary(max_size=600),
        st.tuples(
            CSV_HEADERS,
            st.lists(st.lists(st.one_of(st.text(max_size=25), TIMESTAMPS.map(str)), max_size=7), max_size=12),
            st.sampled_from([",", ";", "\t"]),
            st.sampled_from(["utf-8", "utf-8-sig", "cp949"]),
        ).map(
            lambda t: (
                t[2].join(t[0]) + "\n" + "\n".join(t[2].join(cell.replace("\n", " ") for cell in row) for row in t[1])
            ).encode(t[3], errors="replace")
        ),
    )
)
def test_a_device_csv_is_read_or_refused_with_csv_import_error(data):
    TRIED["device CSV"] += 1
    try:
        items = items_from_csv(data)
    except CSVImportError:
        return
    for index, item in enumerate(items):
        parse_item(index, item, now=datetime(2026, 12, 2, 10, tzinfo=KST), naive_means_kst=True)


# --- coupon imports (CSV / XLSX) -----------------------------------------------------------


def _rows(table) -> None:
    for _number, _cells, _errors in table.rows:
        pass


@FAST
@given(
    data=st.one_of(
        st.binary(max_size=800),
        st.binary(max_size=400).map(lambda tail: b"PK\x03\x04" + tail),  # looks like a zip
        st.lists(st.lists(st.text(max_size=20), max_size=6), max_size=10).map(
            lambda rows: "\n".join(",".join(row) for row in rows).encode("cp949", errors="replace")
        ),
    ),
    filename=st.sampled_from(["send.csv", "send.xlsx", "SEND.XLSX", "send.txt", ""]),
)
def test_a_coupon_file_is_read_or_refused_with_file_refused(data, filename):
    TRIED["coupon CSV/XLSX bytes"] += 1
    try:
        _rows(open_table(io.BytesIO(data), filename))
    except FileRefused:
        pass


XLSX_CELLS = st.one_of(
    st.none(),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30),
    st.sampled_from(["=1+1", "=SUM(A1:A3)", "010-1234-5678", "2026-13-45", "🎁"]),
    st.datetimes(min_value=datetime(1901, 1, 1), max_value=datetime(2099, 12, 31)),
)


@hypothesis_settings(
    deadline=None,
    max_examples=int(os.environ.get("HARU_PARSER_EXAMPLES_XLSX", 120)),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(rows=st.lists(st.lists(XLSX_CELLS, max_size=6), max_size=8), cut=st.one_of(st.none(), st.integers(10, 3000)))
def test_a_generated_workbook_is_read_or_refused(rows, cut):
    from openpyxl import Workbook

    TRIED["coupon XLSX workbooks"] += 1
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue() if cut is None else buffer.getvalue()[:cut]  # whole, or truncated
    try:
        _rows(open_table(io.BytesIO(data), "send.xlsx"))
    except FileRefused:
        pass


# --- MIME (alert mail) ---------------------------------------------------------------------

HEADER_TEXT = st.text(alphabet=st.characters(blacklist_characters="\r\n", blacklist_categories=("Cs",)), max_size=60)


def _message(subject, sender, date, body, html, charset, attach) -> bytes:
    """A mail built with the email package from generated parts (what a real sender writes);
    parts the package itself refuses to build are left out: the input is about the reader."""
    message = EmailMessage()
    for name, value in (("Subject", subject), ("From", sender), ("Date", date), ("Message-ID", f"<{subject[:10]}@x>")):
        try:
            message[name] = value
        except Exception:
            pass
    try:
        message.set_content(body, charset=charset) if charset == "utf-8" else message.set_content(body)
        if html:
            message.add_alternative(f"<p>{body}</p><script>x</script>", subtype="html")
        if attach:
            message.add_attachment(attach, maintype="application", subtype="octet-stream", filename="a.bin")
        return message.as_bytes()
    except Exception:
        return b"Subject: " + subject.encode("utf-8", errors="replace") + b"\r\n\r\n" + body.encode("utf-8", "replace")


MAILS = st.one_of(
    st.binary(max_size=800),
    st.builds(
        _message,
        HEADER_TEXT,
        st.one_of(HEADER_TEXT, st.emails().map(str)),
        st.one_of(HEADER_TEXT, st.sampled_from(["Tue, 1 Dec 2026 09:00:00 +0900", "31 Feb 2026", "Mon, 99 Xyz 99999"])),
        st.text(max_size=300),
        st.booleans(),
        st.sampled_from(["utf-8", "euc-kr"]),
        st.one_of(st.none(), st.binary(max_size=50)),
    ),
    st.text(max_size=600).map(lambda t: ("Subject: [ALERT - Critical] " + t).encode("utf-8", errors="replace")),
)


@FAST
@given(raw=MAILS)
def test_any_mail_is_read_and_shaped_without_an_exception(raw):
    TRIED["MIME (alert mail)"] += 1
    mail = read_mail(raw)
    alert_from_mail(mail)


# --- ICS (meetings) ------------------------------------------------------------------------

ICS_VALUES = st.one_of(
    st.sampled_from(
        [
            "20261201T090000", "20261201T090000Z", "20261201", "TZID=Asia/Seoul:20261201T090000", "99991399T999999",
            "FREQ=DAILY;COUNT=3", "FREQ=WEEKLY;BYDAY=MO,XX", "FREQ=SECONDLY", "FREQ=YEARLY;UNTIL=1900", "P1D",
            "-P1W", "PT99999H", "", ";;;", "CANCELLED",
        ]
    ),
    st.text(alphabet=string.printable.replace("\r", "").replace("\n", ""), max_size=40),
)  # fmt: skip
ICS_PROPERTIES = st.sampled_from(
    [
        "DTSTART",
        "DTEND",
        "DTSTART;VALUE=DATE",
        "DURATION",
        "RRULE",
        "EXDATE",
        "RECURRENCE-ID",
        "SUMMARY",
        "UID",
        "STATUS",
    ]
)


def _calendar(events) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//haru//test//KO"]
    for properties in events:
        lines.append("BEGIN:VEVENT")
        lines += [f"{name}:{value}" for name, value in properties]
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines).encode("utf-8", errors="replace")


ICS = st.one_of(
    st.binary(max_size=500),
    st.text(max_size=400).map(lambda t: f"BEGIN:VCALENDAR\r\n{t}\r\nEND:VCALENDAR".encode("utf-8", errors="replace")),
    st.lists(st.lists(st.tuples(ICS_PROPERTIES, ICS_VALUES), max_size=8), max_size=4).map(_calendar),
)


@FAST
@given(data=ICS)
def test_any_calendar_is_read_or_refused_with_validation_error(data):
    TRIED["ICS (meetings)"] += 1
    start = datetime(2026, 11, 1, tzinfo=KST)
    try:
        events_from_ics(data, start=start, end=start + timedelta(days=60))
    except ValidationError:
        pass


# --- feed XML (alerts) ---------------------------------------------------------------------

XML_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80)


def _feed(kind, title, items) -> bytes:
    if kind == "rss":
        body = "".join(
            f"<item><title>{t}</title><link>{link}</link><guid>{guid}</guid><pubDate>{date}</pubDate>"
            f"<description>{text}</description></item>"
            for t, link, guid, date, text in items
        )
        return f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>{body}</channel></rss>'.encode(
            "utf-8", errors="replace"
        )
    body = "".join(
        f"<entry><title>{t}</title><link href='{link}'/><id>{guid}</id><updated>{date}</updated>"
        f"<content type='html'>{text}</content></entry>"
        for t, link, guid, date, text in items
    )
    return f"<feed xmlns='http://www.w3.org/2005/Atom'><title>{title}</title>{body}</feed>".encode(
        "utf-8", errors="replace"
    )


FEEDS = st.one_of(
    st.binary(max_size=600),
    st.builds(
        _feed,
        st.sampled_from(["rss", "atom"]),
        XML_TEXT,
        st.lists(st.tuples(XML_TEXT, XML_TEXT, XML_TEXT, XML_TEXT, XML_TEXT), max_size=4),
    ),
    st.sampled_from(
        [
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><rss>&b;</rss>',
            b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel>&x;</channel></rss>',
            b"<html><body>not a feed</body></html>",
        ]
    ),
)


@FAST
@given(body=FEEDS, content_type=st.sampled_from(["", "application/rss+xml", "text/html; charset=euc-kr", "x/\x00"]))
def test_any_feed_body_is_parsed_or_reported_without_an_exception(body, content_type):
    TRIED["feed XML (alerts)"] += 1
    fetched = parse_feed(body, content_type)
    assert fetched.error or isinstance(fetched.entries, list)
    assert "root:" not in str(fetched.entries)  # no external entity was resolved


# --- inquiry intake ------------------------------------------------------------------------

INQUIRY_FIELDS = st.fixed_dictionaries(
    {},
    optional={
        name: st.one_of(JSON_SCALARS, JSON, st.text(max_size=3000))
        for name in ("name", "company", "email", "phone", "subject", "message", "category", "consent", "utm_source",
                     "referrer", "landing_page", "website", "language", "submission_id")
    },
)  # fmt: skip


@pytest.fixture
def intake_site(db):
    from inquiries.models import Site

    return Site.objects.create(key="haru-main", name="하루 홈페이지", allowed_origins="https://www.haru.example")


@SLOW
@given(
    body=st.one_of(
        INQUIRY_FIELDS.map(lambda d: ("application/json", json.dumps(d, ensure_ascii=False).encode())),
        JSON.map(lambda d: ("application/json", json.dumps(d).encode())),
        st.binary(max_size=400).map(lambda b: ("application/x-www-form-urlencoded", b)),
        st.binary(max_size=300).map(lambda b: ("application/json", b)),
        st.tuples(st.sampled_from(["text/plain", "multipart/form-data; boundary=x", "application/xml", ""]),
                  st.binary(max_size=200)),
    ),
    origin=st.sampled_from([None, "https://www.haru.example", "https://evil.example", "null"]),
)  # fmt: skip
def test_the_inquiry_intake_never_5xx(client, intake_site, settings, body, origin):
    settings.INQUIRIES_RATE_PER_IP = "1000000/m"
    settings.INQUIRIES_RATE_PER_EMAIL = "1000000/h"
    cache.clear()
    content_type, data = body
    headers = {"HTTP_ORIGIN": origin} if origin else {}
    response = client.post("/api/inquiries/submit/haru-main/", data=data, content_type=content_type, **headers)
    _served("inquiry intake", response)
    assert response.status_code < 500
