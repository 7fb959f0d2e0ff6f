"""Helpers shared by the ticket services (locking, actors, permission checks)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from erp.audit.actor import Actor, as_actor
from erp.people.names import display_name

from ..models import Ticket


def actor_of(by) -> Actor:
    return as_actor(by)


def lock_ticket(ticket) -> Ticket:
    """Re-read the ticket row under ``SELECT … FOR UPDATE``.

    Every write service starts here, inside its transaction: concurrent writers to the same
    ticket queue up on the row lock and each sees the previous one's committed values, so no
    write is lost (a stale in-memory instance passed by the caller is never saved).
    """
    pk = ticket.pk if isinstance(ticket, Ticket) else ticket
    return Ticket.objects.select_for_update().get(pk=pk)


def require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise PermissionDenied(message or _("You do not have permission to do this on this ticket."))


def user_label(user) -> str | None:
    return None if user is None else display_name(user)
