"""The Slack core's own declaration: the App Home tab, the outbox jobs, the scopes every module shares."""

from celery.schedules import crontab
from django.conf import settings

from erp.core.tasks import RETENTION_TASK
from integrations.slack.core.home import on_app_home_opened
from integrations.slack.core.modules import DeliveryOperation, Event, Job, Scope, SlackModule
from integrations.slack.core.redaction import REDACT, REDACT_LABEL, redact_operation

slack_module = SlackModule(
    label="core",
    events=(Event("app_home_opened", on_app_home_opened, subscriptions=("app_home_opened",)),),
    operations=(DeliveryOperation(REDACT, redact_operation, REDACT_LABEL),),
    jobs=(
        Job("integrations.slack.sweep_outbox", schedule=lambda: settings.SLACK_SWEEP_INTERVAL_SECONDS),
        # Every module's retention policies (outbox, receipts, punches, inquiries …, each
        # registered by its module: erp/core/retention), in one nightly run.
        Job(RETENTION_TASK, schedule=lambda: crontab(minute=30, hour=3)),
    ),
    # Only what the code calls: no app_mention event is handled, the bot never joins channels
    # (chat:write.public) and routing mentions user groups by id without usergroups.list.
    scopes=(
        Scope(
            "channels:read",
            "channel names and membership for routing; conversations.info/members for the privacy policy",
        ),
        Scope("chat:write", "posts, updates, thread replies, ephemeral answers"),
        Scope("chat:write.public", "post to public channels without being invited"),
        Scope("groups:read", "private channel names; conversations.info/members for the privacy policy"),
        Scope("im:history", "message.im: the bot's direct messages"),
        Scope("im:read", "conversations.info of a DM a reply goes to (the privacy policy's target class)"),
        Scope("mpim:read", "conversations.info of a group DM a reply goes to (the privacy policy's target class)"),
        Scope("im:write", "conversations.open for direct messages"),
        Scope("users:read", "users.info on first contact; guests (is_restricted) for the privacy policy"),
        Scope("users:read.email", "link employees by e-mail (users.info / users.lookupByEmail)"),
    ),
)
