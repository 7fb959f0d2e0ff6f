"""How long past bookings keep their titles and attendees (registered in apps.py).

A booking's title and attendee list say who met about what; after two years they are
cleared (the client site too). Room, times and status stay, so room usage figures are
unchanged. No law sets a minimum.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from erp.core.retention import ANONYMISE, RetentionPolicy


def _due(cutoff):
    from .models import Booking

    return (
        Booking.objects.filter(end__lt=cutoff)
        .filter(Q(title__gt="") | Q(client_place__gt="") | Q(attendees__isnull=False))
        .distinct()
    )


def _anonymise(queryset, now) -> int:
    from .models import Booking

    ids = list(queryset.values_list("pk", flat=True))
    from .timeline_cache import bump

    Booking.attendees.through.objects.filter(booking_id__in=ids).delete()
    changed = Booking.objects.filter(pk__in=ids).update(title="", client_place="")
    bump()  # a queryset update sends no post_save: the cached timelines still show the titles
    return changed


POLICIES = (
    RetentionPolicy(
        key="meetings.bookings",
        label=_("Past bookings (titles and attendees)"),
        default_days=730,
        action=ANONYMISE,
        reason=_("No legal minimum; two years of who met about what is enough. Room usage figures stay."),
        due=_due,
        anonymise=_anonymise,
        order=60,
    ),
)
