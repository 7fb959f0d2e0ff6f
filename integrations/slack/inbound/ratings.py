"""Recording satisfaction ratings (stand-in until tickets/ owns a rating service)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from erp.audit.actor import as_actor
from erp.audit.services import audit_record
from tickets.models import Status
from tickets.selectors import is_requester

from .models import SatisfactionRating

RATABLE_STATUSES = (Status.RESOLVED, Status.CLOSED)


@transaction.atomic
def ticket_rate(*, ticket, score: int, by) -> SatisfactionRating:
    """Store the requester's 1–5 score for a resolved or closed ticket.

    Side effects: one SatisfactionRating row per ticket and person (a second click changes
    the score), an audit event "rated" on the ticket with old → new. Idempotent for the same
    score (no new event). Raises ValidationError for a bad score or an unresolved ticket and
    PermissionDenied-free ValidationError when someone other than the requester rates.
    """
    actor = as_actor(by)
    user = actor.user
    if score not in range(1, 6):
        raise ValidationError({"score": _("A rating is 1 to 5 stars.")})
    if user is None or not is_requester(user, ticket):
        raise ValidationError(_("Only the person who requested %(number)s can rate it.") % {"number": ticket.number})
    if ticket.status not in RATABLE_STATUSES:
        raise ValidationError(_("%(number)s can be rated once it is resolved.") % {"number": ticket.number})
    rating = SatisfactionRating.objects.select_for_update().filter(ticket=ticket, rated_by=user).first()
    old = rating.score if rating else None
    if rating is None:
        rating = SatisfactionRating.objects.create(ticket=ticket, rated_by=user, score=score)
    elif rating.score != score:
        rating.score = score
        rating.save(update_fields=["score", "updated_at"])
    if old != score:
        audit_record(ticket, "rated", by=actor, changes={"satisfaction": [old, score]})
    return rating
