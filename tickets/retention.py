"""How long closed tickets keep their text (registered in apps.py; see erp.core.retention).

Three years after a ticket was closed its title, description, comments and attachments are
removed; the ticket itself (number, type, priority, group, dates, SLA, rating) stays, so
reports and SLA figures are unchanged. No law sets a minimum for internal requests; three
years matches the attendance and payroll records HR tickets are usually about.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from erp.core.retention import ANONYMISE, RetentionPolicy

# What an anonymised ticket is titled (its number still identifies it).
REMOVED_TITLE = "-"


def _due(cutoff):
    from .models import Ticket

    return Ticket.objects.filter(closed_at__lt=cutoff).exclude(Q(title=REMOVED_TITLE) & Q(description=""))


def _anonymise(queryset, now) -> int:
    from .models import Attachment, Comment

    ids = list(queryset.values_list("pk", flat=True))
    for attachment in Attachment.objects.filter(ticket_id__in=ids):
        attachment.file.delete(save=False)  # the stored file too, not only its row
    Attachment.objects.filter(ticket_id__in=ids).delete()
    Comment.objects.filter(ticket_id__in=ids).update(body="")
    return queryset.model.objects.filter(pk__in=ids).update(title=REMOVED_TITLE, description="")


POLICIES = (
    RetentionPolicy(
        key="tickets.closed_tickets",
        label=_("Closed tickets and their comments"),
        default_days=1096,
        action=ANONYMISE,
        reason=_(
            "No legal minimum for internal requests; three years, like the attendance and payroll records HR "
            "tickets are about. Numbers, dates and SLA figures stay for reports."
        ),
        due=_due,
        anonymise=_anonymise,
        order=20,
    ),
)
