"""Attendance corrections in the history search: found by reason or decision note, only by those
who may open them (the same people the correction page lets in)."""

from datetime import date

import pytest
from django.test import Client
from django.utils import translation

from attendance.models import Correction
from attendance.selectors import visible_corrections
from attendance.selectors.search import CORRECTION_SOURCE
from erp.core.search import search_everywhere, search_source


@pytest.fixture(params=["rare", "frequent"], autouse=True)
def term_frequency(request, monkeypatch):
    monkeypatch.setattr("erp.core.search.planner.FREQUENT_TERM_MATCHES", 10**9 if request.param == "rare" else 1)


@pytest.fixture
def corrections(alice, bob, outsider):
    def make(employee, day, reason, note=""):
        return Correction.objects.create(employee=employee, date=date(2026, 11, day), reason=reason, decision_note=note)

    return {
        "alice": make(alice, 16, "외근 후 퇴근 체크를 잊었습니다"),
        "bob": make(bob, 17, "지문 인식기 장애로 퇴근 기록 누락", note="장비 교체 확인"),
        "outsider": make(outsider, 18, "고객사 미팅 후 퇴근 체크 누락"),
    }


def found(user, text):
    (result,) = search_everywhere(user, text, keys=["attendance_corrections"])
    return {hit.obj.employee.user.username for hit in result.hits}


def test_registered_from_the_app_config():
    assert search_source("attendance_corrections") is CORRECTION_SOURCE


def test_each_person_finds_what_they_may_open(corrections, alice, manager, outsider, admin_employee):
    assert found(alice.user, "퇴근") == {"seoyeon"}  # only her own
    assert found(manager.user, "퇴근") == {"seoyeon", "dohyun"}  # her reports, not sales
    assert found(outsider.user, "퇴근") == {"eunji"}  # a manager of another department: own only
    assert found(admin_employee.user, "퇴근") == {"seoyeon", "dohyun", "eunji"}
    assert found(manager.user, "교체") == {"dohyun"}  # the decision note is searched too
    assert found(alice.user, "장애") == set()


def test_visible_corrections_agree_with_the_correction_page(corrections, alice, bob, manager, outsider, admin_employee):
    for person in (alice, bob, manager, outsider, admin_employee):
        client = Client()
        client.force_login(person.user)
        visible = set(visible_corrections(person.user).values_list("pk", flat=True))
        for correction in corrections.values():
            opened = client.get(f"/attendance/corrections/{correction.pk}/").status_code == 200
            assert opened == (correction.pk in visible), (person.display_name, correction.employee.display_name)


def test_hit_title_summary_and_link_in_korean(corrections, manager):
    with translation.override("ko"):
        (result,) = search_everywhere(manager.user, "지문", keys=["attendance_corrections"])
        (hit,) = result.hits
        assert hit.title == "박도현 · 2026-11-17 정정 요청 (대기)"
        assert str(result.source.label) == "근태 정정 요청"
    assert hit.summary == "지문 인식기 장애로 퇴근 기록 누락"
    assert hit.url == f"/attendance/corrections/{corrections['bob'].pk}/"


def test_anonymous_sees_nothing_and_costs_nothing(corrections, django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    with django_assert_num_queries(0):
        assert found(AnonymousUser(), "퇴근") == set()


@pytest.mark.postgres
def test_reasons_and_decision_notes_are_bigram_indexed(db):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'attendance_correction'")
        names = {row[0] for row in cursor.fetchall()}
    assert {"attendance_correction_reason_bigram", "attendance_correction_decision_note_bigram"} <= names
