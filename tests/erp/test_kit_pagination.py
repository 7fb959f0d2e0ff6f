"""erp.core.pagination: keyset pages for HTML lists and the DRF cursor pages of the API.

Both refuse cursors no real row could have produced (a naive or year-1 moment, an id past 64
bits, garbage): the HTML helper shows the first page, the API answers 400 with a message.
"""

import base64
import json
from datetime import date, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.serializers import ModelSerializer
from rest_framework.test import APIRequestFactory

from attendance.models import WorkDay
from erp.core.bounds import MAX_ID
from erp.core.pagination import SafeCursorPagination, cursor_value, encode_cursor, keyset_page
from erp.people.models import Department
from erp.workcalendar.calendar import KST

User = get_user_model()
NEWEST_FIRST = [("date_joined", True), ("id", True)]
START = datetime(2026, 11, 16, 9, 0, tzinfo=KST)


@pytest.fixture
def users(db):
    """Seven users, one joining per hour; two share a moment so the id breaks the tie."""
    made = []
    for index in range(7):
        joined = START + timedelta(hours=min(index, 5))
        made.append(User.objects.create(username=f"user{index}", date_joined=joined))
    return made


def walk(queryset, order, page_size):
    pages, cursor = [], None
    while True:
        page = keyset_page(queryset, order=order, cursor=cursor, page_size=page_size)
        pages.append(page)
        if not page.has_next:
            return pages
        cursor = page.next_cursor


def test_pages_cover_every_row_once_in_order(users):
    pages = walk(User.objects.all(), NEWEST_FIRST, 3)
    seen = [user.pk for page in pages for user in page.items]
    expected = [u.pk for u in sorted(users, key=lambda u: (u.date_joined, u.pk), reverse=True)]
    assert seen == expected
    assert [len(page.items) for page in pages] == [3, 3, 1]
    assert not pages[0].has_previous and all(page.has_previous for page in pages[1:])


def test_previous_goes_back_to_the_same_rows(users):
    first, second = walk(User.objects.all(), NEWEST_FIRST, 3)[:2]
    back = keyset_page(User.objects.all(), order=NEWEST_FIRST, cursor=second.prev_cursor, page_size=3)
    assert [u.pk for u in back.items] == [u.pk for u in first.items]
    assert back.has_next and not back.has_previous


def test_a_text_sort_key_with_the_id_as_tie_breaker(db):
    for username, name in [("b", "나"), ("a", "가"), ("c", "가")]:
        User.objects.create(username=username, first_name=name)
    order = [("first_name", False), ("id", False)]
    pages = walk(User.objects.all(), order, 2)
    assert [u.username for page in pages for u in page.items] == ["a", "c", "b"]


def test_an_id_only_order_pages_like_before_id_links(db):
    """The outbox-style "newest first by id" list; ``?before=<id>`` is encode_cursor([id])."""
    departments = [Department.objects.create(code=f"d{i}", name=f"부서{i}") for i in range(5)]
    order = [("id", True)]
    page = keyset_page(Department.objects.all(), order=order, cursor=encode_cursor([departments[3].pk]), page_size=2)
    assert [d.pk for d in page.items] == [departments[2].pk, departments[1].pk]
    assert page.has_next and page.has_previous and not page.cursor_ignored


def raw_cursor(values, direction="next"):
    return base64.urlsafe_b64encode(json.dumps({"v": values, "d": direction}).encode()).decode()


@pytest.mark.parametrize(
    "cursor",
    [
        raw_cursor(["0001-01-01T00:00:00+09:00", 5]),
        raw_cursor(["2026-01-01T00:00:00", 5]),  # naive
        raw_cursor(["2026-01-01T00:00:00+09:00", MAX_ID + 1]),
        raw_cursor(["2026-01-01T00:00:00+09:00", 0]),
        raw_cursor(["2026-01-01T00:00:00+09:00"]),  # too few values
        raw_cursor(["2026-01-01T00:00:00+09:00", 5], "sideways"),
        raw_cursor([5, 5]),
        "!!!",
        "e30",  # {}
    ],
)
def test_a_crafted_cursor_shows_the_first_page(users, cursor):
    page = keyset_page(User.objects.all(), order=NEWEST_FIRST, cursor=cursor, page_size=3)
    assert page.cursor_ignored
    assert [u.pk for u in page.items] == [u.pk for u in walk(User.objects.all(), NEWEST_FIRST, 3)[0].items]


