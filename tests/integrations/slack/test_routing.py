"""Routing matrix: event, type, priority, group and time window (business / after hours / holiday)."""

from datetime import datetime

import pytest
from django.urls import reverse

from erp.workcalendar.calendar import KST, get_calendar
from erp.workcalendar.models import CompanyDayOff
from integrations.slack.core.channel_rules import RouteQuery, resolve, time_windows
from integrations.slack.core.models import RoutingRule, TimeWindow

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

MONDAY_10 = datetime(2026, 9, 21, 10, 0, tzinfo=KST)
MONDAY_22 = datetime(2026, 9, 21, 22, 0, tzinfo=KST)
SATURDAY_11 = datetime(2026, 9, 19, 11, 0, tzinfo=KST)
# 2026-03-02 (Mon) is the substitute holiday for 삼일절, which falls on a Sunday.
SUBSTITUTE_HOLIDAY_10 = datetime(2026, 3, 2, 10, 0, tzinfo=KST)


@pytest.fixture
def rules(people):
    infra = people["infra"]
    holiday = RoutingRule.objects.create(
        name="P1/P2 on holidays",
        position=10,
        priorities=["P1", "P2"],
        time_window=TimeWindow.HOLIDAY,
        channels="CHOLIDAY1",
        mentions="SONCALL01",
    )
    night = RoutingRule.objects.create(
        name="P1 after hours",
        position=20,
        priorities=["P1"],
        time_window=TimeWindow.AFTER_HOURS,
        channels="CNIGHT001",
        mentions="SONCALL01",
    )
    infra_business = RoutingRule.objects.create(
        name="infra incidents in business hours",
        position=30,
        ticket_types=["incident"],
        time_window=TimeWindow.BUSINESS_HOURS,
        to_group_channel=True,
        channels="CITOPS001",
        continue_matching=True,
    )
    infra_business.groups.add(infra)
    RoutingRule.objects.create(
        name="service requests", position=40, ticket_types=["service_request"], channels="CSERVICE1"
    )
    RoutingRule.objects.create(name="disabled", position=1, channels="COFF00001", is_active=False)
    return {"holiday": holiday, "night": night, "infra_business": infra_business}


def query(people, priority="P3", ticket_type="incident", group="infra", moment=MONDAY_10, kind="tickets.created"):
    group_obj = people[group] if group else None
    routes = resolve(
        RouteQuery(kind, ticket_type, priority, group_obj.pk if group_obj else None, moment),
        group_channel=group_obj.slack_channel_id if group_obj else "",
    )
    return routes


def test_calendar_preconditions():
    calendar = get_calendar()
    assert calendar.is_holiday(SUBSTITUTE_HOLIDAY_10.date()) and SUBSTITUTE_HOLIDAY_10.weekday() == 0
    assert time_windows(MONDAY_10) == {TimeWindow.BUSINESS_HOURS}
    assert time_windows(MONDAY_22) == {TimeWindow.AFTER_HOURS}
    assert time_windows(SATURDAY_11) == {TimeWindow.AFTER_HOURS}
    assert time_windows(SUBSTITUTE_HOLIDAY_10) == {TimeWindow.HOLIDAY, TimeWindow.AFTER_HOURS}


@pytest.mark.parametrize(
    ("priority", "ticket_type", "group", "moment", "channels", "mentions"),
    [
        ("P1", "incident", "infra", MONDAY_10, ["CITOPS001", "CINFRA001"], []),
        ("P1", "incident", "infra", MONDAY_22, ["CNIGHT001"], ["SONCALL01"]),
        ("P1", "incident", "infra", SATURDAY_11, ["CNIGHT001"], ["SONCALL01"]),
        ("P1", "incident", "infra", SUBSTITUTE_HOLIDAY_10, ["CHOLIDAY1"], ["SONCALL01"]),
        ("P2", "incident", "infra", SUBSTITUTE_HOLIDAY_10, ["CHOLIDAY1"], ["SONCALL01"]),
        ("P2", "incident", "infra", MONDAY_22, ["CINFRA001"], []),  # no rule: the group's channel
        ("P3", "incident", "dev", MONDAY_10, ["CDEV00001"], []),
        ("P3", "service_request", "dev", MONDAY_22, ["CSERVICE1"], []),
        ("P4", "incident", None, MONDAY_22, [], []),  # no rule, no group, no default channel
    ],
)
def test_routing_matrix(people, rules, priority, ticket_type, group, moment, channels, mentions):
    routes = query(people, priority=priority, ticket_type=ticket_type, group=group, moment=moment)
    assert routes.channels == channels
    assert routes.mentions == mentions


def test_continue_matching_collects_later_rules_too(people, rules):
    routes = query(people, priority="P3", ticket_type="incident", moment=MONDAY_10)
    assert [r.name for r in routes.rules] == ["infra incidents in business hours"]
    assert routes.channels == ["CITOPS001", "CINFRA001"]


def test_default_channel_when_nothing_else(people, settings):
    settings.SLACK_DEFAULT_CHANNEL = "CDEFAULT1"
    routes = query(people, group=None)
    assert routes.channels == ["CDEFAULT1"] and routes.fallback == "default"


def test_company_day_off_counts_as_holiday(people, rules):
    from erp.workcalendar.calendar import invalidate_calendar

    CompanyDayOff.objects.create(date=MONDAY_10.date(), name="창립기념일")
    invalidate_calendar()
    routes = query(people, priority="P1", moment=MONDAY_10)
    assert routes.channels == ["CHOLIDAY1"]


def test_event_kind_filter(people):
    RoutingRule.objects.create(name="breaches", event_kinds=["tickets.sla_breached"], channels="CBREACH01")
    assert query(people, kind="tickets.sla_breached").channels == ["CBREACH01"]
    assert query(people, kind="tickets.created").channels == ["CINFRA001"]


def test_admin_dry_run_shows_the_rule_hit(admin_client, people, rules):
    url = reverse("admin:integrations_routingrule_dry_run")
    response = admin_client.get(
        url,
        {
            "kind": "tickets.created",
            "ticket_type": "incident",
            "priority": "P1",
            "group": people["infra"].pk,
            "moment": "2026-09-21T22:00",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "CNIGHT001" in page and "&lt;!subteam^SONCALL01&gt;" in page and "P1 after hours" in page
    assert admin_client.get(url).status_code == 200
    assert admin_client.get(reverse("admin:integrations_routingrule_changelist")).status_code == 200


def test_admin_form_validates_channels_and_mentions(admin_client):
    response = admin_client.post(
        reverse("admin:integrations_routingrule_add"),
        {
            "name": "bad",
            "position": 1,
            "is_active": "on",
            "time_window": "any",
            "channels": "general",
            "mentions": "@kim",
        },
    )
    assert response.status_code == 200
    assert not RoutingRule.objects.exists()
    page = response.content.decode()
    assert "Not a Slack channel id" in page and "S0123ABCD" in page


def test_demo_seed_is_idempotent(people):
    import io

    from integrations import demo
    from tickets.oncall.models import OnCallRotation

    now = datetime(2026, 12, 2, 10, 0, tzinfo=KST)
    demo.seed(io.StringIO(), now=now)
    demo.seed(io.StringIO(), now=now)
    assert RoutingRule.objects.count() == len(demo.RULES)
    assert OnCallRotation.objects.filter(group=people["infra"]).count() == 1
    assert OnCallRotation.objects.get(group=people["infra"]).anchor_date == datetime(2026, 11, 30).date()  # its Monday
