"""Attendance messages and views: pure Block Kit builders (objects in, dicts out, no queries).

Times are shown in KST. Every figure comes from attendance.selectors (DaySummary /
WeekSummary / AttendanceStatus) or from the signal's kwargs, so a DM, the status command
and the Home tab always agree with the portal.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from attendance.models import Location
from erp.core import dates
from erp.core.dates import time_label
from erp.core.durations import minutes_label
from integrations.slack.core.blocks import (
    actions,
    button,
    context,
    escape,
    fields_section,
    header,
    plain,
    private_metadata,
    safe_mrkdwn,
    section,
    shows,
    user_mention,
)
from integrations.slack.core.privacy.classes import INTERNAL, PERSONAL, PUBLIC

CHECK_IN = "attendance.check_in"
CHECK_IN_AT_PLACE = "attendance.check_in_at_place"
CHECK_OUT = "attendance.check_out"
CLIENT_PLACE = "attendance.client_place"
PLACE_BLOCK = "place"
PLACE_INPUT = "place"
PLACE_MAX_LENGTH = 100  # attendance.services.punches.PLACE_MAX_LENGTH
HOME_BLOCK = "attendance.home.actions"
MORNING_LINES_PER_SECTION = 30
MAX_MORNING_SECTIONS = 45  # + the header, under the 50 blocks of a message


# --- small formatters ---------------------------------------------------------------------


def hours(minutes: int) -> str:
    """``7 h 5 m``, ``52 h``, ``47 m``: no zero parts, never a decimal ("7.08 h" reads as 7 h 8 m)."""
    return minutes_label(minutes)


def clock(moment: datetime | None) -> str:
    """``09:05`` in KST; "—" when there is no time."""
    return time_label(moment)


def day_label(day: date) -> str:
    """``11월 20일 (금)`` (erp.core.dates, the one style of every Slack message)."""
    return dates.day_label(day)


def location_label(location: str, place: str = "") -> str:
    """ "Client site (삼성전자)" / "외근(삼성전자)" — the place only for a client site (a remote place
    is private). One translatable phrase, so Korean attaches the parenthesis (korean.md §4)."""
    if location == Location.CLIENT and place:
        return _("Client site (%(place)s)") % {"place": place}
    return str(Location(location).label) if location in Location.values else (location or "—")


def _week_line(week_minutes: int, remaining_minutes: int, cap_minutes: int) -> str:
    return _("This week: %(total)s of %(cap)s · %(left)s left") % {
        "total": hours(week_minutes),
        "cap": hours(cap_minutes),
        "left": hours(remaining_minutes),
    }


# --- DMs ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PunchNotice:
    """What a check-in / check-out DM shows (the checked_in / checked_out signal's figures)."""

    checked_in: bool
    at: datetime
    location: str
    place: str
    today_minutes: int
    week_minutes: int
    remaining_minutes: int
    cap_minutes: int


@shows(
    kinds=("attendance.checked_in", "attendance.checked_out"),
    day=PUBLIC,
    punch_times=PERSONAL,
    location=PERSONAL,
    hours_worked=PERSONAL,
)
def punch_dm(notice: PunchNotice) -> tuple[str, list]:
    """The DM after a check-in or check-out: time (KST), location, today, week, what remains."""
    where = location_label(notice.location, notice.place)
    if notice.checked_in:
        title = _("Checked in at %(time)s (KST) · %(where)s") % {"time": clock(notice.at), "where": where}
    else:
        title = _("Checked out at %(time)s (KST) · %(where)s") % {"time": clock(notice.at), "where": where}
    today = _("Today so far: %(hours)s") % {"hours": hours(notice.today_minutes)}
    week = _week_line(notice.week_minutes, notice.remaining_minutes, notice.cap_minutes)
    blocks = [
        section(f"*{safe_mrkdwn(title)}*"),
        fields_section(
            [
                (_("Today"), hours(notice.today_minutes)),
                (_("This week"), hours(notice.week_minutes)),
                (_("Left to %(cap)s") % {"cap": hours(notice.cap_minutes)}, hours(notice.remaining_minutes)),
                (_("Location"), safe_mrkdwn(where, 200)),
            ]
        ),
    ]
    return f"{title}\n{today}\n{week}", blocks


@dataclass(frozen=True)
class WeeklyAlert:
    """A weekly-hours warning (threshold, cap exceeded or projected breach) for one reader."""

    kind: str  # "threshold" | "cap" | "projected"
    week_start: date
    week_minutes: int
    cap_minutes: int
    threshold_minutes: int = 0
    projected_minutes: int = 0
    current_week: bool = True
    # Set when the reader is the person's manager, not the person.
    about_name: str = ""
    about_slack_user_id: str = ""

    @property
    def remaining_minutes(self) -> int:
        return max(0, self.cap_minutes - self.week_minutes)


def _weekly_template(alert: WeeklyAlert) -> str:
    if not alert.current_week:
        return _past_week_template(alert)
    if alert.about_name:
        if alert.kind == "projected":
            return _("%(name)s is on course for %(projected)s this week, over the %(cap)s cap.")
        if alert.kind == "cap":
            return _("%(name)s has worked %(total)s this week, over the %(cap)s cap.")
        return _("%(name)s has worked %(total)s this week (warning at %(threshold)s, cap %(cap)s).")
    if alert.kind == "projected":
        return _("At this pace you will work %(projected)s this week, over the %(cap)s cap.")
    if alert.kind == "cap":
        return _("You have worked %(total)s this week, over the %(cap)s cap.")
    return _("You have worked %(total)s this week (warning at %(threshold)s, cap %(cap)s).")


def _past_week_template(alert: WeeklyAlert) -> str:
    """A past week pushed over by late punches or a correction: named by its Monday, not "this week"."""
    if alert.about_name:
        if alert.kind == "cap":
            return _("%(name)s worked %(total)s in the week of %(week)s, over the %(cap)s cap.")
        return _("%(name)s worked %(total)s in the week of %(week)s (warning at %(threshold)s, cap %(cap)s).")
    if alert.kind == "cap":
        return _("You worked %(total)s in the week of %(week)s, over the %(cap)s cap.")
    return _("You worked %(total)s in the week of %(week)s (warning at %(threshold)s, cap %(cap)s).")


@shows(kinds=("attendance.weekly_*",), week=PUBLIC, employee=INTERNAL, weekly_hours=PERSONAL, overtime=PERSONAL)
def weekly_alert_dm(alert: WeeklyAlert) -> tuple[str, list]:
    """The 52-hour warning DM, worded for the person or for their manager."""
    template = _weekly_template(alert)
    figures = {
        "total": hours(alert.week_minutes),
        "threshold": hours(alert.threshold_minutes),
        "cap": hours(alert.cap_minutes),
        "projected": hours(alert.projected_minutes),
        "week": day_label(alert.week_start),
    }
    headline = template % {**figures, "name": alert.about_name}
    # In the blocks a manager gets a mention of the person (clickable), the rest escaped.
    shown = escape(template) % {**figures, "name": user_mention(alert.about_slack_user_id, alert.about_name)}
    week = _("Week of %(day)s") % {"day": day_label(alert.week_start)}
    if not alert.current_week:
        week = _("%(week)s (late punches or a correction changed this past week)") % {"week": week}
    if not alert.current_week:
        advice = _("That week is over. If its times are wrong, please ask for a correction in the portal.")
    elif alert.kind == "cap":
        advice = _("The legal weekly limit is exceeded; please plan time off with your manager.")
    elif alert.about_name:
        advice = _("Please plan the rest of the week so the %(cap)s cap is kept.") % {"cap": hours(alert.cap_minutes)}
    else:
        advice = _("%(left)s left to the %(cap)s cap. Please plan the rest of the week with your manager.") % {
            "left": hours(alert.remaining_minutes),
            "cap": hours(alert.cap_minutes),
        }
    blocks = [section(f":warning: *{shown}*"), section(safe_mrkdwn(advice)), context(safe_mrkdwn(week))]
    return f"{headline} {advice}", blocks


@shows(kinds=("attendance.missing_checkout",), day=PUBLIC, checked_in_at=PERSONAL)
def missing_checkout_dm(*, day: date, checked_in_at: datetime | None, command: str) -> tuple[str, list]:
    """The reminder to someone checked in but not out; nothing was closed for them."""
    text = _("You checked in at %(time)s on %(day)s but have not checked out.") % {
        "time": clock(checked_in_at),
        "day": day_label(day),
    }
    advice = _(
        "Check out with `%(command)s out` (or the button in the Haru app) when you finish; "
        "if you forgot, ask for a correction in the portal. Nothing was closed automatically."
    ) % {"command": safe_mrkdwn(command, 40)}
    return f"{text} {advice}", [section(f"*{safe_mrkdwn(text)}*"), section(advice)]


# --- status (command reply and Home tab) --------------------------------------------------


def status_lines(status) -> list[str]:
    """Today's state in mrkdwn lines, from an attendance.selectors.AttendanceStatus."""
    day = status.open_day or status.today
    if status.is_checked_in:
        state = _("Checked in at %(time)s (KST) · %(where)s") % {
            "time": clock(day.first_in),
            "where": location_label(day.location, day.place),
        }
    elif day.first_in and day.last_out:
        state = _("Checked out at %(time)s (KST) · in since %(since)s · %(where)s") % {
            "time": clock(day.last_out),
            "since": clock(day.first_in),
            "where": location_label(day.location, day.place),
        }
    elif day.is_missing:
        state = _("Checked in at %(time)s but no check-out was recorded.") % {"time": clock(day.first_in)}
    elif day.holiday_name:
        state = _("Not checked in · %(holiday)s") % {"holiday": day.holiday_name}
    else:
        state = _("Not checked in today.")
    week = status.week
    lines = [f"*{safe_mrkdwn(state)}*"]
    if status.on_break_since:
        lines.append(safe_mrkdwn(_("On a break since %(time)s.") % {"time": clock(status.on_break_since)}))
    return [
        *lines,
        safe_mrkdwn(_("Today so far: %(hours)s") % {"hours": hours(day.worked_minutes)}),
        safe_mrkdwn(_week_line(week.total_minutes, week.remaining_minutes, week.cap_minutes)),
    ]


def _level_marker(level: str) -> str:
    return {"over": ":red_circle:", "warning": ":large_orange_circle:"}.get(level, ":large_green_circle:")


def location_options() -> list[dict]:
    return [
        {"text": plain(Location(value).label, 75), "value": value}
        for value in (Location.OFFICE, Location.REMOTE, Location.CLIENT)
    ]


def punch_controls(status, *, block_id: str = HOME_BLOCK) -> dict:
    """Check out when checked in; otherwise a location menu that checks in on choice.

    A static_select (not three buttons): action ids must be unique within a block, and the
    menu keeps the location choice and the check-in one click.
    """
    if status.is_checked_in:
        return actions(button(_("Check out"), action_id=CHECK_OUT, value="out", style="danger"), block_id=block_id)
    menu = {
        "type": "static_select",
        "action_id": CHECK_IN,
        "placeholder": plain(_("Check in from…"), 150),
        "options": location_options(),
    }
    if not status.expected_place:
        return actions(menu, block_id=block_id)
    # Today's client meeting names the site: one click checks in there. A button beside the
    # menu, not a preselected option: Slack sends no action when the preselected option is
    # picked again, so a preselect would make that choice a dead click.
    place = status.expected_place[:PLACE_MAX_LENGTH]
    at_place = button(
        _("Check in at %(place)s") % {"place": place}, action_id=CHECK_IN_AT_PLACE, value=place, style="primary"
    )
    return actions(at_place, menu, block_id=block_id)


def status_blocks(status, *, title: str = "", with_controls: bool = True) -> list[dict]:
    lines = status_lines(status)
    blocks = [section(f"{_level_marker(status.week.level)} " + "\n".join(lines))]
    if title:
        blocks.insert(0, section(f"*{safe_mrkdwn(title)}*"))
    if with_controls:
        blocks.append(punch_controls(status))
    return blocks


def status_message(status, *, headline: str = "") -> tuple[str, list]:
    """An ephemeral status answer (optionally after "Checked in …"), with its controls."""
    lines = status_lines(status)
    text = "\n".join([headline, *lines]) if headline else "\n".join(lines)
    blocks = status_blocks(status, with_controls=True)
    if headline:
        blocks.insert(0, section(f":white_check_mark: *{safe_mrkdwn(headline)}*"))
    return text.replace("*", ""), blocks


def home_section(status) -> list[dict]:
    """The attendance part of a person's App Home tab."""
    return status_blocks(status, title=_("Attendance"))


def client_place_modal(metadata: dict | None = None, *, place: str = "") -> dict:
    """Asks which client site, then checks in there (callback attendance.client_place);
    ``place`` prefills it (e.g. the client site of today's meeting)."""
    element = {
        "type": "plain_text_input",
        "action_id": PLACE_INPUT,
        "max_length": PLACE_MAX_LENGTH,
        "placeholder": plain(_("e.g. Samsung Electronics, Suwon"), 150),
    }
    if place:
        element["initial_value"] = place[:PLACE_MAX_LENGTH]
    return {
        "type": "modal",
        "callback_id": CLIENT_PLACE,
        "title": plain(_("Check in at a client"), 24),
        "submit": plain(_("Check in"), 24),
        "close": plain(_("Cancel"), 24),
        "private_metadata": private_metadata(metadata or {}),
        "blocks": [
            {
                "type": "input",
                "block_id": PLACE_BLOCK,
                "label": plain(_("Client site"), 2000),
                "element": element,
            }
        ],
    }


def help_message(command: str, *, break_punches: bool = False) -> tuple[str, list]:
    rows = [
        ("in | 출근", _("check in at the office")),
        ("in remote | 출근 재택", _("check in working from home")),
        (_("in client PLACE | 출근 고객사 PLACE"), _("check in at a client site (say which)")),
        ("out | 퇴근", _("check out")),
        ("status | 현황", _("today's times and this week's hours")),
        ("help | 도움말", _("this list")),
    ]
    if break_punches:  # the company records breaks by punches (workcalendar.BreakPolicy)
        rows[4:4] = [("break | 휴게", _("start a break")), ("back | 복귀", _("end the break"))]
    lines = [f"`{safe_mrkdwn(command, 40)} {safe_mrkdwn(usage, 120)}` {safe_mrkdwn(what, 200)}" for usage, what in rows]
    title = _("Attendance in Slack")
    note = _("After every check-in and check-out you get a DM with your hours.")
    return title + "\n" + "\n".join(lines), [header(title), section("\n".join(lines)), context(safe_mrkdwn(note))]


# --- the morning team post ----------------------------------------------------------------


@dataclass(frozen=True)
class ElsewhereEntry:
    name: str
    location: str
    place: str = ""
    slack_user_id: str = ""


def where(entry: ElsewhereEntry) -> str:
    return location_label(entry.location, entry.place)


@dataclass(frozen=True)
class AwayEntry:
    """Someone on approved leave today: a name only, never the kind of leave."""

    name: str
    slack_user_id: str = ""


@shows(kinds=("attendance.morning_post",), day=PUBLIC, department=INTERNAL, people=INTERNAL, whereabouts=PERSONAL)
def morning_post(
    *, day: date, department_name: str, entries: list[ElsewhereEntry], away: list[AwayEntry] = ()
) -> tuple[str, list]:
    """Who works remotely or at a client today and who is on leave: names and location only,
    NEVER times."""
    title = _("%(team)s · working elsewhere today (%(day)s)") % {"team": department_name, "day": day_label(day)}
    lines = [f"• {user_mention(entry.slack_user_id, entry.name)} — {safe_mrkdwn(where(entry))}" for entry in entries]
    plain_lines = [f"• {entry.name} — {where(entry)}" for entry in entries]
    on_leave = _("On leave")
    lines += [f"• {user_mention(entry.slack_user_id, entry.name)} — {on_leave}" for entry in away]
    plain_lines += [f"• {entry.name} — {on_leave}" for entry in away]
    # Sections of a few dozen lines stay far below Slack's 3000 characters per section.
    sections = [
        section("\n".join(lines[i : i + MORNING_LINES_PER_SECTION]))
        for i in range(0, len(lines), MORNING_LINES_PER_SECTION)
    ]
    blocks = [header(title), *sections[:MAX_MORNING_SECTIONS]]
    if len(sections) > MAX_MORNING_SECTIONS:
        # Never drop people silently: say how many did not fit in Slack's 50 blocks.
        hidden = len(lines) - MAX_MORNING_SECTIONS * MORNING_LINES_PER_SECTION
        more = ngettext("…and %(count)d more person", "…and %(count)d more people", hidden) % {"count": hidden}
        blocks.append(context(safe_mrkdwn(more)))
    return title + "\n" + "\n".join(plain_lines), blocks
