"""The search planner on a model other than tickets: attendance corrections, and employees found
through their corrections (a related field). Every answer is checked against a plain substring
scan in Python, in each query shape the planner can choose."""

from datetime import date

import pytest
from django.db import connection
from django.db.models import Q

from attendance.models import Correction
from erp.core.search import RelatedText, TextSearch, clean_text, contains_q, related_match_function
from erp.people.models import Employee
from tests.factories import make_department, make_employee

REASONS = [
    ("kim", "퇴근 체크를 잊었습니다", ""),
    ("kim", "외근 후 바로 퇴근", "확인했습니다"),
    ("lee", "VPN장애로 출근 기록 누락", "네트워크장애 확인됨"),
    ("park", "지문 인식기 오류", "장애 보고서 참조"),
    ("park", "출장 (부산)", ""),
]
TERMS = ["퇴근", "장애", "vpn", "VPN장애", "네트워크", "확인", "잊", "근 후", "부산)", "없는말", "100%", "_"]


@pytest.fixture(params=["rare", "frequent", "mixed"])
def shape(request, monkeypatch):
    """rare: every probe finds all matches (ids IN list); frequent: every field is tested row by
    row; mixed: a field with 2+ matches is frequent, the others rare."""
    threshold = {"rare": 10**9, "frequent": 1, "mixed": 2}[request.param]
    monkeypatch.setattr("erp.core.search.planner.FREQUENT_TERM_MATCHES", threshold)
    return request.param


@pytest.fixture
def corrections(db):
    department = make_department()
    people = {
        name: make_employee(name, department=department, display_name=f"{name} 사원")
        for name in ("kim", "lee", "park", "choi")
    }
    rows = []
    for day, (who, reason, note) in enumerate(REASONS, start=1):
        rows.append(
            Correction.objects.create(employee=people[who], date=date(2026, 11, day), reason=reason, decision_note=note)
        )
    return rows


def oracle(rows, fields, text):
    """A plain case-insensitive substring scan: what every plan must answer."""
    needle = text.lower()
    return {row.pk for row in rows if any(needle in (getattr(row, field) or "").lower() for field in fields)}


CORRECTION_TEXT = TextSearch(Correction, ["reason", "decision_note"])


@pytest.mark.parametrize("text", TERMS)
def test_corrections_match_a_substring_scan(corrections, shape, text):
    found = set(Correction.objects.filter(CORRECTION_TEXT.q(text)).values_list("pk", flat=True))
    assert found == oracle(corrections, ["reason", "decision_note"], text)


@pytest.mark.parametrize("text", ["장애", "퇴근", "Vp", "vP", "인식", "확인", "근 ", " 후", "없다", "00"])
def test_the_one_bigram_lookup_answers_what_search_contains_answers(corrections, text):
    """search_bigram skips the strpos re-check for a 2-letter text (the planner's probes use it);
    only for one_bigram texts, and then with the same rows as the full lookup and the scan."""
    from erp.core.search.bigrams import one_bigram

    if not one_bigram(text):
        assert " " in text  # whitespace is never a bigram: these keep the full lookup
        return
    for field in ("reason", "decision_note"):
        short = set(Correction.objects.filter(**{f"{field}__search_bigram": text}).values_list("pk", flat=True))
        full = set(Correction.objects.filter(**{f"{field}__search_contains": text}).values_list("pk", flat=True))
        assert short == full == oracle(corrections, [field], text)


def test_contains_q_is_the_one_off_form(corrections, shape):
    q = contains_q(Correction, ["decision_note"], "장애")
    assert set(Correction.objects.filter(q).values_list("pk", flat=True)) == oracle(
        corrections, ["decision_note"], "장애"
    )


