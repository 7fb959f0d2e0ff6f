"""Who is on call: weekly rotation from the anchor date, overridden by dated overrides."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from erp.workcalendar.calendar import KST

from .models import OnCallMember, OnCallOverride, OnCallRotation

WEEK = timedelta(days=7)


def on_call_now(group, at: datetime | None = None):
    """The Employee on call for ``group`` (a Department) at ``at`` (default now), or None.

    An override covering ``at`` wins (the most recently created one if several overlap);
    otherwise the rotation member whose week it is, counted from the anchor's handoff moment
    (weeks before the anchor count backwards, so the answer is defined at any moment).
    """
    if group is None:
        return None
    at = at or timezone.now()
    rotation = OnCallRotation.objects.filter(group=group, is_active=True).first()
    if rotation is None:
        return None
    override = (
        OnCallOverride.objects.filter(rotation=rotation, starts_at__lte=at, ends_at__gt=at)
        .select_related("employee")
        .order_by("-created_at", "-id")
        .first()
    )
    if override is not None:
        return override.employee
    members = list(OnCallMember.objects.filter(rotation=rotation).select_related("employee"))
    if not members:
        return None
    start = datetime.combine(rotation.anchor_date, rotation.handoff_time, KST)
    weeks = (at - start) // WEEK
    return members[weeks % len(members)].employee


@dataclass(frozen=True)
class OnCallShift:
    """Who covers a group now, and who takes over at the next change (handoff or override)."""

    group: object
    now: object | None
    next: object | None
    next_from: datetime | None


def next_change(rotation: OnCallRotation, at: datetime) -> datetime:
    """The first moment after ``at`` when the answer of on_call_now may change: the next weekly
    handoff, or an override starting or ending before it."""
    start = datetime.combine(rotation.anchor_date, rotation.handoff_time, KST)
    handoff = start + ((at - start) // WEEK + 1) * WEEK
    moments = [handoff]
    for starts_at, ends_at in OnCallOverride.objects.filter(
        rotation=rotation, ends_at__gt=at, starts_at__lt=handoff
    ).values_list("starts_at", "ends_at"):
        moments += [m for m in (starts_at, ends_at) if at < m < handoff]
    return min(moments)


def on_call_overview(at: datetime | None = None) -> list[OnCallShift]:
    """Every active rotation's current and next person, by group name (readable by anyone:
    who to call is not a secret)."""
    at = at or timezone.now()
    shifts = []
    rotations = OnCallRotation.objects.filter(is_active=True, group__is_active=True).select_related("group")
    for rotation in rotations.order_by("group__name"):
        current = on_call_now(rotation.group, at)
        moment = next_change(rotation, at)
        following = on_call_now(rotation.group, moment)
        # An override may end without changing the person: look one step further then.
        if following == current:
            later = next_change(rotation, moment)
            moment, following = later, on_call_now(rotation.group, later)
        shifts.append(OnCallShift(rotation.group, current, following, moment))
    return shifts
