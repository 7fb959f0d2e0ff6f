"""Inquiry settings with their defaults (each may be set in erp/settings via the environment).

Read at call time, so tests can override them with pytest-django's ``settings`` fixture.
"""

from django.conf import settings

DEFAULTS = {
    # Same e-mail or phone within this many hours: the new inquiry is linked to the earlier one.
    "INQUIRIES_DUPLICATE_WINDOW_HOURS": 72,
    # Who handles inquiries (sees all) and who receives shared ones: department codes.
    "INQUIRIES_SALES_DEPARTMENTS": ("sales",),
    "INQUIRIES_MARKETING_DEPARTMENTS": ("marketing",),
    # Slack channels: new inquiry cards (unless a routing rule says otherwise), shared summaries.
    "INQUIRIES_SALES_CHANNEL": "",
    "INQUIRIES_MARKETING_CHANNEL": "",
    # Burst coalescing (integrations/slack/inquiries/burst.py): this many cards waiting for their
    # slot in one channel start a summary card updated in place; 0 switches it off.
    "INQUIRIES_BURST_THRESHOLD": 3,
    # The daily nudge: open inquiries older than this many hours, posted at this hour (KST).
    "INQUIRIES_NUDGE_HOURS": 24,
    "INQUIRIES_NUDGE_HOUR": 10,
    # Spam defence.
    "INQUIRIES_MIN_FILL_SECONDS": 3,
    "INQUIRIES_MAX_LINKS": 3,
    "INQUIRIES_RATE_PER_IP": "10/m",
    "INQUIRIES_RATE_PER_EMAIL": "5/h",
    # Mail to the inquiry addresses, per sender (new inquiries and replies alike): over it the
    # SMTP receiver answers 451 and the sending server retries later.
    "INQUIRIES_MAIL_RATE_PER_SENDER": "10/h",
    # A proxy header holding the client address (e.g. "X-Forwarded-For"); empty: REMOTE_ADDR.
    "INQUIRIES_CLIENT_IP_HEADER": "",
    # Size limits: the whole body and the message field.
    "INQUIRIES_MAX_BODY_BYTES": 64 * 1024,
    "INQUIRIES_MAX_MESSAGE_CHARS": 5000,
    # Addresses whose mail becomes inquiries (the SMTP receiver accepts them), e.g. sales@….
    "INQUIRIES_MAIL_ADDRESSES": (),
}


def setting(name: str):
    return getattr(settings, name, DEFAULTS[name])
