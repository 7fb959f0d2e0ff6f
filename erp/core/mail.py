"""Reading a received e-mail (bytes, as SMTP or IMAP hand it over) into plain facts.

``read_mail(raw)`` decodes what any mail client may send: multipart/alternative and mixed,
HTML-only mail (turned into text), attachments (named and sized, never stored here), Korean
charsets (UTF-8, EUC-KR / CP949, ISO-2022-KR) and RFC 2047 encoded-word subjects (base64 or
quoted-printable, folded ones included). A part whose declared charset lies is decoded
leniently rather than refused. ``reply_text`` cuts the quoted history off a reply.

Used by every module that takes mail in (alerts and its helpdesk, inquiries); what a mail
*means* stays in the module.
"""

import email
import email.policy
import hashlib
import html
import re
from dataclasses import dataclass, field
from datetime import datetime
from email.errors import HeaderParseError
from email.header import decode_header
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime

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


def _decoded(chunk: bytes, charset: str) -> str:
    charset = CHARSET_ALIASES.get(charset, charset)
    try:
        return chunk.decode(charset, errors="replace")
    except LookupError:  # an unknown charset name
        return chunk.decode("utf-8", errors="replace")


def _header_text(value: str) -> str:
    """A header as people read it: unfolded, RFC 2047 encoded words decoded (Korean charsets
    by their real names), raw 8-bit text read as UTF-8, else CP949. Never raises."""
    if not value:
        return ""
    if any("\udc80" <= char <= "\udcff" for char in value):  # 8-bit bytes the parser kept as-is
        octets = value.encode("ascii", "surrogateescape")
        try:
            value = octets.decode("utf-8")
        except UnicodeDecodeError:
            value = octets.decode("cp949", errors="replace")
    value = FOLD.sub("", value)
    if "=?" not in value:
        return value
    try:
        chunks = decode_header(value)
    except (HeaderParseError, ValueError, LookupError):  # a broken encoded word: keep it as sent
        return value
    return "".join(
        chunk if isinstance(chunk, str) else _decoded(chunk, charset or "raw-unicode-escape")
        for chunk, charset in chunks
    )


FOLD = re.compile(r"\r?\n(?=[ \t])")


class _Headers:
    """The raw values of a message's headers, read once (header names are case-insensitive)."""

    def __init__(self, message: Message):
        self.values: dict[str, list[str]] = {}
        for name, value in message.raw_items():
            self.values.setdefault(name.lower(), []).append(str(value))

    def first(self, name: str) -> str:
        found = self.values.get(name.lower())
        return found[0] if found else ""

    def all(self, *names: str) -> list[str]:
        return [value for name in names for value in self.values.get(name.lower(), [])]


def _addresses(values: list[str]) -> list[tuple[str, str]]:
    """(name, address) pairs. Split before decoding the names (a decoded name may hold a
    comma), unless a sender encoded the whole address: then decoded first."""
    found = []
    for value in values:
        pairs = getaddresses([FOLD.sub("", value)])
        if any("=?" in address for _name, address in pairs):
            pairs = getaddresses([_header_text(value)])
        found += [(_header_text(name), address) for name, address in pairs]
    return found


def read_mail(raw: bytes) -> Mail:
    # The legacy (compat32) policy hands headers over as the raw strings they are: only the
    # few read below are decoded. email.policy.default parses every header it is asked for
    # into objects, ten times the cost, which a mail storm of 10,000 mails notices.
    message: Message = email.message_from_bytes(raw, policy=email.policy.compat32)
    headers = _Headers(message)
    plain, markup, attachments = [], [], []
    for part in message.walk():
        if part.is_multipart():
            continue
        disposition = part.get_content_disposition()
        filename = _header_text(part.get_filename() or "")
        content_type = part.get_content_type()
        if disposition == "attachment" or (filename and disposition != "inline"):
            size = len(part.get_payload(decode=True) or b"")
            attachments.append(Attachment(filename, content_type, size))
            continue
        if content_type == "text/plain":
            plain.append(_decode_part(part))
        elif content_type == "text/html":
            markup.append(_decode_part(part))
    text = "\n".join(plain) if plain else html_to_text("\n".join(markup))
    from_name, from_address = (_addresses(headers.all("From")[:1]) or [("", "")])[0]
    sent = headers.first("Date")
    try:
        date = parsedate_to_datetime(FOLD.sub("", sent)) if sent else None
    except (TypeError, ValueError, IndexError):
        date = None
    message_id = (_ids(headers.first("Message-ID")) or [""])[0]
    if not message_id:
        message_id = "<" + hashlib.sha256(raw).hexdigest()[:40] + "@haru.generated>"
    return Mail(
        message_id=message_id[:255],
        subject=" ".join(_header_text(headers.first("Subject")).split()),
        from_address=from_address.lower(),
        from_name=from_name,
        to=[address.lower() for _name, address in _addresses(headers.all("To", "Cc"))],
        text=text[:MAX_TEXT],
        html=not plain and bool(markup),
        in_reply_to=(_ids(headers.first("In-Reply-To")) or [""])[0],
        references=_ids(headers.first("References")),
        date=date if date and date.tzinfo else None,
        attachments=attachments,
        auto_submitted=_header_text(headers.first("Auto-Submitted") or "no").strip().lower() not in ("", "no"),
    )


# Where the quoted history of a reply starts (clients differ; Korean clients included).
QUOTE_STARTS = re.compile(
    r"^(>|On .+ wrote:$|-----Original Message-----|-----원본 메시지-----|보낸 사람:|From: .+@.+)", re.MULTILINE
)


def reply_text(text: str) -> str:
    """The new part of a reply, without the quoted history below it."""
    match = QUOTE_STARTS.search(text)
    new = text[: match.start()] if match else text
    return new.strip() or text.strip()


class MailDeferred(Exception):
    """Not now: the sender should try this mail again later (e.g. it is over a rate limit).

    The SMTP receiver answers 451 with the message, so the sending server keeps the mail in
    its queue and retries: nothing is accepted and then lost, and nothing bounces.
    """


class MailRefused(Exception):
    """This mail cannot be taken (no usable sender, nothing in it): refuse it permanently.

    The SMTP receiver answers 550 with the message, so the sender's server bounces it to its
    user; an IMAP poller leaves it in the mailbox, flagged.
    """
