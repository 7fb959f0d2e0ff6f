"""Who is on call: weekly rotation from the anchor date, overridden by dated overrides."""

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
