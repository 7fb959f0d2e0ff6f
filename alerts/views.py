"""Alert pages: the groups list (firing first), a group's timeline, sources with their health."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from erp.audit.actor import Actor
from erp.audit.models import Source as AuditSource
from erp.core.errors import error_text
from erp.core.pagination import keyset_page

from .filters import GroupFilter
from .models import SourceKind
from .selectors import (
    GROUP_ORDER,
    can_act,
    can_see_alerts,
    group_for,
    group_items,
    visible_groups,
    visible_items,
    visible_sources,
)
from .services import group_acknowledge, group_open_ticket, group_resolve, group_snooze, release_open_patch_ticket
from .timeline import group_events, item_badge

PAGE_SIZE = 50
HEALTH_DAYS = 14


def _require_alerts(user):
    # The same rule as the navigation entry: agents always, others when their team owns a source.
    if not can_see_alerts(user):
        raise PermissionDenied(_("You cannot see any alert source."))


@login_required
def groups(request):
    _require_alerts(request.user)
    filterset = GroupFilter(request.GET, queryset=visible_groups(request.user))
    queryset = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    page = keyset_page(queryset, order=GROUP_ORDER, cursor=request.GET.get("cursor"), page_size=PAGE_SIZE)
    return render(request, "alerts/groups.html", {"filter": filterset, "page": page})


@login_required
def group_detail(request, pk):
    group = group_for(request.user, pk)
    if group is None:
        raise Http404
    context = {
        "group": group,
        "items": [(item, item_badge(item)) for item in group_items(group)],
        "trail": group_events(group),
        "can_act": can_act(request.user, group),
    }
    return render(request, "alerts/group_detail.html", context)


ACTIONS = {
    "ack": lambda group, by: group_acknowledge(group=group, by=by),
    "snooze": lambda group, by: group_snooze(group=group, by=by),
    "resolve": lambda group, by: group_resolve(group=group, by=by),
    "ticket": lambda group, by: group_open_ticket(group=group, by=by),
}


@login_required
@require_POST
def group_action(request, pk, action):
    group = group_for(request.user, pk)
    if group is None or action not in ACTIONS:
        raise Http404
    try:
        ACTIONS[action](group, Actor.for_request(request, source=AuditSource.WEB))
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, error_text(exc))
    return redirect("alerts:group", pk=group.pk)


@login_required
def sources(request):
    _require_alerts(request.user)
    rows = visible_sources(request.user).select_related("owner_team").annotate(item_count=Count("items"))
    return render(request, "alerts/sources.html", {"sources": rows})


def items_per_day(source, days: int = HEALTH_DAYS) -> list[tuple]:
    since = timezone.now() - timedelta(days=days)
    return list(
        source.items.filter(received_at__gte=since)
        .annotate(day=TruncDate("received_at"))
        .values_list("day")
        .annotate(n=Count("id"))
        .order_by("-day")
    )


@login_required
def source_detail(request, pk):
    source = visible_sources(request.user).select_related("owner_team").filter(pk=pk).first()
    if source is None:
        raise Http404
    items = visible_items(request.user).filter(source=source).order_by("-received_at", "-id")[:PAGE_SIZE]
    context = {
        "source": source,
        "items": items,
        "per_day": items_per_day(source),
        "is_feed": source.kind == SourceKind.FEED,
        "groups": source.groups.order_by("state", "-last_seen")[:20],
    }
    return render(request, "alerts/source_detail.html", context)


@login_required
@require_POST
def patch_ticket(request, pk):
    item = visible_items(request.user).filter(pk=pk).first()
    if item is None:
        raise Http404
    try:
        ticket = release_open_patch_ticket(item=item, by=Actor.for_request(request, source=AuditSource.WEB))
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Ticket %(number)s opened.") % {"number": ticket.number})
    return redirect("alerts:source", pk=item.source_id)
