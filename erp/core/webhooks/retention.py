"""How long webhook idempotency receipts are kept (registered by CoreConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from erp.core.retention import DELETE, RetentionPolicy

from .idempotency import RECEIPT_RETENTION


def _due(cutoff):
    from erp.core.models import WebhookReceipt

    return WebhookReceipt.objects.filter(claimed_at__lt=cutoff)


POLICIES = (
    RetentionPolicy(
        key="core.webhook_receipts",
        label=_("Webhook receipts"),
        default_days=RECEIPT_RETENTION.days,
        action=DELETE,
        reason=_("Senders retry a delivery for hours to a few days; a week covers their retries."),
        due=_due,
        order=80,
    ),
)
