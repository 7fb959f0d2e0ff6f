"""The search-source registry's own rules, with test-only sources (modules' sources have their
own tests: tests/tickets/test_search_source.py, tests/attendance/test_search_source.py)."""

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q

from attendance.models import Correction
from erp.core.search import (
    SearchHit,
    SearchSource,
    SourceResults,
    newest_first,
    register_search_source,
    search_everywhere,
    search_source,
    search_sources,
    unregister_search_source,
)
from erp.workcalendar.calendar import KST
from tests.factories import make_department, make_employee

PINNED = datetime(2026, 11, 20, 9, 0, tzinfo=KST)


def correction_source(key, **overrides):
    values = {
        "key": key,
        "label": key,
        "model": Correction,
        "fields": ("reason",),
        "for_user": lambda user: Correction.objects.all(),
        "title": lambda correction: correction.reason[:10],
        "url": lambda correction: f"/c/{correction.pk}/",
    }
    return SearchSource(**(values | overrides))


@pytest.fixture
def registered():
    """Register test sources for one test, then remove them."""
    keys = []

    def register(source):
        register_search_source(source)
        keys.append(source.key)
        return source

    yield register
    for key in keys:
        unregister_search_source(key)


@pytest.fixture
def corrections(db):
    employee = make_employee("kim", department=make_department())
    rows = []
    for day in range(1, 6):
        row = Correction.objects.create(employee=employee, date=date(2026, 11, day), reason=f"{day}일 퇴근 누락")
        Correction.objects.filter(pk=row.pk).update(created_at=PINNED.replace(day=day))
        rows.append(row)
    return rows


def test_the_modules_register_their_sources():
    assert {"tickets", "attendance_corrections"} <= {source.key for source in search_sources()}


def test_sources_in_display_order_and_chosen_by_key(registered):
    late = registered(correction_source("late_source", order=99))
    early = registered(correction_source("early_source", order=1))
    keys = [source.key for source in search_sources()]
    assert keys.index("early_source") < keys.index("tickets") < keys.index("late_source")
    assert search_sources(["late_source", "no_such_source", "early_source"]) == [early, late]
    assert search_source("late_source") is late
    assert search_source("no_such_source") is None


def test_a_taken_key_is_refused_but_the_same_source_may_register_twice(registered):
    source = registered(correction_source("twice_source"))
    register_search_source(source)  # the same object again (e.g. ready() run twice): no-op
    with pytest.raises(ValueError, match="already registered"):
        register_search_source(correction_source("twice_source"))
    with pytest.raises(ValueError):
        correction_source("no spaces")
    with pytest.raises(FieldDoesNotExist):
        correction_source("bad_date", date_field="no_such_field")


def test_bounded_per_source_newest_first(registered, corrections):
    registered(correction_source("corrections_test"))
    (result,) = search_everywhere(None, "퇴근", limit=2, keys=["corrections_test"])
    assert isinstance(result, SourceResults)
    assert [hit.obj for hit in result.hits] == [corrections[4], corrections[3]]
    assert result.more is True
    hit = result.hits[0]
    assert (hit.title, hit.url, hit.summary, hit.when) == (
        "5일 퇴근 누락",
        f"/c/{corrections[4].pk}/",
        "",
        PINNED.replace(day=5),
    )
    (everything,) = search_everywhere(None, "퇴근", limit=5, keys=["corrections_test"])
    assert len(everything.hits) == 5 and everything.more is False


def test_one_probe_and_one_query_per_source(registered, corrections, django_assert_num_queries):
    registered(correction_source("corrections_test"))
    with django_assert_num_queries(2):  # the reason probe, then the hits
        search_everywhere(None, "퇴근", keys=["corrections_test"])


def test_the_source_applies_its_own_permissions(registered, corrections):
    """Only what for_user returns can be a hit, whatever matches."""
    registered(
        correction_source("only_even_days", for_user=lambda user: Correction.objects.filter(date__day__in=[2, 4]))
    )
    (result,) = search_everywhere(None, "퇴근", keys=["only_even_days"])
    assert [hit.obj for hit in result.hits] == [corrections[3], corrections[1]]


def test_matches_replaces_the_plain_field_match(registered, corrections):
    registered(correction_source("by_date", matches=lambda user, text: Q(date__day=int(text))))
    (result,) = search_everywhere(None, "3", keys=["by_date"])
    assert [hit.obj for hit in result.hits] == [corrections[2]]


def test_empty_text_and_bad_limits(registered, corrections, django_assert_num_queries):
    registered(correction_source("corrections_test"))
    with django_assert_num_queries(0):
        assert search_everywhere(None, "  \x00 ") == []
        assert list(search_sources(["corrections_test"])[0].queryset(None, "")) == []
    for limit in (0, 101):
        with pytest.raises(ValueError):
            search_everywhere(None, "퇴근", limit=limit)


def test_newest_first_merges_sources(registered, corrections):
    source = registered(correction_source("corrections_test"))

    def hit(when):
        return SearchHit(source=source, obj=corrections[0], title="", summary="", url="", when=when)

    dated = hit(date(2026, 11, 20))  # counts as 00:00 KST that day
    morning = hit(datetime(2026, 11, 20, 8, 0, tzinfo=KST))
    night_before_utc = hit(datetime(2026, 11, 19, 16, 0, tzinfo=KST).astimezone(UTC))
    undated = hit(None)
    results = [
        SourceResults(source, [dated, undated], False),
        SourceResults(source, [night_before_utc, morning], False),
    ]
    assert newest_first(results) == [morning, dated, night_before_utc, undated]
    assert newest_first(results, limit=1) == [morning]
