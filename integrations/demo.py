"""Demo routing rules and an on-call rotation, so the Slack previews show real routing."""

from datetime import datetime, timedelta

from erp.people.models import Department, Employee
from erp.workcalendar.calendar import KST
from integrations.slack.core.models import RoutingRule, TimeWindow
from tickets.oncall.models import OnCallMember, OnCallRotation

CRITICAL_CHANNEL = "C0INCIDENT1"
RULES = [
    # name, position, priorities, time window, channels, to group channel, mentions
    ("P1/P2 on holidays → incidents channel", 10, ["P1", "P2"], TimeWindow.HOLIDAY, CRITICAL_CHANNEL, False, ""),
    ("P1 after hours → incidents channel", 20, ["P1"], TimeWindow.AFTER_HOURS, CRITICAL_CHANNEL, True, ""),
    ("P1/P2 in business hours → group channel", 30, ["P1", "P2"], TimeWindow.BUSINESS_HOURS, "", True, ""),
]
ROTATION = ["seoyeon.lee", "dohyun.park", "jiwoo.choi"]


def seed(stdout, *, now: datetime) -> None:
    for name, position, priorities, window, channels, to_group, mentions in RULES:
        RoutingRule.objects.update_or_create(
            name=name,
            defaults={
                "position": position,
                "priorities": priorities,
                "time_window": window,
                "channels": channels,
                "to_group_channel": to_group,
                "mentions": mentions,
            },
        )
    infra = Department.objects.filter(code="infra").first()
    if infra is not None:
        today = now.astimezone(KST).date()
        monday = today - timedelta(days=today.weekday())
        rotation, _ = OnCallRotation.objects.get_or_create(group=infra, defaults={"anchor_date": monday})
        for position, username in enumerate(ROTATION):
            employee = Employee.objects.filter(user__username=username).first()
            if employee is not None:
                OnCallMember.objects.get_or_create(
                    rotation=rotation, employee=employee, defaults={"position": position}
                )
    stdout.write(f"Slack routing: {len(RULES)} demo rules, on-call rotation for the infra group")
