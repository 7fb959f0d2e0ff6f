"""The coupon rollup, report, widget and brief section (coupons/rollup.py, dashboard.py, brief.py).

The rollup equals the raw aggregates of the send log after random imports (new and changed
rows) and status polls, folded at random moments; the report follows the module's permission
rule (a team's manager sees the team's clients); the brief names clients, never recipients."""

import csv
import io
import random
from collections import Counter
from datetime import date, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from coupons.models import Campaign, Client, PinStatus, SendLog
from coupons.sending import status_applied
from erp.history.brief import brief_for
from erp.history.models import RollupCell
from erp.history.rollups import fold, fold_all, get_rollup
from erp.history.widgets import widgets_for
from erp.people.models import Department, Employee, Role
from erp.workcalendar.calendar import KST
from integrations.slack.coupons.jobs import send_daily_summary
from tests.coupons.conftest import make_send
from tests.history.conftest import brief_round_trip

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
TODAY = date(2026, 12, 2)


def kst_day(moment):
    return timezone.localtime(moment, KST).date()


def rolled(metric):
    """{(day, client, campaign): (total, n)} as the cells hold it."""
    rows = RollupCell.objects.filter(rollup="coupons", metric=metric).values("day", "scope", "extra")
    return {
        (r["day"], r["scope"], r["extra"]): (r["t"], r["c"])
        for r in rows.annotate(t=Sum("total"), c=Sum("n")).order_by()
        if r["c"]
    }


def raw_figures():
    counts = {m: Counter() for m in ("sent", "issued", "used", "expired")}
    cost = Counter()
    for send in SendLog.objects.all():
        key = (kst_day(send.sent_at), send.client_id, send.campaign_id or 0)
        counts["sent"][key] += 1
        if send.succeeded:
            counts["issued"][key] += 1
            cost[key] += send.sell_price
        if send.pin_status in (PinStatus.USED, PinStatus.EXPIRED):
            counts[send.pin_status][key] += 1
    return counts, cost


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_coupon_rollup_equals_raw_aggregates_after_random_changes(seed, client_a, campaign_a, goods_a):
    rng = random.Random(seed)
    client_b = Client.objects.create(name="하루베이커리")
    campaigns = [campaign_a, Campaign.objects.create(client=client_b, name="신년 이벤트"), None]
    rollup = get_rollup("coupons")
    sends = []
    for step in range(60):
        op = rng.choice(["send", "send", "send", "reimport", "poll", "poll", "fold"])
        if op == "send" or not sends:
            campaign = rng.choice(campaigns)
            sends.append(
                make_send(
                    f"TR{seed}{step:04d}",
                    client=campaign.client if campaign else rng.choice([client_a, client_b]),
                    campaign=campaign,
                    goods=goods_a,
                    sent_at=datetime(2026, 11, 20, 9, tzinfo=KST) + timedelta(hours=rng.randint(0, 300)),
                    succeeded=rng.random() < 0.8,
                )
            )
        elif op == "reimport":  # what an import does: change the columns and stamp updated_at
            send = rng.choice(sends)
            send.refresh_from_db()
            send.succeeded, send.sell_price = rng.random() < 0.5, rng.choice([4230, 5000])
            send.save()
        elif op == "poll":
            send = rng.choice(sends)
            send.refresh_from_db()
            code = rng.choice(["01", "02", "08", "07"])
            status_applied(
                send=send, pin_status_code=code, send_result_code="1000", valid_until="", sell_price=None,
                consumer_price=None,
            )  # fmt: skip
        else:
            fold(rollup)
    fold(rollup)
    counts, cost = raw_figures()
    assert counts["used"] and counts["expired"]  # the random walk reached both
    for metric, expected in counts.items():
        assert {k: n for k, (_t, n) in rolled(metric).items()} == dict(expected), metric
    assert {k: t for k, (t, _n) in rolled("issued").items()} == {k: float(v) for k, v in cost.items() if v}
    assert fold(rollup).changed == 0


@pytest.fixture
def manager(team):
    user = get_user_model().objects.create_user("manager", password="pw-for-tests-1")
    Employee.objects.create(user=user, display_name="정팀장", department=team, role=Role.MANAGER)
    return user


