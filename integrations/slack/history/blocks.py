"""Block Kit for the history package: the search answer, the morning brief, the scheduled
reports. Pure functions: objects in, dicts out; every dynamic text escaped and clipped."""

from datetime import date

from django.utils.translation import gettext as _

from erp.core import dates
from integrations.slack.core.blocks import (
    MAX_BLOCKS,
    context,
    divider,
    header,
    link,
    portal_url,
    safe_mrkdwn,
    section,
    shows,
)
from integrations.slack.core.privacy.classes import INTERNAL, PUBLIC


def day_label(day: date) -> str:
    """``12월 2일 (수)`` in the active language (erp.core.dates, every Slack message's style)."""
    return dates.day_label(day)


def hits_blocks(title: str, groups, everything_url: str) -> list[dict]:
    """One section per module: its label, capped count and first hits as links."""
    blocks = [section(f"*{title}*")]
    for group in groups:
        lines = [f"*{safe_mrkdwn(str(group.source.label), 80)}* · {group.count.found}"]
        lines += [f"• {link(portal_url(hit.url), hit.title)}" for hit in group.hits]
        blocks += [divider(), section("\n".join(lines))]
    blocks.append(context(link(everything_url, _("All results on the portal"))))
    return blocks


@shows(kinds=("history.morning_brief",), day=PUBLIC, counts=PUBLIC, team=INTERNAL, names=INTERNAL)
def brief_message(team: str, day: date, parts) -> tuple[str, list[dict]]:
    """The morning brief: a header, then one section per module part (label, lines, link)."""
    title = _("%(team)s morning brief · %(day)s") % {"team": team, "day": day_label(day)}
    blocks = [header(title)]
    plain = [title]
    if not parts:
        blocks.append(section(_("Nothing to report this morning.")))
        plain.append(_("Nothing to report this morning."))
    for section_def, part in parts:
        lines = [
            f"*{safe_mrkdwn(str(section_def.label), 80)}*",
            *(f"• {safe_mrkdwn(line, 300)}" for line in part.lines),
        ]
        if part.link:
            lines.append(link(portal_url(part.link[1]), part.link[0]))
        blocks.append(section("\n".join(lines)))
        plain.append(f"{section_def.label}: " + " / ".join(part.lines))
    return "\n".join(plain), blocks[:MAX_BLOCKS]


@shows(kinds=("history.weekly_report", "history.monthly_report"), period=PUBLIC, figures=PUBLIC, team=INTERNAL)
def report_message(team: str, title: str, period_label: str, reports) -> tuple[str, list[dict]]:
    """A weekly or monthly report: per registered report, its headline figures and a link."""
    heading = _("%(team)s · %(title)s") % {"team": team, "title": title}
    blocks = [header(heading), context(safe_mrkdwn(period_label, 200))]
    plain = [heading, period_label]
    for report, figures, url in reports:
        text = "\n".join(f"{safe_mrkdwn(str(label), 60)}: *{safe_mrkdwn(str(value), 40)}*" for label, value in figures)
        blocks.append(section(f"*{safe_mrkdwn(str(report.label), 80)}*\n{text}"))
        blocks.append(context(link(url, _("Open the dashboard"))))
        plain.append(f"{report.label}: " + ", ".join(f"{label} {value}" for label, value in figures))
    return "\n".join(plain), blocks[:MAX_BLOCKS]
