"""Reads of alerts, permission-aware (DESIGN.md §3.2).

Agents (and admins) see every source; anyone else sees the sources their own team owns.
Module admins (company admins, or holders of ``alerts.manage_sources``) manage sources.
"""

from django.db.models import QuerySet

from erp.people.roles import is_agent, is_module_admin
from erp.people.selectors import employee_of

from ..models import AlertGroup, Item, Source

GROUP_ORDER = (("state", False), ("last_seen", True), ("id", True))
GROUP_ORDER_BY = ("state", "-last_seen", "-id")


def _team_id(user):
    employee = employee_of(user)
    return employee.department_id if employee else None


def visible_sources(user) -> QuerySet:
    if user is None or not user.is_authenticated:
        return Source.objects.none()
    if is_agent(user):
        return Source.objects.all()
    team = _team_id(user)
    return Source.objects.filter(owner_team_id=team) if team else Source.objects.none()


def can_see_alerts(user) -> bool:
    return is_agent(user) or (_team_id(user) is not None and visible_sources(user).exists())


def visible_groups(user) -> QuerySet:
    """Groups of the sources ``user`` sees, firing first, then the most recently seen."""
    # "firing" sorts before "resolved": the state column orders them without a CASE, so the
    # (state, last_seen, id) index serves the list and its keyset pages.
    return (
        AlertGroup.objects.filter(source__in=visible_sources(user))
        .select_related("source", "ticket", "acknowledged_by")
        .order_by(*GROUP_ORDER_BY)
    )


def visible_items(user) -> QuerySet:
    return Item.objects.filter(source__in=visible_sources(user)).select_related("source", "group")


def can_act_on_source(user, source: Source) -> bool:
    """Acknowledge, snooze, resolve, open a ticket: agents, and the owner team's members."""
    if user is None or not user.is_authenticated:
        return False
    if is_agent(user):
        return True
    team = _team_id(user)
    return team is not None and team == source.owner_team_id


def can_act(user, group: AlertGroup) -> bool:
    return can_act_on_source(user, group.source)


def can_manage_sources(user) -> bool:
    return is_module_admin(user, "alerts")


def group_for(user, pk) -> AlertGroup | None:
    return visible_groups(user).filter(pk=pk).first()


def group_items(group: AlertGroup, limit: int = 200) -> list[Item]:
    return list(group.items.order_by("-received_at", "-id")[:limit])
