"""Slack messages print dates in one style (erp.core.dates, korean.md §4), never ISO or "n/j".

A source scan of every Slack builder (integrations/slack and the domain helpers whose text
Slack shows), and a rendered ticket card, leave DM and alert as a check of the output itself.
"""

import re
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace

from django.utils import translation

from erp.workcalendar.calendar import KST

ROOT = Path(__file__).resolve().parents[3]
# Domain code whose strings reach Slack: meetings' booking times, the ticket report periods,
# the alert ticket's description.
ALSO_SCANNED = ("meetings/services/rules.py", "tickets/reports.py", "alerts/services/actions.py")
# A form widget's HTML value, not a message.
NOT_MESSAGES = {"integrations/slack/core/channel_rules_admin.py"}
OLD_FORMATS = re.compile(r"%Y-%m-%d|Y-m-d|\bn/j\b|%m-%d|WEEKDAYS_ABBR")
ISO_DAY = re.compile(r"\b20\d\d-\d\d-\d\d\b")


def _sources():
    for path in sorted((ROOT / "integrations" / "slack").rglob("*.py")):
        if "migrations" not in path.parts:
            yield path
    for name in ALSO_SCANNED:
        yield ROOT / name


def test_no_slack_builder_formats_dates_by_hand():
    offenders = []
    for path in _sources():
        relative = str(path.relative_to(ROOT))
        if relative in NOT_MESSAGES:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if OLD_FORMATS.search(line):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert not offenders, "format dates with erp.core.dates:\n" + "\n".join(offenders)


def test_rendered_messages_use_the_korean_date_style():
    from integrations.slack.alerts.blocks import when
    from integrations.slack.leave.blocks import dates_label
    from integrations.slack.tickets.blocks.message import _when

    moment = datetime(2026, 11, 20, 9, 2, tzinfo=KST)
    leave = SimpleNamespace(start_date=date(2026, 12, 7), end_date=date(2026, 12, 9), part="full")
    with translation.override("ko"):
        shown = [_when(moment), when(moment), dates_label(leave)]
    assert shown == ["11월 20일 (금) 09:02", "11월 20일 (금) 09:02:00", "12월 7일 (월) ~ 12월 9일 (수)"]
    assert not any(ISO_DAY.search(text) for text in shown)
