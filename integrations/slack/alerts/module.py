"""How alerts plug into Slack: one message per group that follows it, the buttons on it,
releases posted instantly or in a daily digest, and the beat entries of the feed and
mailbox pollers, the mail-storm job and the helpdesk reply retries."""

from alerts import conf, signals
from alerts.models import AlertGroup, Item
from alerts.tasks import retry_reply_mails, show_held_repeats
from integrations.feeds.tasks import poll_feeds
from integrations.mail.tasks import poll_mailboxes
from integrations.slack.alerts import actions, blocks, receivers
from integrations.slack.alerts.jobs import RELEASE_DIGEST, alerts_release_digest
from integrations.slack.core.modules import Job, Notification, SlackModule

# Due feeds are looked at every minute; each subscription's own poll_minutes (and back-off)
# decides whether it is fetched.
FEED_POLL_SECONDS = 60
# IMAP mailboxes likewise (each its own poll_minutes and back-off); the storm job shows held
# repeats once a minute; failed helpdesk reply mails are retried when their time comes.
MAILBOX_POLL_SECONDS = 60
STORM_SECONDS = 60
REPLY_RETRY_SECONDS = 60

slack_module = SlackModule(
    label="alerts",
    notifications=(
        Notification(
            signals.group_opened, "alerts.group_opened", receivers.on_opened, sender=AlertGroup, record_arg="group"
        ),
        Notification(
            signals.group_repeated,
            "alerts.group_repeated",
            receivers.on_repeated,
            sender=AlertGroup,
            record_arg="group",
            # Repeats only change a count: shown once per window, not once per worker round.
            coalesce_seconds=lambda: conf.get("ALERTS_REPEAT_REFRESH_SECONDS"),
        ),
        Notification(
            signals.group_changed, "alerts.group_changed", receivers.on_changed, sender=AlertGroup, record_arg="group"
        ),
        Notification(
            signals.group_resolved,
            "alerts.group_resolved",
            receivers.on_resolved,
            sender=AlertGroup,
            record_arg="group",
        ),
        Notification(signals.release_published, "alerts.release", receivers.on_release, sender=Item, record_arg="item"),
    ),
    actions={
        blocks.ACK: actions.acknowledge,
        blocks.TICKET: actions.open_ticket,
        blocks.SNOOZE: actions.snooze,
        blocks.RESOLVE: actions.resolve,
        blocks.PATCH_TICKET: actions.patch_ticket,
    },
    ignored_actions=(blocks.OPEN,),
    jobs=(
        Job(poll_feeds.name, schedule=lambda: FEED_POLL_SECONDS),
        Job(poll_mailboxes.name, schedule=lambda: MAILBOX_POLL_SECONDS),
        Job(show_held_repeats.name, schedule=lambda: STORM_SECONDS),
        Job(retry_reply_mails.name, schedule=lambda: REPLY_RETRY_SECONDS),
        Job(alerts_release_digest.name, schedule=RELEASE_DIGEST.beat_schedule),
    ),
)
