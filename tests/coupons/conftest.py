"""Coupon fixtures: an admin, a viewer (masked numbers only), a revealer, and a small send log.

The clock is pinned to a working Wednesday (2 December 2026, 10:00 KST); sends sit on fixed days.
"""

from datetime import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import translation

from coupons.models import Campaign, Client, Goods, SendLog
from erp.people.models import Department
from erp.workcalendar.calendar import KST
from tests.clock import WORKING_WEDNESDAY, clock_pinned_at


def kst(*args) -> datetime:
    return datetime(*args, tzinfo=KST)


@pytest.fixture(autouse=True)
def _pinned_clock(request):
    yield from clock_pinned_at(request, WORKING_WEDNESDAY)


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield


def user_with(username, *codenames, superuser=False):
    user = get_user_model().objects.create_user(
        username, password="pw-for-tests-1", is_staff=True, is_superuser=superuser
    )
    for codename in codenames:
        user.user_permissions.add(Permission.objects.get(content_type__app_label="coupons", codename=codename))
    return get_user_model().objects.get(pk=user.pk)  # a fresh permission cache


@pytest.fixture
def admin_user(db):
    return user_with("admin", superuser=True)


@pytest.fixture
def viewer(db):
    return user_with("viewer", "view_sendlog")


@pytest.fixture
def revealer(db):
    return user_with("revealer", "view_sendlog", "reveal_phone")


@pytest.fixture
def team(db):
    return Department.objects.create(name="마케팅팀", code="marketing", slack_channel_id="C0MKT00001")


@pytest.fixture
def client_a(team):
    return Client.objects.create(name="하루커피", department=team)


@pytest.fixture
def campaign_a(client_a):
    return Campaign.objects.create(client=client_a, name="겨울 이벤트")


@pytest.fixture
def goods_a(db):
    return Goods.objects.create(
        code="G00000182305", name="아메리카노 T", brand="스타벅스", sell_price=4230, consumer_price=4500
    )


def make_send(tr_id, *, client, campaign=None, goods=None, phone="01012345678", sent_at=None, **fields):
    defaults = {
        "succeeded": True,
        "result_code": "0000",
        "sell_price": goods.sell_price if goods else 0,
        "consumer_price": goods.consumer_price if goods else 0,
    }
    defaults.update(fields)
    return SendLog.objects.create(
        tr_id=tr_id,
        client=client,
        campaign=campaign,
        goods=goods,
        phone=phone,
        phone_last4=phone[-4:],
        sent_at=sent_at or kst(2026, 12, 1, 10, 0),
        **defaults,
    )
