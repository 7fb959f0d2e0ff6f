"""How long alert items keep what they arrived with (registered in apps.py).

An item is one alert, release entry or e-mail as received; e-mails and alert payloads can
hold people's addresses and data from the monitored systems. After 180 days the body, the
raw payload and the parsed facts are cleared; the item stays (title, source, kind,
severity, dates), so groups' counts and timelines are unchanged. No law sets a minimum;
half a year covers incident reviews and the yearly on-call report's recent half.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from erp.core.retention import ANONYMISE, RetentionPolicy


def _due(cutoff):
    from .models import Item

    return Item.objects.filter(received_at__lt=cutoff).filter(Q(body__gt="") | Q(raw__gt="") | ~Q(facts={}))


def _anonymise(queryset, now) -> int:
    return queryset.update(body="", raw="", facts={})


POLICIES = (
    RetentionPolicy(
        key="alerts.items",
        label=_("Alert items (bodies and payloads)"),
        default_days=180,
        action=ANONYMISE,
        reason=_("No legal minimum; half a year covers incident reviews. Counts and timelines stay."),
        due=_due,
        anonymise=_anonymise,
        order=50,
    ),
)
