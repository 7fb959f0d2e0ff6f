"""The fold's two ways (erp/history/rollups.py): on PostgreSQL the set-based statements, on SQLite
the record-by-record diff. Whichever runs, the cells equal the raw aggregates when sends move
between days and clients, disappear, or commit late inside the feed's overlap; on PostgreSQL
both ways give the same cells and facts, and each takes over from the other's facts."""

from datetime import datetime, timedelta

import pytest
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from coupons.models import Campaign, Client, SendLog
from coupons.sending import status_applied
from erp.history.models import RollupCell, RollupCursor, RollupFact
from erp.history.rollups import FEED_OVERLAP, _fold_set_based, fold, fold_records, get_rollup, mark_changed
from erp.workcalendar.calendar import KST
from tests.coupons.conftest import make_send
from tests.history.conftest import assert_cells_sql_agrees

pytestmark = pytest.mark.django_db
NOV_20 = datetime(2026, 11, 20, 9, tzinfo=KST)
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the set-based fold is PostgreSQL's")


def cells():
    """{(metric, day, client, goods, campaign): (total, n)} without the emptied cells."""
    rows = RollupCell.objects.filter(rollup="coupons").values("metric", "day", "scope", "person", "extra")
    return {
        (r["metric"], r["day"], r["scope"], r["person"], r["extra"]): (r["t"], r["c"])
        for r in rows.annotate(t=Sum("total"), c=Sum("n")).order_by()
        if r["c"] or r["t"]
    }


def raw_cells():
    """The oracle: the same cells straight from the send log."""
    expected = {}

    def add(key, value):
        total, n = expected.get(key, (0, 0))
        expected[key] = (total + value, n + 1)

    for send in SendLog.objects.all():
        dims = (timezone.localtime(send.sent_at, KST).date(), send.client_id, send.goods_id or 0, send.campaign_id or 0)
        add(("sent", *dims), 1)
        if send.succeeded:
            add(("issued", *dims), send.sell_price)
        if send.pin_status in ("used", "expired"):
            add((send.pin_status, *dims), 1)
    return expected


@pytest.fixture
def sends(client_a, campaign_a, goods_a):
    other = Client.objects.create(name="하루베이커리")
    spring = Campaign.objects.create(client=other, name="봄 이벤트")
    made = [
        make_send(f"TR{n}", client=client_a, campaign=campaign_a, goods=goods_a, sent_at=NOV_20 + timedelta(hours=n))
        for n in range(4)
    ]
    made.append(make_send("TR9", client=other, campaign=spring, goods=goods_a, sent_at=NOV_20, succeeded=False))
    fold(get_rollup("coupons"))
    assert cells() == raw_cells()
    return made, other, spring


def test_sends_moving_between_days_and_clients(sends):
    made, other, spring = sends
    first, second = made[0], made[1]
    first.sent_at, first.client, first.campaign = NOV_20 + timedelta(days=3), other, spring
    first.save()
    second.sent_at = NOV_20 - timedelta(hours=12)  # the day before, in KST
    second.pin_status = "used"
    second.save()
    result = fold(get_rollup("coupons"))
    assert result.changed == 2
    assert cells() == raw_cells()
    # Moving back empties the new cells and refills the old ones.
    first.sent_at, first.client, first.campaign = NOV_20, made[2].client, made[2].campaign
    first.save()
    fold(get_rollup("coupons"))
    assert cells() == raw_cells()
    assert fold(get_rollup("coupons")).changed == 0


