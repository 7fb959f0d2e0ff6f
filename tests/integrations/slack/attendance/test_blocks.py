"""The attendance Block Kit builders: pure, escaped, within Slack's limits."""

from datetime import date

import pytest

from integrations.slack.attendance.blocks import (
    ElsewhereEntry,
    WeeklyAlert,
    client_place_modal,
    hours,
    morning_post,
    weekly_alert_dm,
)

pytestmark = pytest.mark.usefixtures("english")


def test_hours_are_hours_and_minutes():
    assert hours(0) == "0 m" and hours(125) == "2 h 5 m" and hours(52 * 60) == "52 h"
    assert hours(-5) == "0 m"


def test_a_big_morning_post_stays_within_slack_limits():
    entries = [ElsewhereEntry(name=f"직원{i:03d}" * 3, location="client", place="고객사 " * 15) for i in range(400)]
    text, blocks = morning_post(day=date(2026, 11, 20), department_name="인프라팀", entries=entries)
    assert len(blocks) <= 50
    assert all(len(block["text"]["text"]) <= 3000 for block in blocks if block["type"] == "section")


def test_a_morning_post_too_long_for_one_message_says_how_many_more():
    from integrations.slack.attendance.blocks import MAX_MORNING_SECTIONS, MORNING_LINES_PER_SECTION

    shown = MAX_MORNING_SECTIONS * MORNING_LINES_PER_SECTION
    entries = [ElsewhereEntry(name=f"P{i}", location="remote") for i in range(shown + 7)]
    _text, blocks = morning_post(day=date(2026, 11, 20), department_name="인프라팀", entries=entries)
    assert len(blocks) <= 50
    assert blocks[-1]["type"] == "context" and blocks[-1]["elements"][0]["text"] == "…and 7 more people"
    _text, blocks = morning_post(day=date(2026, 11, 20), department_name="인프라팀", entries=entries[: shown + 1])
    assert blocks[-1]["elements"][0]["text"] == "…and 1 more person"
    _text, blocks = morning_post(day=date(2026, 11, 20), department_name="인프라팀", entries=entries[:shown])
    assert blocks[-1]["type"] == "section"


def test_manager_warning_mentions_the_person_and_escapes_the_name():
    alert = WeeklyAlert(
        kind="threshold",
        week_start=date(2026, 11, 16),
        week_minutes=49 * 60,
        cap_minutes=52 * 60,
        threshold_minutes=48 * 60,
        about_name="<b>Kim</b>",
        about_slack_user_id="",
    )
    text, blocks = weekly_alert_dm(alert)
    assert "&lt;b&gt;Kim&lt;/b&gt; has worked 49 h" in blocks[0]["text"]["text"]
    assert text.startswith("<b>Kim</b> has worked")  # the fallback text is plain


def test_client_place_modal_respects_slack_limits():
    view = client_place_modal({"from": "home"})
    assert len(view["title"]["text"]) <= 24 and len(view["submit"]["text"]) <= 24
    assert view["blocks"][0]["element"]["max_length"] == 100


def test_client_place_modal_metadata_stays_valid_json_when_long():
    import json

    view = client_place_modal({"response_url": "https://hooks.slack.com/actions/" + "x" * 4000, "from": "home"})
    assert json.loads(view["private_metadata"]) == {"from": "home"}
