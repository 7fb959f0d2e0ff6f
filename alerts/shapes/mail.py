"""E-mail → facts, with the standard library's email package (PLATFORMS.md §4).

``read_mail(raw)`` decodes what any mail client may send: multipart/alternative and mixed,
HTML-only mail (turned into text), attachments (named and sized, never stored here), Korean
charsets (UTF-8, EUC-KR / CP949, ISO-2022-KR) and RFC 2047 encoded-word subjects, including
folded ones. A part whose declared charset lies is decoded leniently rather than refused.

``alert_from_mail(mail)`` recognises known alert mails and says how they group:

* Google Cloud: ``[ALERT - Critical] <policy> on <resource>`` / ``[RESOLVED - …] …``: the
  incident id from the "VIEW INCIDENT" link, else the subject without its tag;
* Django AdminEmailHandler: ``[Django] ERROR (EXTERNAL IP): Internal Server Error: /path``:
  path + exception type (the traceback's last line);
* Sentry: ``[Sentry] HARU-ERP-1A2 - ValueError: …``: the short id;
* Alertmanager: ``[FIRING:2] DiskFull (web1 critical)`` / ``[RESOLVED] DiskFull (…)``;
* anything else: the normalised subject (no Re:/Fwd:, numbers and hex ids masked).
"""

import email
import email.policy
import hashlib
import html
import re
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import getaddresses, parsedate_to_datetime

from django.utils.translation import gettext

from ..models import Severity
from .common import severity_of

# What Korean mail often declares, and what it really is: EUC-KR mail is usually CP949
# (its superset; Outlook and Naver send CP949 characters labelled euc-kr).
CHARSET_ALIASES = {"euc-kr": "cp949", "ks_c_5601-1987": "cp949", "ks_c_5601": "cp949", "x-windows-949": "cp949"}
MAX_TEXT = 200_000


@dataclass
class Attachment:
    filename: str
    content_type: str
    size: int


@dataclass
class Mail:
    message_id: str
    subject: str
    from_address: str
    from_name: str
    to: list[str]
    text: str
    html: bool = False
    in_reply_to: str = ""
    references: list[str] = field(default_factory=list)
    date: datetime | None = None
    attachments: list[Attachment] = field(default_factory=list)
    auto_submitted: bool = False


def _decode_part(part) -> str:
    payload = part.get_payload(decode=True) or b""
    charset = (part.get_content_charset() or "utf-8").lower()
    charset = CHARSET_ALIASES.get(charset, charset)
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:  # an unknown charset name
        return payload.decode("utf-8", errors="replace")


TAGS = re.compile(r"<(script|style)[^>]*>.*?</\1>", re.IGNORECASE | re.DOTALL)
BREAKS = re.compile(r"<\s*(br|/p|/div|/tr|/li|/h\d)\s*/?>", re.IGNORECASE)
ANY_TAG = re.compile(r"<[^>]+>")


def html_to_text(markup: str) -> str:
    """Good enough for reading an alert or a ticket: tags dropped, breaks kept, entities decoded."""
    text = BREAKS.sub("\n", TAGS.sub("", markup))
    text = html.unescape(ANY_TAG.sub("", text))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def _ids(value: str) -> list[str]:
    return re.findall(r"<[^<>\s]+>", value or "")


def read_mail(raw: bytes) -> Mail:
    # Each header access parses the header again (email.policy.default): every header and
    # content type is read once here, which a mail storm of 10,000 mails notices.
    message: EmailMessage = email.message_from_bytes(raw, policy=email.policy.default)
    plain, markup, attachments = [], [], []
    for part in message.walk():
        if part.is_multipart():
            continue
        disposition = part.get_content_disposition()
        filename = part.get_filename()
        content_type = part.get_content_type()
        if disposition == "attachment" or (filename and disposition != "inline"):
            size = len(part.get_payload(decode=True) or b"")
            attachments.append(Attachment(filename or "", content_type, size))
            continue
        if content_type == "text/plain":
            plain.append(_decode_part(part))
        elif content_type == "text/html":
            markup.append(_decode_part(part))
    text = "\n".join(plain) if plain else html_to_text("\n".join(markup))
    from_name, from_address = (getaddresses([str(message.get("From", ""))]) or [("", "")])[0]
    sent = message["Date"]
    try:
        date = parsedate_to_datetime(str(sent)) if sent else None
    except (TypeError, ValueError):
        date = None
    message_id = (_ids(str(message.get("Message-ID", ""))) or [""])[0]
    if not message_id:
        message_id = "<" + hashlib.sha256(raw).hexdigest()[:40] + "@haru.generated>"
    return Mail(
        message_id=message_id[:255],
        subject=" ".join(str(message.get("Subject", "")).split()),
        from_address=from_address.lower(),
        from_name=from_name,
        to=[
            address.lower()
            for _name, address in getaddresses([str(v) for v in message.get_all("To", []) + message.get_all("Cc", [])])
        ],
        text=text[:MAX_TEXT],
        html=not plain and bool(markup),
        in_reply_to=(_ids(str(message.get("In-Reply-To", ""))) or [""])[0],
        references=_ids(str(message.get("References", ""))),
        date=date if date and date.tzinfo else None,
        attachments=attachments,
        auto_submitted=str(message.get("Auto-Submitted", "no")).lower() not in ("", "no"),
    )


