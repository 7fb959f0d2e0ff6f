"""Locking and permission helpers shared by the inquiry services."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from erp.audit.actor import Actor, as_actor

from ..models import Inquiry
from ..selectors import can_handle


def lock(inquiry) -> Inquiry:
    """The inquiry row under ``SELECT … FOR UPDATE``: concurrent writers queue up, none is lost."""
    pk = inquiry.pk if isinstance(inquiry, Inquiry) else inquiry
    return Inquiry.objects.select_for_update().get(pk=pk)


def require_handler(by) -> Actor:
    """The actor, if it may handle inquiries (the system may; a person needs sales rights)."""
    actor = as_actor(by)
    if actor.user is not None and not can_handle(actor.user):
        raise PermissionDenied(_("Only the sales team can change inquiries."))
    return actor
