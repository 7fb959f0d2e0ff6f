"""Retention: recipients' phone numbers are blanked COUPONS_PHONE_RETENTION_DAYS after the
coupon's validity ended (or after the send, for sends without a validity date); every other
column stays, so counts, costs and funnels of old campaigns are unchanged."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import RetentionRun, SendLog


def retention_days() -> int:
    return getattr(settings, "COUPONS_PHONE_RETENTION_DAYS", 90)


@transaction.atomic
def anonymise_expired(*, now=None) -> RetentionRun:
    now = now or timezone.now()
    cutoff = now - timedelta(days=retention_days())
    due = SendLog.objects.filter(anonymised_at__isnull=True).filter(
        Q(valid_until__lt=cutoff) | Q(valid_until__isnull=True, sent_at__lt=cutoff)
    )
    count = due.update(phone="", phone_last4="", anonymised_at=now)
    return RetentionRun.objects.create(cutoff=cutoff, anonymised=count)
