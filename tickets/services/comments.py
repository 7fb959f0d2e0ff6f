"""Comments: public replies and internal notes."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from erp.audit.models import Source
from erp.audit.services import audit_record

from .. import signals
from ..models import Comment, SLATarget, Status, Ticket, TicketSource
from ..selectors import can_comment, can_handle
from . import sla
from ._common import actor_of, lock_ticket, require
from .attachments import store_attachments, validate_attachments
from .workflow import _transition

MAX_COMMENT_LENGTH = 20000


@transaction.atomic
def ticket_comment(*, ticket, body: str, internal: bool = False, attachments=(), source: str | None = None, by):
    """Add a public reply or an internal note (agents only), with optional attachments.

    Side effects: the first public reply by a handler who is not the requester sets
    first_responded_at (and flags a first-response breach if it came late); records
    "commented" and sends ticket_commented(comment=...). A public reply by the requester
    on a pending ticket (the agent was waiting for them) resumes it, as Freshservice does:
    back to in progress when someone is assigned, else open, with the SLA clock resumed,
    recorded as "status_changed" and sent as ticket_status_changed after the comment's
    event and signal. Not idempotent.
    """
    actor = actor_of(by)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write something first.")})
    if len(body) > MAX_COMMENT_LENGTH:
        raise ValidationError({"body": _("Keep comments under %(max)d characters.") % {"max": MAX_COMMENT_LENGTH}})
    validate_attachments(attachments)
    ticket = lock_ticket(ticket)
    user = actor.user
    if user is not None:
        if internal:
            require(
                can_comment(user, ticket, internal=True), _("Only agents handling this ticket can add internal notes.")
            )
        else:
            require(can_comment(user, ticket), _("You cannot comment on this ticket."))

    if source is None:
        source = (
            TicketSource.SLACK
            if actor.source == Source.SLACK
            else TicketSource.API
            if actor.source == Source.API
            else TicketSource.WEB
        )
    comment = Comment.objects.create(ticket=ticket, author=user, body=body, internal=bool(internal), source=source)
    store_attachments(ticket=ticket, uploads=attachments, user=user, comment=comment)

    late = None
    is_response = (
        not internal
        and ticket.first_responded_at is None
        and user is not None
        and user.pk != ticket.requester_id
        and can_handle(user, ticket)
    )
    if is_response:
        now = timezone.now()
        ticket.first_responded_at = now
        late = sla.record_breach_if_late(ticket, SLATarget.FIRST_RESPONSE, now)
        sla.refresh_state(ticket, now)
    ticket.save()  # bumps updated_at: the ticket has news
    audit_record(ticket, "commented", by=actor, comment_id=comment.pk, internal=comment.internal)
    if late:
        sla.send_breach(ticket, *late)
    signals.ticket_commented.send(sender=Ticket, ticket=ticket, by=actor, comment=comment)
    if not comment.internal and ticket.status == Status.PENDING and user is not None and user.pk == ticket.requester_id:
        _resume_on_requester_reply(ticket, actor)
    return comment


def _resume_on_requester_reply(ticket: Ticket, actor) -> None:
    """The answer the ticket was pending on arrived: the handlers' turn again.

    No can_change_status check: the requester does not choose a status here; replying
    is what they may do, and the move is the workflow's consequence of it.
    """
    target = Status.IN_PROGRESS if ticket.assignee_id else Status.OPEN
    _transition(ticket, target, actor, reason=_("The requester replied."))
