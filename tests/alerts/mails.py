"""Mails as senders write them: several charsets, HTML-only, attachments, encoded-word subjects."""

from email.header import Header
from email.message import EmailMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formatdate, make_msgid


def plain(subject, body, *, sender="alerting-noreply@google.com", to="alerts@haru.example", charset="utf-8", **headers):
    message = MIMEText(body, "plain", charset)
    message["Subject"] = Header(subject, charset)
    message["From"] = sender
    message["To"] = to
    message["Date"] = formatdate(1764637200)
    message["Message-ID"] = headers.pop("message_id", None) or make_msgid(domain="sender.example")
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    return message.as_bytes()


def html_only(subject, markup, **kwargs):
    message = MIMEText(markup, "html", "utf-8")
    message["Subject"] = subject
    message["From"] = kwargs.get("sender", "alerting-noreply@google.com")
    message["To"] = kwargs.get("to", "alerts@haru.example")
    message["Message-ID"] = make_msgid(domain="sender.example")
    return message.as_bytes()


def with_attachment(subject, body, *, filename="로그.txt", size=2048, **kwargs):
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = kwargs.get("sender", "ops@haru.example")
    message["To"] = kwargs.get("to", "alerts@haru.example")
    message["Message-ID"] = make_msgid(domain="sender.example")
    message.set_content(body)
    message.add_attachment(b"x" * size, maintype="application", subtype="octet-stream", filename=filename)
    return message.as_bytes()


def alternative(subject, text, markup, **kwargs):
    message = MIMEMultipart("alternative")
    message["Subject"] = subject
    message["From"] = kwargs.get("sender", "root@haru.example")
    message["To"] = kwargs.get("to", "alerts@haru.example")
    message["Message-ID"] = make_msgid(domain="sender.example")
    message.attach(MIMEText(text, "plain", "utf-8"))
    message.attach(MIMEText(markup, "html", "utf-8"))
    return message.as_bytes()


DJANGO_BODY = """Internal Server Error: /tickets/42/

Traceback (most recent call last):
  File "/srv/haru/.venv/lib/python3.11/site-packages/django/core/handlers/exception.py", line 55, in inner
    response = get_response(request)
  File "/srv/haru/tickets/views.py", line 120, in detail
    raise ValueError("bad ticket")
ValueError: bad ticket

Request information:
USER: seoyeon
"""

GCP_BODY = """CPU utilization for haru-web-1 is above the threshold of 0.9 with a value of 0.97.

VIEW INCIDENT <https://console.cloud.google.com/monitoring/alerting/incidents/0.nq4b8x2l1k9s?project=haru-prod>

Policy: VM CPU 90%
Condition: VM Instance - CPU utilization
"""