@pytest.mark.parametrize(
    ("model", "name", "value", "expected"),
    [
        (User, "date_joined", "2026-11-16T09:00:00+09:00", datetime(2026, 11, 16, 9, tzinfo=KST)),
        (User, "date_joined", "2026-11-16 00:00:00+00:00", datetime(2026, 11, 16, 9, tzinfo=KST)),
        (User, "id", "42", 42),
        (WorkDay, "date", "2026-11-16", date(2026, 11, 16)),
        (WorkDay, "employee_id", 7, 7),  # an attname: the foreign key's target is an id
        (WorkDay, "worked_minutes", -5, -5),  # a plain number may be zero or negative
        (Department, "name", "인프라팀", "인프라팀"),
    ],
)
def test_cursor_value_parses_what_a_row_could_hold(model, name, value, expected):
    assert cursor_value(model, name, value) == expected


@pytest.mark.parametrize(
    ("model", "name", "value"),
    [
        (User, "date_joined", "2026-11-16T09:00:00"),
        (User, "date_joined", "0001-01-01T00:00:00+09:00"),
        (User, "date_joined", "2026-13-45T00:00:00+09:00"),
        (User, "date_joined", "soon"),
        (User, "date_joined", 20261116),
        (User, "id", "0"),
        (User, "id", str(10**23)),
        (User, "id", "abc"),
        (WorkDay, "date", "9999-12-31"),
        (WorkDay, "date", "2026-02-30"),
        (WorkDay, "employee_id", -1),
        (WorkDay, "worked_minutes", 10**23),
    ],
)
def test_cursor_value_refuses_what_no_row_could_hold(model, name, value):
    with pytest.raises((ValueError, TypeError)):
        cursor_value(model, name, value)


# --- the DRF side ----------------------------------------------------------------------------
class UserSerializer(ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username"]


class UserPages(SafeCursorPagination):
    ordering = ("-date_joined", "-id")
    page_size = 3


class UserList(ListAPIView):
    queryset = User.objects.all()
    serializer_class = UserSerializer
    pagination_class = UserPages
    permission_classes = [AllowAny]
    authentication_classes = []


class DepartmentSerializer(ModelSerializer):
    class Meta:
        model = Department
        fields = ["id"]


class IdPages(SafeCursorPagination):
    ordering = ("-id",)
    page_size = 2
    invalid_cursor_text = "Start again from the first page."


class DepartmentList(UserList):
    queryset = Department.objects.all()
    serializer_class = DepartmentSerializer
    pagination_class = IdPages


def call(view, params):
    with translation.override("en"):
        response = view.as_view()(APIRequestFactory().get("/list/", params))
        response.render()
    return response


def drf_cursor(raw: str) -> str:
    return base64.b64encode(raw.encode()).decode()


@pytest.mark.parametrize(
    "raw",
    ["p=0001-01-01 00:00:00+09:00", "p=2026-01-01T00:00:00", "p=2020-13-45 00:00:00", "p=abc", "o=abc", "o=-3"],
)
def test_api_bad_cursor_is_a_400_naming_the_parameter(users, raw):
    response = call(UserList, {"cursor": drf_cursor(raw)})
    assert response.status_code == 400
    body = json.loads(response.content)
    assert body["message"] == "This page link is not valid; start again from the first page."
    assert list(body["errors"]) == ["cursor"]


def test_api_undecodable_cursor_is_a_400_too(users):
    assert call(UserList, {"cursor": "YQ"}).status_code == 400  # base64 with its padding cut off


def test_api_real_cursors_page_forward_and_back(users):
    first = json.loads(call(UserList, {}).content)
    assert len(first["results"]) == 3 and first["previous"] is None
    cursor = first["next"].split("cursor=")[1]
    second = json.loads(call(UserList, {"cursor": cursor.replace("%3D", "=")}).content)
    assert len(second["results"]) == 3
    assert {u["id"] for u in first["results"]}.isdisjoint(u["id"] for u in second["results"])


@pytest.mark.parametrize(("position", "status"), [("3", 200), ("0", 400), (str(10**23), 400), ("x", 400)])
def test_api_id_positions_are_checked_and_the_message_is_the_subclass_s(db, position, status):
    for i in range(4):
        Department.objects.create(code=f"d{i}", name=f"부서{i}")
    response = call(DepartmentList, {"cursor": drf_cursor(f"p={position}")})
    assert response.status_code == status
    if status == 400:
        assert json.loads(response.content)["message"] == "Start again from the first page."
