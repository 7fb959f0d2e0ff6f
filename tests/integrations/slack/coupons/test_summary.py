"""The 09:00 coupon summary, the alerts and the weekly expiring list, against hand-computed figures."""

import json
import re
from datetime import date, datetime, timedelta

import pytest

from coupons.models import BizmoneySnapshot, Client, PinStatus, SendBatchStatus, SendLog
from coupons.sending import batch_create
from erp.people.models import Department
from erp.workcalendar.calendar import get_calendar
from integrations.slack.core.models import SlackMessage
from integrations.slack.coupons.jobs import check_alerts, send_daily_summary, send_weekly_expiring, summary_period
from tests.coupons.conftest import kst, make_send
from tests.integrations.slack.conftest import drain

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
PHONE = re.compile(r"01[016789]-?[\d*]{3,4}-?\d{4}")
HOLIDAY_MONDAY = date(2026, 10, 12)  # after 한글날 (Friday 9 October) and the weekend


def _send(n, at, *, client, goods=None, campaign=None, ok=True, code="0000", message="", pin=""):
    for i in range(n):
        make_send(
            f"S{at:%m%d%H%M%S}{i:03d}{'F' if not ok else ''}{code}",
            client=client,
            goods=goods,
            campaign=campaign,
            phone=f"0109876{i:04d}",
            sent_at=at,
            succeeded=ok,
            result_code=code,
            result_message=message,
            pin_status=pin,
        )


@pytest.fixture
def october(client_a, campaign_a, goods_a):
    common = {"client": client_a, "goods": goods_a, "campaign": campaign_a}
    _send(5, kst(2026, 10, 3, 12, 0), **common)  # in the 7-day window only
    _send(2, kst(2026, 10, 7, 23, 59, 59), **common)  # the period before
    _send(3, kst(2026, 10, 8, 10, 0), **common)
    _send(1, kst(2026, 10, 8, 10, 5), **common, ok=False, code="E0010", message="잔액 부족")
    _send(1, kst(2026, 10, 9, 11, 0), **common)  # 한글날: still sends, shown on Monday
    _send(1, kst(2026, 10, 9, 11, 1), **common, pin=PinStatus.USED)
    _send(1, kst(2026, 10, 11, 23, 59), **common, ok=False, code="E0101", message="판매 중지")
    _send(1, kst(2026, 10, 12, 0, 0, 30), **common)  # today: not in the post
    quiet = Department.objects.create(name="영업팀", code="sales", slack_channel_id="C0SAL00001")
    Client.objects.create(name="조용한상사", department=quiet)  # no sends → no post
    BizmoneySnapshot.objects.create(balance=1_000_000, checked_at=kst(2026, 10, 12, 8, 0))
    return client_a


def test_period_covers_the_days_off():
    assert get_calendar().is_holiday(date(2026, 10, 9))
    assert summary_period(HOLIDAY_MONDAY) == (date(2026, 10, 8), date(2026, 10, 11))
    assert summary_period(date(2026, 10, 13)) == (date(2026, 10, 12), date(2026, 10, 12))
    assert summary_period(date(2026, 12, 7)) == (date(2026, 12, 4), date(2026, 12, 6))  # a plain Monday


def test_summary_figures_match_hand_computed_ones(october, slack):
    assert send_daily_summary(HOLIDAY_MONDAY) == 1
    drain()
    assert set(slack.messages) == {"C0MKT00001"}
    (message,) = slack.messages["C0MKT00001"]
    body = json.dumps(message["blocks"], ensure_ascii=False)
    # 2026-10-08 … 10-11: 7 sends, 5 succeeded, 2 failed; cost 5 × 4,230; 1 used so far.
    assert "7 sent, 5 succeeded, 2 failed, cost 21,150 KRW" in message["text"]
    assert "Oct 8 (Thu) to Oct 11 (Sun)" in message["text"]
    assert "5 (71.4%)" in body and "2 (28.6%)" in body and "1 (20.0%)" in body
    assert "E0010 잔액 부족: 1" in body and "E0101 판매 중지: 1" in body
    # The period before (10-07) had 2 sends; per day 7 / 4 = 1.75 vs the 7-day average (10-01 … 10-07) 7 / 7.
    assert "2 → 7 (+250%)" in body
    assert "1.8 / 1.0 (+75%)" in body
    assert "하루커피: 7 sent, 2 failed, 21,150 KRW" in body
    assert "스타벅스 아메리카노 T: 7 sent" in body
    # Bizmoney 1,000,000 at the cost per day of 10-05 … 10-11: 7 successes (10-07: 2, 10-08: 3,
    # 10-09: 2) × 4,230 / 7 days = 4,230 a day → 236 days.
    assert "Bizmoney balance: 1,000,000 KRW (236 days at the current rate)" in body
    assert not PHONE.search(body + message["text"]) and "9876" not in body


