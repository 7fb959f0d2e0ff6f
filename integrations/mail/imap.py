"""IMAP polling of alert and helpdesk mailboxes (stdlib imaplib; IDLE is not needed).

Each due mailbox (alerts.services.mailboxes) is polled on a beat schedule: connect (SSL/TLS,
STARTTLS, or plain for loopback), LOGIN with the source's user name and secret, EXAMINE the
folder (read-only: mails stay unread and in place for whoever else reads the box), ``UID
SEARCH UID <last+1>:*``, then ``UID FETCH <uid> (BODY.PEEK[])`` one by one and stored 50 at a
time by the same MIME pipeline as the SMTP receiver. The highest UID stored is remembered
after every batch, so a poll cut short resumes where it stopped; a new UIDVALIDITY (the server renumbered the
folder) starts from the first UID, and Message-ID de-duplication keeps stored mails single.

Failures (login refused, server unreachable, TLS, a folder that is gone, a mail that could
not be stored) end the poll, are recorded on the source with back-off, and show in the admin.
"""

import imaplib
import logging
import re
import ssl
from dataclasses import dataclass

from django.utils.translation import gettext as _

from alerts import conf
from alerts.models import MailSecurity, Source
from alerts.services.mail import mails_receive
from alerts.services.mailboxes import mailbox_polled, mailbox_read_up_to, mailbox_renumbered, mailboxes_due

logger = logging.getLogger(__name__)

UIDVALIDITY = re.compile(rb"UIDVALIDITY (\d+)")
# Mails fetched, then stored in one transaction (alerts.services.mail.mails_receive): a storm
# in the mailbox costs a few statements per 50 mails instead of several per mail.
STORE_AT_ONCE = 50


class MailboxError(Exception):
    """A poll that could not finish, with the sentence shown on the source."""


@dataclass
class PollResult:
    stored: int = 0
    error: str = ""


def _tls_context() -> ssl.SSLContext:
    cafile = conf.get("ALERTS_IMAP_CA_FILE") or None
    return ssl.create_default_context(cafile=cafile)


def connect(source: Source) -> imaplib.IMAP4:
    timeout = conf.get("ALERTS_IMAP_TIMEOUT_SECONDS")
    security = source.imap_security
    port = source.imap_port or (993 if security == MailSecurity.SSL else 143)
    try:
        if security == MailSecurity.SSL:
            return imaplib.IMAP4_SSL(source.imap_host, port, ssl_context=_tls_context(), timeout=timeout)
        client = imaplib.IMAP4(source.imap_host, port, timeout=timeout)
        if security == MailSecurity.STARTTLS:
            client.starttls(ssl_context=_tls_context())
        return client
    except ssl.SSLError as exc:
        raise MailboxError(_("The secure connection to the IMAP server failed: %(error)s") % {"error": exc}) from exc
    except imaplib.IMAP4.error as exc:
        raise MailboxError(_("The IMAP server refused STARTTLS: %(error)s") % {"error": exc}) from exc
    except (TimeoutError, OSError) as exc:
        raise MailboxError(_("The IMAP server cannot be reached: %(error)s") % {"error": exc}) from exc


def _text(data) -> str:
    return " ".join(part.decode("utf-8", "replace") if isinstance(part, bytes) else str(part) for part in data or [])


def _login(client: imaplib.IMAP4, source: Source) -> None:
    try:
        client.login(source.username, source.secret)
    except imaplib.IMAP4.error as exc:
        raise MailboxError(_("The IMAP server refused the login: %(error)s") % {"error": exc}) from exc


def _examine(client: imaplib.IMAP4, folder: str) -> int:
    """Open the folder read-only; its UIDVALIDITY."""
    typ, data = client.select(folder or "INBOX", readonly=True)
    if typ != "OK":
        raise MailboxError(
            _("The folder %(folder)s cannot be opened: %(error)s") % {"folder": folder, "error": _text(data)}
        )
    found = client.response("UIDVALIDITY")[1]
    values = [int(v) for v in found if v] if found and found != [None] else []
    if not values:
        raise MailboxError(_("The IMAP server sent no UIDVALIDITY for %(folder)s.") % {"folder": folder})
    return values[-1]


def _new_uids(client: imaplib.IMAP4, after: int) -> list[int]:
    typ, data = client.uid("SEARCH", None, f"UID {after + 1}:*")
    if typ != "OK":
        raise MailboxError(_("The IMAP search failed: %(error)s") % {"error": _text(data)})
    # "n:*" always includes the folder's last mail, even when its UID is below n: filter.
    return sorted(uid for uid in (int(token) for token in b" ".join(d for d in data if d).split()) if uid > after)


def _fetch(client: imaplib.IMAP4, uid: int) -> bytes | None:
    typ, data = client.uid("FETCH", str(uid), "(BODY.PEEK[])")
    if typ != "OK":
        raise MailboxError(_("Fetching mail %(uid)d failed: %(error)s") % {"uid": uid, "error": _text(data)})
    for part in data or []:
        if isinstance(part, tuple) and len(part) == 2:
            return part[1]
    return None  # expunged in between: nothing to store


def poll_mailbox(source: Source) -> PollResult:
    """One poll of one mailbox; the outcome is recorded on the source (never raises)."""
    result = PollResult()
    client = None
    try:
        client = connect(source)
        _login(client, source)
        uidvalidity = _examine(client, source.imap_folder)
        if source.imap_uidvalidity != uidvalidity:
            if source.imap_uidvalidity is not None:
                logger.warning(
                    "Mailbox %s: UIDVALIDITY %s → %s, reading it again", source.pk, source.imap_uidvalidity, uidvalidity
                )
            mailbox_renumbered(source, uidvalidity)
        uids = _new_uids(client, source.imap_last_uid)[: conf.get("ALERTS_IMAP_BATCH")]
        for start in range(0, len(uids), STORE_AT_ONCE):
            chunk = uids[start : start + STORE_AT_ONCE]
            raws = [raw for raw in (_fetch(client, uid) for uid in chunk) if raw is not None]
            try:
                outcomes = mails_receive(source=source, raws=raws)
            except Exception as exc:  # the database: stop here, the next poll starts at these mails again
                logger.exception("Mailbox %s: storing mails %s–%s failed", source.pk, chunk[0], chunk[-1])
                raise MailboxError(
                    _("Mail %(uid)d could not be stored: %(error)s") % {"uid": chunk[0], "error": exc}
                ) from exc
            result.stored += sum(outcome.stored for outcome in outcomes)
            mailbox_read_up_to(source, uidvalidity=uidvalidity, uid=chunk[-1])
    except MailboxError as exc:
        result.error = str(exc)
    except (imaplib.IMAP4.error, OSError) as exc:  # the connection broke during the poll
        result.error = _("The IMAP connection failed: %(error)s") % {"error": exc}
    finally:
        if client is not None:
            try:
                client.logout()
            except Exception:  # already closed: nothing to tidy
                pass
    mailbox_polled(source, error=result.error)
    return result


def poll_due_mailboxes() -> dict:
    counts = {"polled": 0, "stored": 0, "errors": 0}
    for source in mailboxes_due():
        result = poll_mailbox(source)
        counts["polled"] += 1
        counts["stored"] += result.stored
        counts["errors"] += bool(result.error)
    return counts
