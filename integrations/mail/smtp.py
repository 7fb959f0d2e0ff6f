"""The SMTP receiver (aiosmtpd): alert, helpdesk and inquiry mail arrives here, as its own
process (``python manage.py alerts_smtp``, the ``mail`` entry of the Procfile). Which module
takes which address is integrations.mail.routes.

Refusals happen in the SMTP conversation, where the sending server sees them and tells its
user, instead of accepting and then dropping the mail:

* RCPT TO an address no module claims (an alert or helpdesk mailbox source, an inquiry
  address): ``550`` (no open relay);
* a sender the mailbox does not allow: ``550``, per recipient;
* a mail the module cannot use at all (erp.core.mail.MailRefused): ``550`` with its reason;
* a mail the module will take later, not now (erp.core.mail.MailDeferred, e.g. a sender over
  its rate limit): ``451`` with its reason, so the sending server retries it later;
* more than ALERTS_MAIL_MAX_BYTES (a 30 MB attachment, say): ``552`` from aiosmtpd's
  ``data_size_limit`` before the body is stored anywhere.

A mail accepted for several addresses is stored once per address. Database work runs in a
worker thread (the ORM is synchronous); a failure to store answers ``451`` so the sender
retries later instead of the mail being lost.
"""

import asyncio
import logging

from aiosmtpd.controller import Controller
from django.db import close_old_connections

from alerts import conf
from erp.core.mail import MailDeferred, MailRefused

from .routes import route_for

logger = logging.getLogger(__name__)


def _in_thread(function, *args):
    def run():
        close_old_connections()
        try:
            return function(*args)
        finally:
            close_old_connections()

    return asyncio.get_running_loop().run_in_executor(None, run)


def _recipient_check(address: str, sender: str) -> str:
    route = route_for(address)
    if route is None:
        return "550 5.1.1 No such mailbox here"
    return route.refusal(address, sender)


def _store(addresses: list[str], raw: bytes) -> int:
    stored = 0
    for address in addresses:
        route = route_for(address)
        if route is not None:
            route.store(address, raw)
            stored += 1
    return stored


def _reason(exc: Exception) -> str:
    """One ASCII line for the SMTP reply."""
    return " ".join(str(exc).split()).encode("ascii", "replace").decode()[:300]


class MailboxHandler:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        refusal = await _in_thread(_recipient_check, address, envelope.mail_from or "")
        if refusal:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8", errors="replace")
        try:
            await _in_thread(_store, list(envelope.rcpt_tos), raw)
        except MailRefused as refusal:
            # Permanent: the sender's server bounces it to its user with this reason.
            return f"550 5.6.0 {_reason(refusal)}"
        except MailDeferred as deferral:
            # Temporary: the sender's server keeps the mail and tries again later.
            return f"451 4.7.1 {_reason(deferral)}"
        except Exception:
            logger.exception("Storing a mail from %s failed", envelope.mail_from)
            return "451 4.3.0 Could not store the message now; try again later"
        return "250 2.0.0 Message accepted"


def controller(host: str | None = None, port: int | None = None) -> Controller:
    """An aiosmtpd Controller for every mail route (start() it; stop() when done)."""
    return Controller(
        MailboxHandler(),
        hostname=host or conf.get("ALERTS_SMTP_HOST"),
        port=conf.get("ALERTS_SMTP_PORT") if port is None else port,
        data_size_limit=conf.get("ALERTS_MAIL_MAX_BYTES"),
        # Keep the mail as sent (8-bit Korean text, no line-ending rewriting) for the parser.
        decode_data=False,
    )
