"""Recipients' phone numbers are blanked COUPONS_PHONE_RETENTION_DAYS after the coupon's
validity ended (or after the send, for sends without a validity date); every other column
stays, so counts, costs and funnels of old campaigns are unchanged. A policy of the shared
retention mechanism (erp.core.retention; registered in apps.py): the nightly run applies it,
the admin's retention page shows it with the others.

Why 90 days: the number is needed while the coupon can still be used or re-sent, and for the
customer-service questions that follow its expiry; 개인정보 보호법 제21조 asks for it to be
destroyed after that. No law requires keeping it.
"""

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from erp.core.retention import ANONYMISE, RetentionPolicy


def retention_days() -> int:
    return getattr(settings, "COUPONS_PHONE_RETENTION_DAYS", 90)


def _due(cutoff):
    from .models import SendLog

    return SendLog.objects.filter(anonymised_at__isnull=True).filter(
        Q(valid_until__lt=cutoff) | Q(valid_until__isnull=True, sent_at__lt=cutoff)
    )


def _anonymise(queryset, now) -> int:
    return queryset.update(phone="", phone_last4="", anonymised_at=now)


def policies() -> tuple[RetentionPolicy, ...]:
    """The default period is the COUPONS_PHONE_RETENTION_DAYS setting, read at each run."""
    return (
        RetentionPolicy(
            key="coupons.recipient_phones",
            label=_("Coupon recipients' phone numbers"),
            default_days=retention_days,
            action=ANONYMISE,
            reason=_(
                "Needed while the coupon can be used or re-sent and for the questions after it expires; "
                "Personal Information Protection Act art. 21 asks for it to be destroyed after that."
            ),
            due=_due,
            anonymise=_anonymise,
            order=40,
        ),
    )
