"""Block Kit for the daily ticket digest (pure; the figures come from tickets.reports)."""

from datetime import timedelta

from django.utils.translation import gettext as _

from erp.core.durations import minutes_label
from integrations.slack.core.blocks import context, fields_section, header, safe_mrkdwn, shows
from integrations.slack.core.privacy.classes import INTERNAL, PUBLIC
from tickets.reports import DigestFigures


def duration_label(value: timedelta | None) -> str:
    if value is None:
        return "—"
    return minutes_label(int(value.total_seconds() // 60))


def satisfaction_label(average: float | None, count: int) -> str:
    if average is None or not count:
        return "—"
    return _("%(avg).1f / 5 (%(count)d ratings)") % {"avg": average, "count": count}


@shows(kinds=("tickets.digest",), counts=PUBLIC, durations=PUBLIC, satisfaction=PUBLIC, group=INTERNAL)
def digest_message(group_name: str, period_label: str, figures: DigestFigures) -> tuple[str, list[dict]]:
    compliance = figures.sla_compliance
    compliance_label = "—" if compliance is None else f"{compliance:.0f}% ({figures.sla_met}/{figures.sla_measured})"
    breaches = str(figures.open_breaches) if not figures.open_breaches else f"🚨 {figures.open_breaches}"
    title = _("Ticket digest · %(group)s") % {"group": group_name}
    blocks = [
        header(f"📊 {title}"),
        context(safe_mrkdwn(period_label, 200)),
        fields_section(
            [
                (_("New"), str(figures.new)),
                (_("Resolved"), str(figures.resolved)),
                (_("Avg. first response"), duration_label(figures.avg_first_response)),
                (_("Avg. resolution time"), duration_label(figures.avg_resolution)),
                (_("SLA compliance"), compliance_label),
                (_("Open SLA breaches"), breaches),
                (_("Satisfaction"), satisfaction_label(figures.avg_satisfaction, figures.ratings)),
            ]
        ),
    ]
    text = _("%(title)s: %(new)d new, %(resolved)d resolved, %(breaches)d open breaches") % {
        "title": title,
        "new": figures.new,
        "resolved": figures.resolved,
        "breaches": figures.open_breaches,
    }
    return text, blocks
