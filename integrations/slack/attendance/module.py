"""How attendance plugs into Slack: punch DMs, the command, the Home section, the morning post."""

from attendance import signals
from attendance.models import WorkDay
from integrations.slack.attendance import blocks, command, home, receivers
from integrations.slack.attendance.jobs import MORNING_POST, attendance_morning_post
from integrations.slack.core.home import HomeSection
from integrations.slack.core.modules import Command, Job, Receiver, Scope, SlackModule, View

_SIGNALS = (
    (signals.checked_in, receivers.on_checked_in),
    (signals.checked_out, receivers.on_checked_out),
    (signals.weekly_threshold_crossed, receivers.on_threshold_crossed),
    (signals.weekly_cap_exceeded, receivers.on_cap_exceeded),
    (signals.weekly_breach_projected, receivers.on_breach_projected),
    (signals.missing_checkout, receivers.on_missing_checkout),
)

slack_module = SlackModule(
    label="attendance",
    receivers=tuple(Receiver(signal, handler, sender=WorkDay) for signal, handler in _SIGNALS),
    commands=(
        Command(
            "SLACK_ATTENDANCE_COMMAND",
            command.handle,
            description="Attendance: check in/out, my week (출근 / 퇴근 / 현황)",
            usage_hint="in [remote | client PLACE] | out | status | help",
        ),
    ),
    actions={blocks.CHECK_IN: home.on_check_in, blocks.CHECK_OUT: home.on_check_out},
    views=(View(blocks.CLIENT_PLACE, home.on_client_place),),
    home_sections=(HomeSection("attendance", order=20, build=home.attendance_section),),
    # Who works remotely or at a client today (names and locations, never times): from
    # ATTENDANCE_MORNING_POST_HOUR every 15 minutes until done; the task skips days off.
    jobs=(Job(attendance_morning_post.name, schedule=MORNING_POST.beat_schedule),),
    scopes=(Scope("commands", "the attendance slash command"),),
)