def test_related_field_finds_the_parent(corrections, shape):
    """Employees by name or by the reason of any of their corrections."""
    search = TextSearch(Employee, ["display_name", RelatedText(Correction, "employee", "reason")])
    for text, expected in [
        ("퇴근", {"kim"}),
        ("장애", {"lee"}),
        ("사원", {"kim", "lee", "park", "choi"}),
        ("choi", {"choi"}),
        ("오류", {"park"}),
        ("없는말", set()),
    ]:
        found = set(Employee.objects.filter(search.q(text)).values_list("user__username", flat=True))
        assert found == expected, text


def test_rare_terms_become_an_id_list_and_frequent_ones_a_row_test(corrections, monkeypatch):
    monkeypatch.setattr("erp.core.search.planner.FREQUENT_TERM_MATCHES", 10**9)
    rare = str(Correction.objects.filter(CORRECTION_TEXT.q("장애")).query).upper()
    assert "STRPOS" not in rare and "INSTR" not in rare and "BIGRAMS" not in rare
    monkeypatch.setattr("erp.core.search.planner.FREQUENT_TERM_MATCHES", 1)
    frequent = str(Correction.objects.filter(CORRECTION_TEXT.q("장애")).query).upper()
    assert ("STRPOS" in frequent) or ("INSTR" in frequent)


def test_ordering_and_limit_are_the_callers(corrections, shape):
    """The planner only filters: newest first, first page, exactly as a substring scan orders it."""
    found = Correction.objects.filter(CORRECTION_TEXT.q("근")).order_by("-date", "-pk")
    matching = oracle(corrections, ["reason", "decision_note"], "근")
    newest_first = [row.pk for row in sorted(corrections, key=lambda row: row.date, reverse=True) if row.pk in matching]
    assert list(found.values_list("pk", flat=True)[:2]) == newest_first[:2]


def test_probes_in_one_round_trip_and_none_for_one_character(corrections, django_assert_num_queries):
    # PostgreSQL asks every field's index in one statement; SQLite scans field by field.
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 2):
        q = CORRECTION_TEXT.q("장애")
    with django_assert_num_queries(0):
        one = CORRECTION_TEXT.q("잊")
    with django_assert_num_queries(1):
        assert Correction.objects.filter(q).count() == 2
    assert list(Correction.objects.filter(one).values_list("reason", flat=True)) == ["퇴근 체크를 잊었습니다"]


def test_blank_text_and_nul(corrections, django_assert_num_queries):
    assert clean_text("  장애\x00 ") == "장애"
    assert clean_text(None) == ""
    with django_assert_num_queries(0):
        assert CORRECTION_TEXT.q("   ") == Q()
    assert Correction.objects.filter(CORRECTION_TEXT.q("장\x00애")).count() == 2


def test_a_field_typo_fails_when_declared():
    from django.core.exceptions import FieldDoesNotExist

    with pytest.raises(FieldDoesNotExist):
        TextSearch(Correction, ["reasons"])
    with pytest.raises(ValueError):
        TextSearch(Correction, [])


@pytest.mark.postgres
def test_related_match_function_is_the_frequent_shape_on_postgresql(corrections, monkeypatch):
    """A module's own PL/pgSQL row function (made by the migration helper) answers as the EXISTS would."""
    step = related_match_function(
        "test_correction_match", table="attendance_correction", parent_column="employee_id", column="reason"
    )
    with connection.schema_editor() as editor:  # DDL inside the test's transaction: rolled back after it
        step.code(None, editor)
    monkeypatch.setattr("erp.core.search.planner.FREQUENT_TERM_MATCHES", 1)
    with_function = TextSearch(
        Employee, [RelatedText(Correction, "employee", "reason", row_function="test_correction_match")]
    )
    q = with_function.q("퇴근")
    assert "test_correction_match" in str(Employee.objects.filter(q).query)
    assert set(Employee.objects.filter(q).values_list("user__username", flat=True)) == {"kim"}


def test_related_match_function_refuses_odd_identifiers():
    with pytest.raises(ValueError):
        related_match_function("x; DROP TABLE y", table="t", parent_column="p", column="c")
