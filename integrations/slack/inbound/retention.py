"""How long Slack request receipts are kept (registered in apps.py).

Event receipts (deduplication by event_id) matter while Slack may retry an event (hours);
seven days leaves room for an outage. Replay keys of signed requests matter only inside the
five-minute signature window and a modal's life: one day.
"""

from django.utils.translation import gettext_lazy as _

from erp.core.retention import DELETE, RetentionPolicy


def _receipts_due(cutoff):
    from .models import SlackEventReceipt

    return SlackEventReceipt.objects.filter(received_at__lt=cutoff)


def _nonces_due(cutoff):
    from .models import SlackRequestNonce

    return SlackRequestNonce.objects.filter(received_at__lt=cutoff)


POLICIES = (
    RetentionPolicy(
        key="slack.event_receipts",
        label=_("Slack event receipts"),
        default_days=7,
        action=DELETE,
        reason=_("Slack retries an event for hours at most; a week leaves room for an outage."),
        due=_receipts_due,
        order=71,
    ),
    RetentionPolicy(
        key="slack.request_nonces",
        label=_("Slack replay keys"),
        default_days=1,
        action=DELETE,
        reason=_("A signed request is valid for five minutes; a modal lives for hours."),
        due=_nonces_due,
        order=72,
    ),
)
