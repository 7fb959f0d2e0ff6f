"""Who may read which audit events (security review H2).

An audit event repeats its record's title and the old and new values of what changed, so
reading it is reading the record. The audit views therefore need their own permission
(``audit.view_auditevent``) and, on top, show only events on records the viewer may see:

- a domain app registers, for each model whose rows are visible per person (tickets,
  punches, corrections …), the selector that says which rows a user may see;
- events on any other model (configuration: routing rules, devices, holidays …) are shown
  to people who hold that model's own ``view`` permission.

Superusers see everything.
"""

from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, QuerySet
from django.db.models.functions import Cast

from .models import AuditEvent

# model → visible(user) returning a queryset of that model's rows the user may see.
_SCOPES: dict[type[models.Model], Callable[[object], QuerySet]] = {}


def register_audit_scope(model: type[models.Model], visible: Callable[[object], QuerySet]) -> None:
    """Call from ``AppConfig.ready()``: audit events on ``model`` follow ``visible(user)``."""
    _SCOPES[model] = visible


def _may_view_model(user, content_type: ContentType) -> bool:
    return user.has_perm(f"{content_type.app_label}.view_{content_type.model}") or user.has_perm(
        f"{content_type.app_label}.change_{content_type.model}"
    )


def visible_audit_events(user, events: QuerySet | None = None) -> QuerySet:
    """The audit events ``user`` may read (none without ``audit.view_auditevent``)."""
    events = AuditEvent.objects.all() if events is None else events
    if user is None or not user.is_authenticated or not user.is_active:
        return events.none()
    if user.is_superuser:
        return events
    if not user.has_perm("audit.view_auditevent"):
        return events.none()
    scoped_types = ContentType.objects.get_for_models(*_SCOPES, for_concrete_models=False)
    condition = Q(pk__in=[])
    for model, content_type in scoped_types.items():
        rows = _SCOPES[model](user).annotate(audit_key=Cast("pk", models.CharField())).values("audit_key")
        condition |= Q(content_type=content_type, object_id__in=rows)
    scoped_ids = {content_type.pk for content_type in scoped_types.values()}
    permitted = [
        content_type.pk
        for content_type in ContentType.objects.exclude(pk__in=scoped_ids)
        if _may_view_model(user, content_type)
    ]
    if permitted:
        condition |= Q(content_type__in=permitted)
    return events.filter(condition)
