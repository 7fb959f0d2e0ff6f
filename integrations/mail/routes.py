"""Which module takes a mail for which recipient address.

One SMTP receiver (and later one IMAP poller) serves every module that takes mail in; each
module says which addresses are its own, which senders it refuses, and stores the raw bytes
itself. The first route that claims an address wins.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class MailRoute:
    name: str
    claims: Callable[[str], bool]  # is this recipient address one of ours?
    refusal: Callable[[str, str], str]  # (recipient, sender) → an SMTP refusal line, or "" to accept
    store: Callable[[str, bytes], object]  # (recipient, raw mail) → stored; raises to have it retried


def _alerts() -> MailRoute:
    from alerts.services.mail import mail_receive, mailbox_for, sender_allowed

    def refusal(address, sender):
        return "" if sender_allowed(mailbox_for(address), sender) else "550 5.7.1 This sender may not mail this address"

    return MailRoute(
        name="alerts",
        claims=lambda address: mailbox_for(address) is not None,
        refusal=refusal,
        store=lambda address, raw: mail_receive(source=mailbox_for(address), raw=raw),
    )


def _inquiries() -> MailRoute:
    from inquiries.services.email import intake_email, is_inquiry_address

    return MailRoute(
        name="inquiries",
        claims=is_inquiry_address,
        refusal=lambda address, sender: "",
        store=lambda address, raw: intake_email(raw),
    )


def routes() -> list[MailRoute]:
    return [_alerts(), _inquiries()]


def route_for(address: str) -> MailRoute | None:
    return next((route for route in routes() if route.claims(address)), None)
