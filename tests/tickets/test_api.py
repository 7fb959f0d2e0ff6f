"""REST API: permission matrix, validation errors as JSON, filters, keyset pages, schema."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tickets.models import Ticket

from .matrix import CASES, expected, user_for
from .test_views import effect_happened


@pytest.fixture
def api():
    return APIClient()


def api_request(api, action, ticket, people):
    base = f"/api/tickets/{ticket.number}/"
    if action == "view":
        return api.get(base)
    if action == "edit":
        return api.patch(base, {"title": "제목 변경"}, format="json")
    posts = {
        "assign": ("assign/", {"assignee": people["agent"].pk}),
        "status": ("status/", {"status": "in_progress"}),
        "comment": ("comments/", {"body": "답변입니다"}),
        "internal_note": ("comments/", {"body": "내부 메모", "internal": True}),
        "escalate": ("escalate/", {"reason": "상위 검토"}),
        "close": ("close/", {}),
    }
    path, data = posts[action]
    return api.post(base + path, data, format="json")


@pytest.mark.parametrize(("role", "sensitive", "action"), CASES)
def test_api_permission_matrix(api, people, matrix_ticket, role, sensitive, action):
    ticket = matrix_ticket(sensitive)
    api.force_authenticate(user_for(people, role))
    outcome = expected(role, sensitive, action)
    listed = [row["number"] for row in api.get("/api/tickets/").json()["results"]]
    assert (ticket.number in listed) == (outcome != "hidden")
    response = api_request(api, action, ticket, people)
    if outcome == "hidden":
        assert response.status_code == 404 and response.json()["message"]
    elif outcome == "forbidden":
        assert response.status_code == 403 and response.json()["message"]
        assert not (action != "view" and effect_happened(action, ticket, people))
    else:
        assert response.status_code in (200, 201), response.json()
        assert effect_happened(action, ticket, people)


def test_create_with_token_auth_and_source_api(people, infra):
    token = Token.objects.create(user=people["requester"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.post(
        "/api/tickets/",
        {"title": "메일 발송 지연", "impact": "medium", "urgency": "high", "group": infra.pk, "tags": ["mail"]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"] == "INC-1" and body["priority"] == "P2" and body["source"] == "api"
    assert body["url"] == "http://testserver/tickets/INC-1/" and body["sla"]["state"] == "on_track"
    from erp.audit.selectors import audit_trail

    assert audit_trail(Ticket.objects.get()).first().source == "api"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "장애", "impact": "huge"}, "impact"),
        ({"title": "장애", "group": 999999}, "group"),
        ({"title": "장애", "ticket_type": "bug"}, "ticket_type"),
    ],
)
def test_create_validation_errors_are_json(api, people, payload, field):
    api.force_authenticate(people["requester"])
    response = api.post("/api/tickets/", payload, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["message"] and field in body["errors"]


def test_action_errors_are_json_with_a_message(api, people, new_ticket):
    ticket = new_ticket()
    api.force_authenticate(people["agent"])
    base = f"/api/tickets/{ticket.number}/"
    cases = [
        (api.post(base + "status/", {"status": "open"}, format="json"), 400, "invalid_transition"),
        (api.post(base + "status/", {"status": "done"}, format="json"), 400, None),
        (api.post(base + "escalate/", {"reason": ""}, format="json"), 400, None),
        (api.post(base + "resolve/", {}, format="json"), 400, None),
        (api.post(base + "reopen/", {"reason": "왜"}, format="json"), 400, "invalid_transition"),
        (api.post(base + "assign/", {"assignee": people["colleague"].pk}, format="json"), 400, None),
        (api.post(base + "assign/", {}, format="json"), 400, None),
        (api.patch(base, {}, format="json"), 400, None),
        (api.post(base + "comments/", {"body": ""}, format="json"), 400, None),
        (api.get("/api/tickets/INC-999/"), 404, None),
        (api.get("/api/tickets/not-a-ref/"), 404, None),
    ]
    for response, status, code in cases:
        assert response.status_code == status, response.content
        assert response.json()["message"]
        if code:
            assert response.json()["code"] == code


def test_comment_attachment_limits(api, people, new_ticket):
    ticket = new_ticket()
    api.force_authenticate(people["requester"])
    bad = SimpleUploadedFile("script.sh", b"rm -rf /", content_type="text/x-sh")
    response = api.post(f"/api/tickets/{ticket.number}/comments/", {"body": "첨부", "attachments": [bad]})
    assert response.status_code == 400 and "attachments" in response.json()["errors"]
    good = SimpleUploadedFile("shot.png", b"\x89PNG....", content_type="image/png")
    response = api.post(f"/api/tickets/{ticket.number}/comments/", {"body": "첨부", "attachments": [good]})
    assert response.status_code == 201 and response.json()["attachments"][0]["original_name"] == "shot.png"


def test_unauthenticated_gets_json_error():
    response = APIClient().get("/api/tickets/")
    assert response.status_code in (401, 403) and response.json()["message"]


def test_list_filters_search_and_cursor_pages_without_count(api, people, new_ticket):
    for index in range(7):
        new_ticket(title=f"쿠폰 발송 실패 {index}", urgency="high")
    new_ticket(title="프린터 고장", urgency="low")
    api.force_authenticate(people["manager"])
    with CaptureQueriesContext(connection) as queries:
        page = api.get("/api/tickets/", {"page_size": 5}).json()
    assert not [q for q in queries if "COUNT(" in q["sql"].upper()]
    assert len(page["results"]) == 5 and page["next"] and "count" not in page
    rest = api.get(page["next"]).json()
    assert len(rest["results"]) == 3
    found = api.get("/api/tickets/", {"q": "쿠폰", "priority": "P2"}).json()["results"]
    assert len(found) == 7 and all(row["priority"] == "P2" for row in found)
    assert api.get("/api/tickets/", {"status": "nonsense"}).status_code == 400


def test_schema_documents_the_ticket_endpoints(api, people):
    api.force_authenticate(people["requester"])
    response = api.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for suffix in ("", "{ref}/", "{ref}/assign/", "{ref}/status/", "{ref}/comments/", "{ref}/escalate/",
                   "{ref}/resolve/", "{ref}/close/", "{ref}/reopen/"):  # fmt: skip
        assert f"/api/tickets/{suffix}" in paths