def test_once_per_team_and_day_and_not_on_days_off(october, slack):
    assert send_daily_summary(HOLIDAY_MONDAY) == 1
    assert send_daily_summary(HOLIDAY_MONDAY) == 0
    assert send_daily_summary(date(2026, 10, 9)) == 0  # 한글날
    assert send_daily_summary(date(2026, 10, 10)) == 0  # Saturday
    assert SlackMessage.objects.filter(kind="coupons.daily_summary").count() == 1


def test_a_tick_at_nine_posts_and_before_does_not(october, slack):
    assert send_daily_summary(now=kst(2026, 10, 12, 8, 45)) == 0
    assert send_daily_summary(now=kst(2026, 10, 12, 9, 0)) == 1


def test_alerts_failure_rate_stalled_batch_low_bizmoney(client_a, campaign_a, goods_a, settings, slack):
    settings.COUPONS_ALERT_CHANNEL = "C0ALERT001"
    now = kst(2026, 12, 2, 14, 0)
    _send(19, now - timedelta(minutes=5), client=client_a, goods=goods_a)
    _send(6, now - timedelta(minutes=3), client=client_a, goods=goods_a, ok=False, code="E0101", message="판매 중지")
    _send(30, now - timedelta(minutes=40), client=client_a, goods=goods_a, ok=False, code="E9")  # outside the window
    batch = batch_create(campaign=campaign_a, goods=goods_a, phones=["01011112222"], by=None)
    batch.status, batch.progressed_at = SendBatchStatus.RUNNING, now - timedelta(minutes=30)
    batch.save()
    BizmoneySnapshot.objects.create(balance=100_000, checked_at=now)
    assert check_alerts(now=now) == 3
    assert check_alerts(now=now + timedelta(minutes=5)) == 0  # same window, same stall, same day
    drain()
    texts = [m["text"] for m in slack.messages["C0ALERT001"]]
    assert any("6 of 25 sends in the last 15 minutes (24.0%)" in t for t in texts)
    assert any(f"batch #{batch.pk}" in t and "1 coupons unsent" in t for t in texts)
    assert any("Bizmoney is low: 100,000 KRW" in t for t in texts)
    assert not any("1111" in t or "2222" in t for t in texts)


def test_no_failure_alert_below_threshold(client_a, goods_a, settings):
    settings.COUPONS_ALERT_CHANNEL = "C0ALERT001"
    now = kst(2026, 12, 2, 14, 0)
    _send(20, now - timedelta(minutes=5), client=client_a, goods=goods_a)
    _send(4, now - timedelta(minutes=5), client=client_a, goods=goods_a, ok=False, code="E1")  # 16.7%
    assert check_alerts(now=now) == 0


def test_weekly_expiring_list(client_a, campaign_a, goods_a, slack):
    monday = date(2026, 12, 7)
    common = {"client": client_a, "goods": goods_a, "campaign": campaign_a}
    for i, (valid, pin) in enumerate(
        [
            (kst(2026, 12, 8, 23, 59), PinStatus.ISSUED),
            (kst(2026, 12, 10, 23, 59), PinStatus.ISSUED),
            (kst(2026, 12, 8, 23, 59), PinStatus.USED),
            (kst(2026, 12, 12, 23, 59), PinStatus.ISSUED),
        ]
    ):
        make_send(f"X{i}", valid_until=valid, pin_status=pin, **common)
    assert send_weekly_expiring(date(2026, 12, 8)) == 0  # Tuesday: not the week's first working day
    assert send_weekly_expiring(monday) == 1
    drain()
    (message,) = slack.messages["C0MKT00001"]
    assert "하루커피: 2 coupons" in message["text"]
    assert "겨울 이벤트 · 아메리카노 T: 2" in json.dumps(message["blocks"], ensure_ascii=False)
    assert SendLog.objects.count() == 4 and datetime  # nothing changed by the post