# --- known alert mails ---------------------------------------------------------------------

GCP_SUBJECT = re.compile(r"^\[(ALERT|RESOLVED) - ([^\]]+)\]\s*(.+)$", re.IGNORECASE)
GCP_INCIDENT = re.compile(r"/incidents/([\w.\-]+)")
DJANGO_SUBJECT = re.compile(r"^\[Django\]\s*(ERROR|CRITICAL|WARNING)(?: \((?:internal|EXTERNAL) IP\))?:\s*(.+)$")
DJANGO_PATH = re.compile(r"Internal Server Error: (\S+)")
EXCEPTION_LINE = re.compile(
    r"^([A-Za-z_][\w.]*(?:Error|Exception|Warning|Interrupt|Exit|DoesNotExist))\b:?", re.MULTILINE
)
SENTRY_SUBJECT = re.compile(r"^\[Sentry\]\s*([A-Z0-9][A-Z0-9-]*-[A-Z0-9]+)\s+-\s+(.+)$")
AM_SUBJECT = re.compile(r"^\[(FIRING:\d+|RESOLVED)\]\s*(.+)$")
REPLY_PREFIX = re.compile(r"^\s*((re|fwd?|회신|전달|답장)\s*:\s*)+", re.IGNORECASE)
VOLATILE = re.compile(r"\b(0x[0-9a-f]+|[0-9a-f]{8,}|\d+)\b", re.IGNORECASE)


@dataclass
class MailAlert:
    key: str
    title: str
    resolved: bool
    severity: str
    url: str = ""
    kind: str = "mail"


def normalised_subject(subject: str) -> str:
    """``Re: Disk 95% on web-12 (id 0x3f2a)`` → ``disk #% on web-# (id #)``."""
    subject = REPLY_PREFIX.sub("", subject)
    return " ".join(VOLATILE.sub("#", subject).lower().split())[:200]


def alert_from_mail(mail: Mail) -> MailAlert:
    subject = mail.subject
    match = GCP_SUBJECT.match(subject)
    if match:
        incident = GCP_INCIDENT.search(mail.text)
        key = f"gcp:{incident.group(1)}" if incident else "gcp:" + normalised_subject(match.group(3))
        url_match = re.search(r"https://console\.cloud\.google\.com/\S+", mail.text)
        return MailAlert(
            key=key,
            title=match.group(3),
            resolved=match.group(1).upper() == "RESOLVED",
            severity=severity_of(match.group(2)),
            url=url_match.group(0).rstrip(">)") if url_match else "",
            kind="google_cloud",
        )
    match = DJANGO_SUBJECT.match(subject)
    if match:
        path_match = DJANGO_PATH.search(match.group(2))
        exceptions = EXCEPTION_LINE.findall(mail.text)
        exception = exceptions[-1] if exceptions else ""
        where = path_match.group(1) if path_match else normalised_subject(match.group(2))
        title = f"{where} · {exception}" if exception else match.group(2)
        return MailAlert(
            key=f"django:{where}:{exception}",
            title=title,
            resolved=False,
            severity=severity_of(match.group(1), default=Severity.ERROR),
            kind="django",
        )
    match = SENTRY_SUBJECT.match(subject)
    if match:
        return MailAlert(
            key=f"sentry:{match.group(1)}",
            title=f"{match.group(1)} - {match.group(2)}",
            resolved=False,
            severity=Severity.ERROR,
            kind="sentry",
        )
    match = AM_SUBJECT.match(subject)
    if match:
        return MailAlert(
            key="alertmanager:" + normalised_subject(match.group(2)),
            title=match.group(2),
            resolved=match.group(1) == "RESOLVED",
            severity=Severity.WARNING,
            kind="alertmanager",
        )
    return MailAlert(
        key="subject:" + normalised_subject(subject),
        title=REPLY_PREFIX.sub("", subject) or gettext("(no subject)"),
        resolved=False,
        severity=Severity.WARNING,
    )
