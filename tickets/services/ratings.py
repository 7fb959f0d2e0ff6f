"""Satisfaction ratings: the requester's 1–5 score on a resolved or closed ticket."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from erp.audit.services import audit_record
from erp.core.errors import DomainError

from .. import signals
from ..models import SatisfactionRating, Status, Ticket
from ..selectors import is_requester
from ._common import actor_of, lock_ticket, require

RATABLE_STATUSES = (Status.RESOLVED, Status.CLOSED)
SCORES = range(1, 6)
MAX_RATING_COMMENT = 2000


class NotRatable(DomainError):
    code = "not_ratable"


def _clean_score(score) -> int:
    # Slack button values and form posts arrive as text; bool is an int subclass but no score.
    if isinstance(score, bool):
        score = None
    try:
        value = int(score)
    except (TypeError, ValueError):
        value = None
    if value not in SCORES or (isinstance(score, float) and score != value):
        raise ValidationError({"score": _("A rating is a whole number from 1 to 5.")})
    return value


@transaction.atomic
def ticket_rate(*, ticket, score, comment: str | None = None, by) -> SatisfactionRating:
    """Record (or change) the requester's satisfaction with a resolved or closed ticket.

    Side effects: one SatisfactionRating row per ticket and rater — rating again updates
    score/comment and ``updated_at``; an audit event "rated" on the ticket with old → new
    (score, and comment when given); the ticket_rated signal. Idempotent: the same score
    and comment again change nothing and record nothing (no event, no signal).
    ``comment=None`` keeps a previous comment, ``""`` clears it.

    Raises ValidationError (score not 1..5, comment too long), PermissionDenied (someone
    other than the requester) and NotRatable (a DomainError: the ticket is not resolved or
    closed yet).
    """
    actor = actor_of(by)
    value = _clean_score(score)
    if comment is not None:
        comment = comment.strip()
        if len(comment) > MAX_RATING_COMMENT:
            raise ValidationError(
                {"comment": _("Keep the comment under %(max)d characters.") % {"max": MAX_RATING_COMMENT}}
            )
    # The ticket row lock serialises two clicks on the rating buttons (and a rating racing a reopen).
    ticket = lock_ticket(ticket)
    user = actor.user
    require(
        user is not None and is_requester(user, ticket),
        _("Only the person who requested %(number)s can rate it.") % {"number": ticket.number},
    )
    if ticket.status not in RATABLE_STATUSES:
        raise NotRatable(_("%(number)s can be rated once it is resolved.") % {"number": ticket.number})

    rating = SatisfactionRating.objects.filter(ticket=ticket, rater=user).first()
    created = rating is None
    old_score, old_comment = (None, "") if created else (rating.score, rating.comment)
    new_comment = old_comment if comment is None else comment
    if not created and (old_score, old_comment) == (value, new_comment):
        return rating
    if created:
        rating = SatisfactionRating.objects.create(ticket=ticket, rater=user, score=value, comment=new_comment)
    else:
        rating.score, rating.comment = value, new_comment
        rating.save(update_fields=["score", "comment", "updated_at"])

    changes = {"satisfaction": [old_score, value]}
    if new_comment != old_comment:
        changes["satisfaction_comment"] = [old_comment, new_comment]
    audit_record(ticket, "rated", by=actor, changes=changes)
    signals.ticket_rated.send(
        sender=Ticket, ticket=ticket, by=actor, rating=rating, old_score=old_score, created=created
    )
    return rating
