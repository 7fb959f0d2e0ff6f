"""Customer mails as Korean mail clients write them (charsets, encoded-word subjects, replies)."""

from email.charset import BASE64, QP, Charset
from email.header import Header
from email.mime.text import MIMEText
from email.utils import formataddr, formatdate, make_msgid

SALES_ADDRESS = "sales@haru.example"


def customer_mail(
    subject="챗봇 도입 문의",
    body="안녕하세요. 사내 헬프데스크 챗봇 도입을 검토하고 있습니다.\n견적을 부탁드립니다.",
    *,
    sender=("김하늘", "sky.kim@hanbit.example"),
    charset="utf-8",
    header_encoding=BASE64,
    message_id=None,
    **headers,
) -> bytes:
    """One mail; ``charset`` for body and headers, ``header_encoding`` BASE64 or QP (RFC 2047 B/Q)."""
    text_charset = Charset(charset)
    text_charset.header_encoding = header_encoding
    text_charset.body_encoding = header_encoding if charset.lower() == "utf-8" else None
    message = MIMEText(body, "plain", text_charset)
    message["Subject"] = Header(subject, text_charset)
    name, address = sender
    message["From"] = formataddr((str(Header(name, text_charset)), address)) if name else address
    message["To"] = SALES_ADDRESS
    message["Date"] = formatdate(1764637200)
    message["Message-ID"] = message_id or make_msgid(domain="hanbit.example")
    for header, value in headers.items():
        message[header.replace("_", "-")] = value
    return message.as_bytes()


__all__ = ["BASE64", "QP", "SALES_ADDRESS", "customer_mail"]
