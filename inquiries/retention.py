"""How long inquiries keep the customer's personal data (registered in apps.py).

개인정보 보호법 제21조: personal data is destroyed once the purpose it was collected for is
served. An inquiry's purpose (answering it, a sale that follows) is served within a year;
after that the customer's name, contact details, message, answers' addresses and bodies,
the network data kept for abuse handling and internal notes are cleared. The inquiry
stays with its dates, category, product, status and marketing source, so funnels and
reports are unchanged. An admin may keep them longer (an ongoing contract) or shorter.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from erp.core.retention import ANONYMISE, RetentionPolicy


def _due(cutoff):
    from .models import Inquiry

    personal = Q(customer_name__gt="") | Q(email__gt="") | Q(phone__gt="") | Q(message__gt="")
    return Inquiry.objects.filter(received_at__lt=cutoff).filter(personal | Q(ip_address__isnull=False))


def _anonymise(queryset, now) -> int:
    from .models import Answer, Inquiry, Note

    ids = list(queryset.values_list("pk", flat=True))
    Answer.objects.filter(inquiry_id__in=ids).update(to_email="", body="")
    Note.objects.filter(inquiry_id__in=ids).update(body="")
    return Inquiry.objects.filter(pk__in=ids).update(
        customer_name="",
        email="",
        phone="",
        email_key="",
        phone_key="",
        message="",
        ip_address=None,
        user_agent="",
        referrer="",
        landing_page="",
        submission_id="",
    )


POLICIES = (
    RetentionPolicy(
        key="inquiries.personal_data",
        label=_("Inquiries' personal data"),
        default_days=365,
        action=ANONYMISE,
        reason=_(
            "Personal Information Protection Act art. 21: destroyed once its purpose is served; answering an "
            "inquiry and the sale that follows take well under a year."
        ),
        due=_due,
        anonymise=_anonymise,
        order=30,
    ),
)
