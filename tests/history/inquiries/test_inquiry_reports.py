"""The inquiry rollup, report, widget and brief section (inquiries/rollup.py, dashboard.py, brief.py).

The rollup equals the raw aggregates of the inquiries table after random changes through the
services, folded at random moments; the report follows the module's permission rule; the
brief goes to the sales and marketing teams only and names nobody."""

import csv
import io
import random
from collections import Counter
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from erp.history.brief import brief_for
from erp.history.models import RollupCell, TeamBrief
from erp.history.rollups import fold, fold_all, get_rollup
from erp.history.widgets import widgets_for
from erp.people.models import Department
from erp.workcalendar.calendar import KST
from inquiries.models import OPEN_STATUSES, Category, Inquiry, InquirySource, Status
from inquiries.rollup import CATEGORY_CODES, SOURCE_CODES
from inquiries.services import (
    inquiry_assign,
    inquiry_change_status,
    inquiry_convert_to_ticket,
    inquiry_mark_spam,
    inquiry_release,
)
from integrations.slack.core.models import SlackMessage
from integrations.slack.inquiries.jobs import send_nudge
from tests.history.conftest import assert_cells_sql_agrees, brief_round_trip

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
REFUSED = (ValidationError, PermissionDenied)
TODAY = date(2026, 12, 2)  # the pinned working Wednesday


def kst_day(moment):
    return timezone.localtime(moment, KST).date()


def rolled(metric):
    """{(day, source code, category code): (total, n)} as the cells hold it."""
    rows = RollupCell.objects.filter(rollup="inquiries", metric=metric).values("day", "scope", "extra")
    return {
        (r["day"], r["scope"], r["extra"]): (round(r["t"], 1), r["c"])
        for r in rows.annotate(t=Sum("total"), c=Sum("n")).order_by()
        if r["c"]
    }


def raw_figures():
    """The oracle: the same figures straight from the inquiries table."""
    counts = {m: Counter() for m in ("received", "spam", "converted", "first_answer", "unanswered")}
    minutes = Counter()
    for inquiry in Inquiry.objects.all():
        key = (kst_day(inquiry.received_at), SOURCE_CODES[inquiry.source], CATEGORY_CODES[inquiry.category])
        if inquiry.status == Status.SPAM:
            counts["spam"][key] += 1
            continue
        counts["received"][key] += 1
        if inquiry.ticket_links.exists():
            counts["converted"][key] += 1
        if inquiry.answered_at:
            answered = (kst_day(inquiry.answered_at), *key[1:])
            counts["first_answer"][answered] += 1
            minutes[answered] += (inquiry.answered_at - inquiry.received_at).total_seconds() / 60
        elif inquiry.status in OPEN_STATUSES:
            counts["unanswered"][key] += 1
    return counts, minutes


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_inquiry_rollup_equals_raw_aggregates_after_random_changes(seed, receive, team, time_machine):
    rng = random.Random(seed)
    rollup = get_rollup("inquiries")
    inquiries = []
    time_machine.move_to(timezone.datetime(2026, 11, 20, 9, 0, tzinfo=KST), tick=False)
    for step in range(40):
        time_machine.shift(timedelta(minutes=rng.choice([3, 45, 300, 900])))
        op = rng.choice(["receive", "receive", "assign", "status", "answer", "convert", "spam", "release", "fold"])
        inquiry = rng.choice(inquiries) if inquiries else None
        if inquiry is not None:
            inquiry.refresh_from_db()
        try:
            if op == "receive" or inquiry is None:
                inquiries.append(
                    receive(
                        source=rng.choice(InquirySource.values),
                        category=rng.choice(Category.values),
                        email=f"customer{step}@example.com",
                        phone=f"010-5555-{step:04d}",
                        **({"website": "spam"} if rng.random() < 0.15 else {}),
                    )
                )
            elif op == "assign":
                inquiry_assign(inquiry=inquiry, assignee=rng.choice([team["sales"], team["sales2"]]), by=team["sales"])
            elif op == "status":
                status = rng.choice([Status.IN_PROGRESS, Status.CLOSED, Status.NEW])
                inquiry_change_status(inquiry=inquiry, status=status, by=team["sales"])
            elif op == "answer":
                inquiry_change_status(inquiry=inquiry, status=Status.ANSWERED, by=team["sales"])
            elif op == "convert":
                inquiry_convert_to_ticket(inquiry=inquiry, by=team["sales"])
            elif op == "spam":
                inquiry_mark_spam(inquiry=inquiry, by=team["sales"])
            elif op == "release":
                inquiry_release(inquiry=inquiry, by=team["sales"])
            else:
                fold(rollup)
        except REFUSED:
            pass  # a change the workflow refuses (converting spam …) changes nothing
    fold(rollup)
    counts, minutes = raw_figures()
    assert counts["converted"] and counts["first_answer"] and counts["unanswered"]  # the walk reached them
    for metric, expected in counts.items():
        assert {k: n for k, (_t, n) in rolled(metric).items()} == dict(expected), metric
    assert {k: t for k, (t, _n) in rolled("first_answer").items()} == pytest.approx(dict(minutes))
    assert_cells_sql_agrees(rollup)
    assert fold(rollup).changed == 0


