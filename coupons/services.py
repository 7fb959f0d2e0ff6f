"""Writes of the coupon module: each atomic and audited.

Imports live in ``coupons.importing``; API sends and status polling call the ``send_*`` and
``status_*`` functions here, which the Giftishow adapter (integrations/giftishow) drives.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from erp.audit.services import audit_record, audited_delete, audited_save

from .models import Campaign, Client, Goods, SendLog
from .phones import format_phone
from .selectors import can_reveal_phone


@transaction.atomic
def phone_reveal(*, send: SendLog, by, reason: str = "") -> str:
    """The full phone number of ``send`` for a permitted user; every reveal is an audit event
    ("who looked at whose number, when, why"). PermissionDenied for anyone else."""
    user = getattr(by, "user", by)
    if not can_reveal_phone(user):
        raise PermissionDenied(_("You may not see full phone numbers."))
    audit_record(send, "phone_revealed", by=by, reason=reason)
    return format_phone(send.phone)


def client_save(client: Client, *, by) -> Client:
    return audited_save(client, by=by)


def client_delete(client: Client, *, by):
    return audited_delete(client, by=by)


def campaign_save(campaign: Campaign, *, by) -> Campaign:
    return audited_save(campaign, by=by)


def campaign_delete(campaign: Campaign, *, by):
    return audited_delete(campaign, by=by)


def goods_save(goods: Goods, *, by) -> Goods:
    return audited_save(goods, by=by)


def goods_delete(goods: Goods, *, by):
    return audited_delete(goods, by=by)
