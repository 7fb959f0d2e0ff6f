"""E-mail → alert facts (PLATFORMS.md §4).

Reading the mail itself (MIME, Korean charsets, encoded-word subjects, HTML-only mail) is
``erp.core.mail.read_mail``, shared with the other modules that take mail in.

``alert_from_mail(mail)`` recognises known alert mails and says how they group:

* Google Cloud: ``[ALERT - Critical] <policy> on <resource>`` / ``[RESOLVED - …] …``: the
  incident id from the "VIEW INCIDENT" link, else the subject without its tag;
* Django AdminEmailHandler: ``[Django] ERROR (EXTERNAL IP): Internal Server Error: /path``:
  path + exception type (the traceback's last line);
* Sentry: ``[Sentry] HARU-ERP-1A2 - ValueError: …``: the short id;
* Alertmanager: ``[FIRING:2] DiskFull (web1 critical)`` / ``[RESOLVED] DiskFull (…)``;
* anything else: the normalised subject (no Re:/Fwd:, numbers and hex ids masked).
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext

# The generic reading lives in erp.core.mail; these names stay importable from here.
from erp.core.mail import Attachment, Mail, html_to_text, read_mail  # noqa: F401

from ..models import Severity
from .common import severity_of

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
