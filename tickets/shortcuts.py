"""HTTP shortcuts over the ticket selectors, shared by the browser pages and the API."""

from django.http import Http404
from django.utils.translation import gettext as _

from .models import Ticket
from .selectors import ticket_for


def visible_ticket_or_404(user, ref) -> Ticket:
    """The ticket ``ref`` (INC-123, SR-45 or the id) if ``user`` may see it, else 404.

    Invisible and missing tickets get the same answer, so numbers cannot be probed.
    """
    try:
        return ticket_for(user, ref)
    except Ticket.DoesNotExist:
        raise Http404(_("No such ticket, or you cannot see it.")) from None