@pytest.fixture
def folded(receive, team, time_machine):
    """Yesterday: two website quote requests (one converted), one widget demo request, one spam."""
    time_machine.move_to(timezone.datetime(2026, 12, 1, 11, 0, tzinfo=KST), tick=False)
    quote = receive(category="quote", email="a@example.com", name="김민수 010-9876-5432")
    receive(category="quote", email="b@example.com")
    demo = receive(source=InquirySource.WIDGET, category="demo", email="c@example.com")
    receive(website="bot", email="d@example.com")
    time_machine.move_to(timezone.datetime(2026, 12, 1, 13, 0, tzinfo=KST), tick=False)
    inquiry_convert_to_ticket(inquiry=quote, by=team["sales"])
    inquiry_change_status(inquiry=demo, status=Status.ANSWERED, by=team["sales"])
    time_machine.move_to(timezone.datetime(2026, 12, 2, 9, 0, tzinfo=KST), tick=False)
    fold_all()
    return {"quote": quote, "demo": demo}


def report(client, user, **params):
    client.force_login(user)
    return client.get(
        reverse("reports:report", args=["inquiries"]), {"start": "2026-11-01", "end": "2026-12-02", **params}
    )


def figures(response):
    return {str(label): value for label, value in response.context["data"].figures}


def test_report_figures_filters_and_csv(client, team, folded):
    shown = figures(report(client, team["sales"]))
    assert shown["Received"] == "3" and shown["Converted to tickets"] == "1 (33.3%)"
    assert shown["Answered"] == "1" and shown["Time to first answer"] == "2h"
    assert shown["Waiting for an answer now"] == "2" and shown["Quarantined as spam"] == "1"
    widget_only = figures(report(client, team["sales"], source="widget"))
    assert widget_only["Received"] == "1" and widget_only["Converted to tickets"] == "0 (0%)"
    assert figures(report(client, team["sales"], category="quote"))["Received"] == "2"
    response = report(client, team["sales"], export="sources")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8").lstrip("\ufeff"))))
    assert rows[0][:3] == ["Source", "Received", "Converted"]
    assert sorted(row[:3] for row in rows[1:]) == [["Embedded widget", "1", "0"], ["Website form", "2", "1"]]
    assert "김민수" not in response.content.decode() and "9876" not in response.content.decode()


@pytest.mark.parametrize(
    ("who", "status"), [("sales", 200), ("marketer", 200), ("admin", 200), ("developer", 403), ("sales2", 200)]
)
def test_permission_matrix(client, team, folded, who, status):
    assert report(client, team[who]).status_code == status


@pytest.mark.parametrize("params", [{"source": "fax"}, {"category": "'; DROP TABLE"}, {"source": "\x00"}])
def test_a_crafted_filter_is_a_400(client, team, folded, params):
    response = report(client, team["sales"], **params)
    assert response.status_code == 400


def test_widget_for_the_people_who_see_inquiries(team, folded):
    (data,) = [d for w, d in widgets_for(team["sales"]) if w.key == "inquiries.waiting"]
    assert [(str(label), value) for label, value in data.figures] == [("Waiting for an answer", 2), ("This week", 3)]
    assert "<svg" in data.svg
    assert "inquiries.waiting" not in [w.key for w, _d in widgets_for(team["developer"])]


def test_brief_for_sales_and_marketing_only_with_counts_and_no_personal_data(team, folded):
    sales = Department.objects.get(code="sales")
    ((section, part),) = [(s, p) for s, p in brief_for(sales, TODAY) if s.key == "inquiries"]
    text = "\n".join(part.lines)
    assert text.startswith("Since 12-01: 3 new (Quote request 2, Chatbot demo request 1)")
    assert "Waiting for a first answer: 2" in text
    for private in ("김민수", "9876", "example.com", "챗봇 도입 문의", folded["quote"].number, ":"):
        assert private not in text.replace("Since 12-01:", "").replace("answer:", "")
    assert any(s.key == "inquiries" for s, _p in brief_for(Department.objects.get(code="marketing"), TODAY))
    assert not any(s.key == "inquiries" for s, _p in brief_for(Department.objects.get(code="dev"), TODAY))


@pytest.fixture
def nudged_to_sales(settings, folded):
    """Yesterday's two open inquiries are old enough for the nudge, routed to the sales channel."""
    settings.INQUIRIES_NUDGE_HOURS = 12
    settings.INQUIRIES_SALES_CHANNEL = "CSALES001"
    return folded


def test_the_brief_replaces_the_nudge_in_an_opted_in_sales_channel(team, nudged_to_sales, slack):
    sales = Department.objects.get(code="sales")
    brief_round_trip(sales, send_nudge, TODAY, section="inquiries", channel="CSALES001", kind="inquiries.unanswered")


def test_a_team_whose_brief_has_no_inquiries_keeps_the_nudge(team, nudged_to_sales, slack, settings):
    """The dev team's brief leaves inquiries out (not its business): its channel still gets the nudge."""
    dev = Department.objects.get(code="dev")
    Department.objects.filter(pk=dev.pk).update(slack_channel_id="CDEV00001")
    settings.INQUIRIES_SALES_CHANNEL = "CDEV00001"
    TeamBrief.objects.create(department=dev)
    assert send_nudge(TODAY) == 1
    assert SlackMessage.objects.filter(target="CDEV00001", kind="inquiries.unanswered").exists()
