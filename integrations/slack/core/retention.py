"""How long the Slack outbox keeps delivered messages (registered by IntegrationsConfig.ready).

Delivered (sent / skipped) rows are deleted after SLACK_OUTBOX_RETENTION_DAYS (30): they
hold rendered messages (names, ticket text) and are needed only to follow a delivery.
Failed and not-configured rows stay until someone handles them; MessageRefs stay, so old
records' messages can still be updated.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from erp.core.retention import DELETE, RetentionPolicy


def _due(cutoff):
    from integrations.slack.core.models import DeliveryStatus, SlackMessage

    return SlackMessage.objects.filter(status__in=[DeliveryStatus.SENT, DeliveryStatus.SKIPPED], created_at__lt=cutoff)


def policies() -> tuple[RetentionPolicy, ...]:
    return (
        RetentionPolicy(
            key="slack.outbox",
            label=_("Slack outbox (delivered messages)"),
            default_days=lambda: settings.SLACK_OUTBOX_RETENTION_DAYS,
            action=DELETE,
            reason=_("Needed only to follow a delivery; failed messages stay until someone handles them."),
            due=_due,
            order=70,
        ),
    )
