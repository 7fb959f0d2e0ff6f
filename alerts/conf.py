"""Settings of alerts, with their defaults (override any of them in the environment's settings)."""

from django.conf import settings

DEFAULTS = {
    # A webhook delivery holds at most this many alerts (Alertmanager's max_alerts is 0 = all).
    "ALERTS_MAX_ALERTS_PER_DELIVERY": 500,
    "ALERTS_WEBHOOK_MAX_BYTES": 1024 * 1024,
    # What an item keeps of the raw body / mail it came from.
    "ALERTS_RAW_KEEP_BYTES": 64 * 1024,
    "ALERTS_SNOOZE_MINUTES": 60,
    # Feeds: fetch timeout, largest body read, and the longest back-off after failures.
    "ALERTS_FEED_TIMEOUT_SECONDS": 10,
    "ALERTS_FEED_MAX_BYTES": 5 * 1024 * 1024,
    "ALERTS_FEED_MAX_BACKOFF_MINUTES": 24 * 60,
    # Mail: largest message accepted by the SMTP receiver, and where it listens.
    "ALERTS_MAIL_MAX_BYTES": 10 * 1024 * 1024,
    "ALERTS_SMTP_HOST": "127.0.0.1",
    "ALERTS_SMTP_PORT": 8025,
    # Helpdesk replies go out from this address (also the Reply-To of ticket mails).
    "ALERTS_HELPDESK_FROM": "",
    "ALERTS_DIGEST_HOUR": 9,
    # A group's Slack message shows new repeats at most this often: one rendering and one
    # chat.update per window, however many repeats arrive (integrations/slack/core/notify.py).
    "ALERTS_REPEAT_REFRESH_SECONDS": 10,
    # Mail storms (alerts.services.storm): beyond these per minute, Slack hears once a minute.
    "ALERTS_STORM_PER_SENDER_PER_MINUTE": 30,
    "ALERTS_STORM_PER_MAILBOX_PER_MINUTE": 120,
    # IMAP polling: connect/read timeout, mails read per poll, longest back-off, and an
    # optional CA bundle for servers with a private certificate authority.
    "ALERTS_IMAP_TIMEOUT_SECONDS": 20,
    "ALERTS_IMAP_BATCH": 200,
    "ALERTS_IMAP_MAX_BACKOFF_MINUTES": 6 * 60,
    "ALERTS_IMAP_CA_FILE": "",
    # Helpdesk reply mails: attempts before giving up, first retry delay (doubles each time).
    "ALERTS_REPLY_MAX_ATTEMPTS": 8,
    "ALERTS_REPLY_RETRY_SECONDS": 60,
}


def get(name: str):
    return getattr(settings, name, DEFAULTS[name])