def test_a_status_poll_is_folded_when_it_changed_something_and_only_then(sends):
    made, _other, _spring = sends
    rollup = get_rollup("coupons")
    later = timezone.now() + timedelta(minutes=5)
    polled = SendLog.objects.get(pk=made[0].pk)
    assert status_applied(send=polled, pin_status_code="02", send_result_code="", valid_until="",
                          sell_price=None, consumer_price=None, now=later)  # fmt: skip
    assert SendLog.objects.get(pk=made[0].pk).updated_at == later  # the change feed moved
    assert fold(rollup, now=later + timedelta(minutes=1)).changed == 1
    assert cells() == raw_cells()
    again = SendLog.objects.get(pk=made[0].pk)  # the same answer: only the check is stamped
    assert not status_applied(send=again, pin_status_code="02", send_result_code="", valid_until="",
                              sell_price=None, consumer_price=None, now=later + timedelta(minutes=2))  # fmt: skip
    assert SendLog.objects.get(pk=made[0].pk).updated_at == later
    assert fold(rollup, now=later + timedelta(minutes=3)).changed == 0


def test_deleted_sends_take_their_cells_and_facts_with_them(sends):
    made, _other, _spring = sends
    gone = [made[0].pk, made[4].pk]
    SendLog.objects.filter(pk__in=gone).delete()
    mark_changed("coupons", gone)
    result = fold(get_rollup("coupons"))
    assert result.changed == 2
    assert cells() == raw_cells()
    assert not RollupFact.objects.filter(rollup="coupons", object_id__in=gone).exists()


def test_a_late_commit_inside_the_overlap_is_folded(sends):
    made, _other, _spring = sends
    last = RollupCursor.objects.get(rollup="coupons").folded_until
    # A transaction stamped the row before the last fold's horizon and committed after it.
    SendLog.objects.filter(pk=made[3].pk).update(succeeded=False, updated_at=last - FEED_OVERLAP / 2)
    result = fold(get_rollup("coupons"), now=last + timedelta(minutes=1))
    assert result.changed == 1
    assert cells() == raw_cells()


@postgresql_only
def test_both_ways_give_the_same_cells_and_facts(sends):
    made, other, _spring = sends
    rollup = get_rollup("coupons")
    made[1].sent_at, made[1].client, made[1].pin_status = NOV_20 + timedelta(days=1), other, "expired"
    made[1].save()
    ids = list(SendLog.objects.values_list("pk", flat=True))
    _fold_set_based(rollup, ids)
    set_based = cells()
    assert set_based == raw_cells()
    RollupCell.objects.filter(rollup="coupons").delete()
    RollupFact.objects.filter(rollup="coupons").delete()
    fold_records(rollup, ids)
    assert cells() == set_based
    # The set-based fold reads the facts the record-by-record one wrote (and the other way round).
    made[2].succeeded = False
    made[2].save()
    _fold_set_based(rollup, ids)
    assert cells() == raw_cells()
    made[3].sent_at = NOV_20 + timedelta(days=2)
    made[3].save()
    fold_records(rollup, ids)
    assert cells() == raw_cells()
    assert _fold_set_based(rollup, ids).cells == 0  # every record's contribution stands: nothing written
    assert_cells_sql_agrees(rollup)


@postgresql_only
def test_the_overlap_reads_only_row_versions_the_last_fold_could_not_see(sends):
    """As if this test's transaction had committed before the last fold read its feeds: its rows
    stamped inside the overlap are not read again; a row written after that (a savepoint's own
    transaction id, like a late commit) is."""
    made, _other, _spring = sends
    rollup = get_rollup("coupons")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_xact_id()::text::bigint")
        own = cursor.fetchone()[0]
    last = RollupCursor.objects.get(rollup="coupons").folded_until
    RollupCursor.objects.filter(rollup="coupons").update(snapshot=f"{own + 1}:{own + 1}:")
    assert fold(rollup, now=last + timedelta(minutes=1)).records == 0
    RollupCursor.objects.filter(rollup="coupons").update(snapshot=f"{own + 1}:{own + 1}:")
    with transaction.atomic():  # a savepoint: a transaction id the "last fold" never saw
        SendLog.objects.filter(pk=made[1].pk).update(succeeded=False, updated_at=last - FEED_OVERLAP / 2)
    result = fold(rollup, now=last + timedelta(minutes=2))
    assert (result.records, result.changed) == (1, 1)
    assert cells() == raw_cells()