@pytest.fixture
def outsider(db):
    other = Department.objects.create(name="개발팀", code="dev")
    user = get_user_model().objects.create_user("outsider", password="pw-for-tests-1")
    Employee.objects.create(user=user, display_name="남궁민", department=other, role=Role.MANAGER)
    return user


@pytest.fixture
def folded(client_a, campaign_a, goods_a):
    """Yesterday: 3 sends of 하루커피 (one failed, one used); another client's send; one older send."""
    other = Client.objects.create(name="하루베이커리")
    yesterday = datetime(2026, 12, 1, 14, tzinfo=KST)
    make_send("TR1", client=client_a, campaign=campaign_a, goods=goods_a, sent_at=yesterday, pin_status="used")
    make_send("TR2", client=client_a, campaign=campaign_a, goods=goods_a, sent_at=yesterday, phone="01099998888")
    make_send("TR3", client=client_a, goods=goods_a, sent_at=yesterday, succeeded=False, result_code="E001",
              result_message="수신번호 01077776666 오류")  # fmt: skip
    make_send("TR4", client=other, goods=goods_a, sent_at=yesterday)
    make_send("TR5", client=client_a, goods=goods_a, sent_at=datetime(2026, 11, 3, 9, tzinfo=KST), pin_status="expired")
    fold_all()
    return other


def report(http, user, **params):
    http.force_login(user)
    return http.get(reverse("reports:report", args=["coupons"]), {"start": "2026-11-01", "end": "2026-12-02", **params})


def figures(response):
    return {str(label): value for label, value in response.context["data"].figures}


def test_report_figures_filter_and_csv(client, admin_user, client_a, folded):
    shown = figures(report(client, admin_user))
    assert (shown["Sends"], shown["Failures"], shown["Success rate"]) == ("5", "1", "80%")
    # "Used" / "Expired" have empty English msgstrs, so English pages fall back to the Korean ones.
    assert (shown["Cost (KRW)"], shown[gettext("Used")], shown[gettext("Expired")]) == ("16,920", "1", "1")
    one = figures(report(client, admin_user, client=str(folded.pk)))
    assert (one["Sends"], one["Failures"]) == ("1", "0")
    response = report(client, admin_user, export="clients")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8").lstrip("\ufeff"))))
    assert rows[0][:3] == [gettext("Client"), "Sends", "Failures"]
    assert rows[1][:3] == ["하루커피", "4", "1"] and rows[2][:3] == ["하루베이커리", "1", "0"]
    assert report(client, admin_user, client="999999").status_code == 400


def test_permission_matrix(client, admin_user, viewer, manager, outsider, client_a, folded):
    assert report(client, admin_user).status_code == 200
    assert report(client, viewer).status_code == 200
    assert figures(report(client, manager))["Sends"] == "4"  # the marketing team's client only
    assert report(client, manager, client=str(folded.pk)).status_code == 400  # not one of theirs
    assert report(client, outsider).status_code == 403


def test_widget_shows_yesterdays_sends(viewer, outsider, folded):
    (data,) = [d for w, d in widgets_for(viewer) if w.key == "coupons.sends"]
    assert [(str(label), value) for label, value in data.figures] == [("Sends yesterday", 4), ("Failures yesterday", 1)]
    assert "<svg" in data.svg
    assert "coupons.sends" not in [w.key for w, _d in widgets_for(outsider)]


def test_brief_for_the_clients_team_with_counts_and_no_personal_data(team, folded):
    ((_section, part),) = [(s, p) for s, p in brief_for(team, TODAY) if s.key == "coupons"]
    text = "\n".join(part.lines)
    assert text == "Since 12-01: 3 sends, 1 failed\n하루커피: 3 sends, 1 failed"
    for private in ("0109999", "8888", "7777", "TR", "E001", "오류"):
        assert private not in text
    dev = Department.objects.create(name="개발팀", code="dev")
    assert not any(s.key == "coupons" for s, _p in brief_for(dev, TODAY))


def test_the_brief_replaces_the_coupon_summary_of_a_team_that_opted_in(team, folded, slack):
    brief_round_trip(
        team, send_daily_summary, TODAY, section="coupons", channel=team.slack_channel_id, kind="coupons.daily_summary"
    )
