"""Saved ticket-list views: a person names the list they are looking at, and may share it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import QueryDict
from django.utils.translation import gettext as _

from erp.audit.services import audit_record

from ..models import SavedView
from ._common import actor_of

MAX_PER_PERSON = 30
# Only list parameters are kept: never a cursor (a page of a moment), never anything else.
DROPPED = {"cursor", "csrfmiddlewaretoken", "name", "shared", "next"}


def saved_query(query: str) -> str:
    params = QueryDict(query, mutable=True)
    for key in DROPPED:
        params.pop(key, None)
    clean = QueryDict(mutable=True)
    for key, values in params.lists():
        for value in values:
            if value not in ("",):
                clean.appendlist(key, value)
    return clean.urlencode()[:1000]


@transaction.atomic
def saved_view_create(*, name: str, query: str, shared: bool = False, by) -> SavedView:
    actor = actor_of(by)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the view a name.")})
    if SavedView.objects.filter(owner=actor.user).count() >= MAX_PER_PERSON:
        raise ValidationError(_("You have saved the most views allowed (30); delete one first."))
    view = SavedView.objects.create(owner=actor.user, name=name[:60], query=saved_query(query), shared=shared)
    audit_record(view, "created", by=actor, changes={"name": [None, view.name], "shared": [None, shared]})
    return view


@transaction.atomic
def saved_view_delete(*, view: SavedView, by) -> None:
    actor = actor_of(by)
    if view.owner_id != getattr(actor.user, "pk", None):
        raise PermissionDenied(_("Only the person who saved a view can delete it."))
    audit_record(view, "deleted", by=actor, changes={"name": [view.name, None]})
    view.delete()
