"""The history search page: groups, capped counts, facets, highlights, pages, permissions, bad input."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from attendance.models import Correction
from erp.history import engine
from erp.history.models import SavedSearch
from erp.people.models import Employee
from tickets.models import Status, Ticket
from tickets.services import ticket_comment

pytestmark = pytest.mark.django_db
URL = "/search/"


@pytest.fixture
def tickets(new_ticket, people, infra, dev, clock):
    specs = {
        "vpn": {"title": "VPN장애 재발", "description": "사내 위키 접속도 안 됩니다."},
        "wiki": {"title": "사내위키 권한 요청", "description": "결제 문서 열람"},
        "secret": {"title": "인사 시스템 장애", "description": "급여 <script>alert(1)</script>", "sensitive": True},
        "dev": {"title": "빌드 서버 장애", "description": "CI 중단", "group": dev, "by": people["colleague"]},
    }
    made = {}
    for name, spec in specs.items():
        clock.advance(minutes=1)
        made[name] = new_ticket(**spec)
    ticket_comment(ticket=made["wiki"], body="내부 메모: 방화벽 정책 누락", internal=True, by=people["agent"])
    return made


def get(client, user, **params):
    client.force_login(user)
    return client.get(URL, params)


def group_counts(response):
    return {g["source"].key: str(g["count"]) for g in response.context["groups"]}


def titles(response, key=None):
    if key is None:
        return [item["hit"].obj.pk for item in response.context["hits"]]
    (group,) = [g for g in response.context["groups"] if g["source"].key == key]
    return [item["hit"].obj.pk for item in group["hits"]]


def test_results_are_grouped_by_module_with_the_modules_permissions(client, people, tickets):
    response = get(client, people["admin"], q="장애")
    assert response.status_code == 200
    assert set(titles(response, "tickets")) == {tickets["vpn"].pk, tickets["secret"].pk, tickets["dev"].pk}
    # The requester sees their own requests (the sensitive one too), never the dev group's.
    response = get(client, people["requester"], q="장애")
    assert set(titles(response, "tickets")) == {tickets["vpn"].pk, tickets["secret"].pk}
    # An internal note only matches for those who handle the ticket.
    assert "tickets" not in group_counts(get(client, people["requester"], q="방화벽"))
    assert titles(get(client, people["agent"], q="방화벽"), "tickets") == [tickets["wiki"].pk]


def test_korean_forms_mixed_scripts_and_spacing_variants(client, people, tickets):
    admin = people["admin"]
    assert titles(get(client, admin, q="VPN장애"), "tickets") == [tickets["vpn"].pk]
    assert titles(get(client, admin, q="vpn"), "tickets") == [tickets["vpn"].pk]
    # 사내 위키 (two words) finds both spellings, and so does 사내위키 (one word, one space allowed).
    both = {tickets["vpn"].pk, tickets["wiki"].pk}
    assert set(titles(get(client, admin, q="사내 위키"), "tickets")) == both
    assert set(titles(get(client, admin, q="사내위키"), "tickets")) == both
    number = tickets["dev"].number  # INC-4: the ticket reference
    assert titles(get(client, admin, q=number), "tickets") == [tickets["dev"].pk]


def test_people_are_found_and_a_phone_only_by_admins(client, people):
    Employee.objects.filter(user=people["agent2"]).update(phone="010-1234-5678", title="네트워크 엔지니어")
    agent2 = Employee.objects.get(user=people["agent2"])
    assert titles(get(client, people["requester"], q="엔지니어"), "people") == [agent2.pk]
    assert titles(get(client, people["requester"], q="인프라"), "people")  # the department's name
    assert "people" not in group_counts(get(client, people["requester"], q="5678"))
    assert titles(get(client, people["admin"], q="5678"), "people") == [agent2.pk]
    card = client.get(reverse("history:person", args=[agent2.pk]))
    assert "010-1234-5678" in card.content.decode()
    client.force_login(people["requester"])
    assert "010-1234-5678" not in client.get(reverse("history:person", args=[agent2.pk])).content.decode()


def test_counts_are_capped_and_never_a_full_count(client, people, tickets, monkeypatch):
    monkeypatch.setattr(engine.capped_count, "__defaults__", (2,))
    monkeypatch.setattr(engine, "OVERVIEW_COUNT_CAP", 2)
    monkeypatch.setattr(engine.overview, "__kwdefaults__", {"hits": 1})
    assert group_counts(get(client, people["admin"], q="장애"))["tickets"] == "2+"
    assert group_counts(get(client, people["admin"], q="VPN"))["tickets"] == "1"
    assert str(get(client, people["admin"], q="장애", module="tickets").context["count"]) == "2+"
    assert str(engine.Count(1000, True)) == "1,000+"
    with translation.override("ko"):
        assert engine.Count(1000, True).found == "1,000건 이상"


def test_keyset_pages_walk_every_hit_once_and_a_crafted_cursor_is_refused(client, people, tickets, monkeypatch):
    monkeypatch.setattr(engine.page, "__kwdefaults__", {"size": 1})
    seen, params = [], {"q": "장애", "module": "tickets"}
    response = get(client, people["admin"], **params)
    while True:
        seen += titles(response)
        if not response.context["next_query"]:
            break
        response = client.get(URL + "?" + response.context["next_query"])
    assert seen == [tickets["dev"].pk, tickets["secret"].pk, tickets["vpn"].pk]  # newest first
    for cursor in ("garbage", "eyJ2IjpbIjAwMDEtMDEtMDFUMDA6MDA6MDArMDA6MDAiLDFdLCJkIjoibmV4dCJ9", "\x00"):
        assert client.get(URL, {**params, "cursor": cursor}).status_code == 400


def test_best_match_puts_title_matches_first(client, people, tickets, new_ticket, clock):
    clock.advance(minutes=1)
    Ticket.objects.filter(pk=tickets["vpn"].pk).update(description="사내 위키 접속도 안 됩니다.")
    newer_body_hit = new_ticket(title="접속 문의", description="사내 메일")
    assert titles(get(client, people["admin"], q="사내", module="tickets")) == [
        newer_body_hit.pk, tickets["wiki"].pk, tickets["vpn"].pk,
    ]  # fmt: skip
    best = get(client, people["admin"], q="사내", module="tickets", order="best")
    assert titles(best) == [tickets["wiki"].pk, newer_body_hit.pk, tickets["vpn"].pk]


def test_facets_status_person_and_period(client, people, tickets, clock):
    admin = people["admin"]
    Ticket.objects.filter(pk=tickets["dev"].pk).update(status=Status.RESOLVED)
    assert titles(get(client, admin, q="장애", status=Status.RESOLVED), "tickets") == [tickets["dev"].pk]
    colleague = Employee.objects.get(user=people["colleague"]).pk
    assert titles(get(client, admin, q="장애", person=colleague), "tickets") == [tickets["dev"].pk]
    assert "tickets" not in group_counts(get(client, admin, q="장애", start="2026-09-22", range="custom"))
    assert len(titles(get(client, admin, q="장애", start="2026-09-21", end="2026-09-21"), "tickets")) == 3
    assert len(titles(get(client, admin, q="장애", range="7d"), "tickets")) == 3  # the clock is on 2026-09-21


def test_highlights_are_marked_and_escaped(client, people, tickets):
    response = get(client, people["admin"], q="급여", module="tickets")
    html = response.content.decode()
    assert "<mark>급여</mark>" in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize(
    "params",
    [
        {"q": "장" * 1000},
        {"q": "a b c d e f g h i"},
        {"q": "장애", "start": "0001-01-01"},
        {"q": "장애", "start": "2026-10-01", "end": "2026-09-01"},
        {"q": "장애", "person": "99999999999999999999999"},
        {"q": "장애", "person": "abc"},
        {"q": "장애", "module": "nope"},
        {"q": "장애", "range": "forever"},
        {"q": "장애", "order": "random"},
        {"q": "\x00장애"},  # NUL: Django's form says so (PostgreSQL text cannot hold it)
    ],
)
def test_bad_input_is_a_clear_400(client, people, tickets, params):
    assert get(client, people["admin"], **params).status_code == 400


@pytest.mark.parametrize("text", ["%", "_", "%장애%", "' OR 1=1 --", "*", "\\", "장애 '; DROP TABLE x; --"])
def test_wildcards_and_metacharacters_are_plain_text(client, people, tickets, text):
    response = get(client, people["admin"], q=text)
    assert response.status_code == 200
    found = set(titles(response, "tickets")) if "tickets" in group_counts(response) else set()
    if text == "장애":
        assert found == {tickets["vpn"].pk, tickets["secret"].pk, tickets["dev"].pk}
    else:
        assert found == set()


def test_people_without_a_profile_are_refused(client, django_user_model):
    user = django_user_model.objects.create_user("ghost", password="pw")
    client.force_login(user)
    assert client.get(URL, {"q": "장애"}).status_code == 403


def test_saved_searches_are_personal_or_shared_with_the_department(client, people, tickets):
    client.force_login(people["agent"])
    response = client.post(reverse("history:save"), {"name": "VPN", "query": "q=VPN&module=tickets", "share": "1"})
    assert response.status_code == 302
    saved = SavedSearch.objects.get()
    assert saved.params == {"q": ["VPN"], "module": ["tickets"]}
    client.post(reverse("history:save"), {"name": "mine", "query": "q=위키"})
    names = lambda user: [s.name for s in get(client, user).context["saved_searches"]]  # noqa: E731
    assert names(people["agent"]) == ["VPN", "mine"]
    assert names(people["agent2"]) == ["VPN"]  # same department
    assert names(people["other_agent"]) == []
    # Only the owner deletes; a colleague's attempt is a 404.
    client.force_login(people["agent2"])
    assert client.post(reverse("history:delete-saved", args=[saved.pk])).status_code == 404
    client.force_login(people["agent"])
    client.post(reverse("history:delete-saved", args=[saved.pk]))
    assert names(people["agent"]) == ["mine"]
    # Nothing to save without a search text.
    client.post(reverse("history:save"), {"name": "empty", "query": "module=tickets"})
    assert SavedSearch.objects.count() == 1


def test_csv_export_of_one_module(client, people, tickets):
    Ticket.objects.filter(pk=tickets["vpn"].pk).update(description="=HYPERLINK(1)")
    client.force_login(people["admin"])
    response = client.get(reverse("history:export"), {"q": "장애", "module": "tickets"})
    assert response.status_code == 200
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert len(rows) == 4
    assert any(row[1].startswith("'=HYPERLINK") for row in rows[1:])
    assert client.get(reverse("history:export"), {"q": "장애"}).status_code == 400


def test_corrections_and_people_join_by_registration(client, people):
    employee = Employee.objects.get(user=people["agent"])
    Correction.objects.create(employee=employee, date=date(2026, 9, 18), reason="지문 인식기 장애로 퇴근 누락")
    assert "attendance_corrections" in group_counts(get(client, people["agent"], q="인식기"))
    assert "attendance_corrections" not in group_counts(get(client, people["requester"], q="인식기"))
    assert "attendance_corrections" in group_counts(get(client, people["manager"], q="인식기"))
