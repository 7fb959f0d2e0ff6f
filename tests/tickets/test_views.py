"""Browser UI: the permission matrix over HTTP, list filters and pages, forms, CSV export."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tickets.models import Comment, Status, Ticket
from tickets.services import ticket_comment

from .matrix import CASES, expected, user_for


def ui_request(client, action, ticket, people, infra):
    number = ticket.number
    if action == "view":
        return client.get(reverse("tickets:detail", args=[number]))
    if action == "edit":
        data = {"title": "제목 변경", "description": "설명", "impact": "medium", "urgency": "medium",
                "group": infra.pk, "tags": ""}  # fmt: skip
        if ticket.sensitive:
            data["sensitive"] = "on"  # the form keeps the flag (clearing it is the declassification rule's case)
        return client.post(reverse("tickets:edit", args=[number]), data)
    posts = {
        "assign": ("tickets:assign", {"assignee": people["agent"].pk}),
        "status": ("tickets:status", {"status": "in_progress"}),
        "comment": ("tickets:comment", {"body": "답변입니다"}),
        "internal_note": ("tickets:comment", {"body": "내부 메모", "internal": "on"}),
        "escalate": ("tickets:escalate", {"reason": "상위 검토"}),
        "close": ("tickets:close", {"reason": ""}),
    }
    name, data = posts[action]
    return client.post(reverse(name, args=[number]), data)


def effect_happened(action, ticket, people):
    ticket.refresh_from_db()
    return {
        "view": True,
        "edit": ticket.title == "제목 변경",
        "assign": ticket.assignee == people["agent"],
        "status": ticket.status == Status.IN_PROGRESS,
        "comment": Comment.objects.filter(ticket=ticket, internal=False).exists(),
        "internal_note": Comment.objects.filter(ticket=ticket, internal=True).exists(),
        "escalate": ticket.escalation_level == 1,
        "close": ticket.status == Status.CLOSED,
    }[action]


@pytest.mark.parametrize(("role", "sensitive", "action"), CASES)
def test_ui_permission_matrix(client, people, infra, matrix_ticket, role, sensitive, action):
    ticket = matrix_ticket(sensitive)
    client.force_login(user_for(people, role))
    outcome = expected(role, sensitive, action)
    listed = client.get(reverse("tickets:list")).context["tickets"]
    assert (ticket.pk in [t.pk for t in listed]) == (outcome != "hidden")
    response = ui_request(client, action, ticket, people, infra)
    if outcome == "hidden":
        assert response.status_code == 404
    elif outcome == "forbidden":
        assert response.status_code == 403
        assert not (action != "view" and effect_happened(action, ticket, people))
    else:
        assert response.status_code in (200, 302), response.content[:500]
        assert effect_happened(action, ticket, people)


def test_list_filters_sorting_and_keyset_pages_without_count(client, people, new_ticket):
    for index in range(55):
        # Filed by an agent: the high/high ones are P1s (the default P1 policy).
        new_ticket(title=f"모니터 교체 요청 {index}", impact="low" if index % 2 else "high", urgency="high",
                   by=people["agent"], requester=people["requester"])  # fmt: skip
    client.force_login(people["manager"])
    with CaptureQueriesContext(connection) as queries:
        first = client.get(reverse("tickets:list"))
    # The queue views' and the result's counts are capped (COUNT over a LIMITed subquery,
    # tickets/queue.py); no COUNT without a LIMIT runs.
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert counts and all(" LIMIT " in sql.upper() for sql in counts)
    assert len(queries) <= 11 + len(counts)  # + the saved views
    page = first.context["page"]
    assert len(page.items) == 50 and page.has_next and not page.has_previous
    second = client.get(reverse("tickets:list"), {"cursor": page.next_cursor})
    page2 = second.context["page"]
    assert len(page2.items) == 5 and page2.has_previous and not page2.has_next
    assert not {t.pk for t in page.items} & {t.pk for t in page2.items}
    back = client.get(reverse("tickets:list"), {"cursor": page2.prev_cursor}).context["page"]
    assert [t.pk for t in back.items] == [t.pk for t in page.items]

    by_priority = client.get(reverse("tickets:list"), {"sort": "priority", "priority": ["P1", "P3"]})
    priorities = [t.priority for t in by_priority.context["tickets"]]
    assert priorities == sorted(priorities) and set(priorities) == {"P1", "P3"}
    filtered = client.get(reverse("tickets:list"), {"q": "교체 요청 5", "status": "open"}).context["tickets"]
    assert {t.title for t in filtered} == {"모니터 교체 요청 5"} | {f"모니터 교체 요청 5{i}" for i in range(5)}
    bad = client.get(reverse("tickets:list"), {"created_after": "not-a-date"})
    assert bad.status_code == 200 and bad.context["filter"].errors
    garbage_cursor = client.get(reverse("tickets:list"), {"cursor": "!!!"})
    assert garbage_cursor.status_code == 200 and len(garbage_cursor.context["tickets"]) == 50


def test_csv_export_is_filtered_utf8_with_bom(client, people, new_ticket):
    new_ticket(title="결제 서버 장애")
    new_ticket(title='=HYPERLINK("http://evil") 장애')
    new_ticket(title="프린터 용지 걸림")
    new_ticket(title="다른 팀 장애", group=None, by=people["colleague"])  # not visible to the requester
    client.force_login(people["requester"])
    response = client.get(reverse("tickets:export"), {"q": "장애"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][0] in ("Number", "번호") and len(rows) == 3
    titles = {row[2] for row in rows[1:]}
    assert titles == {"결제 서버 장애", '\'=HYPERLINK("http://evil") 장애'}


def test_create_form_validates_and_creates(client, people, infra):
    client.force_login(people["requester"])
    response = client.post(reverse("tickets:create"), {"title": "  ", "ticket_type": "incident"})
    assert response.status_code == 200 and response.context["form"].errors
    bad_file = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(
        reverse("tickets:create"),
        {"title": "VPN 장애", "ticket_type": "incident", "impact": "medium", "urgency": "high",
         "group": infra.pk, "attachments": [bad_file]},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["attachments"][0].code == "file_type"
    log = SimpleUploadedFile("vpn.log", "연결 끊김 로그".encode(), content_type="text/plain")
    response = client.post(
        reverse("tickets:create"),
        {"title": "VPN 장애", "description": "재택 중 끊김", "ticket_type": "incident", "work_impact": "blocked",
         "group": infra.pk, "tags": "vpn, 재택", "attachments": [log]},
    )  # fmt: skip
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == ticket.get_absolute_url()
    assert ticket.requester == people["requester"] and ticket.priority == "P2" and ticket.tag_list == ["vpn", "재택"]
    attachment = ticket.attachments.get()
    download = client.get(reverse("tickets:attachment", args=[ticket.number, attachment.pk]))
    assert b"".join(download.streaming_content) == "연결 끊김 로그".encode()


def test_oversized_attachment_is_refused_with_a_clear_error(client, people, new_ticket, settings):
    settings.TICKETS_MAX_ATTACHMENT_BYTES = 1024
    ticket = new_ticket()
    client.force_login(people["requester"])
    big = SimpleUploadedFile("dump.txt", b"x" * 2048, content_type="text/plain")
    response = client.post(reverse("tickets:comment", args=[ticket.number]), {"body": "로그", "attachments": [big]})
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("dump.txt" in m and "1.0" in m for m in messages)  # names the file and the 1 KB limit
    assert not ticket.comments.exists()


def test_detail_timeline_hides_internal_notes_from_requester(client, people, new_ticket):
    ticket = new_ticket()
    ticket_comment(ticket=ticket, body="공개 답변입니다", by=people["agent"])
    ticket_comment(ticket=ticket, body="비밀 내부 메모", internal=True, by=people["agent"])
    client.force_login(people["requester"])
    page = client.get(ticket.get_absolute_url()).content.decode()
    assert "공개 답변입니다" in page and "비밀 내부 메모" not in page
    assert 'name="internal"' not in page
    client.force_login(people["agent"])
    page = client.get(ticket.get_absolute_url()).content.decode()
    assert "비밀 내부 메모" in page and 'name="internal"' in page


def test_invalid_transition_shows_a_message_not_a_500(client, people, new_ticket):
    ticket = new_ticket()
    client.force_login(people["agent"])
    response = client.post(reverse("tickets:status", args=[ticket.number]), {"status": "open"}, follow=True)
    assert response.status_code == 200
    assert any(ticket.number in str(m) for m in response.context["messages"])


def test_home_panel_lists_my_tickets(client, people, new_ticket):
    from tickets.services import ticket_assign

    mine = ticket_assign(ticket=new_ticket(title="내게 배정된 건"), assignee=people["agent"], by=people["agent"])
    client.force_login(people["agent"])
    page = client.get(reverse("portal:home")).content.decode()
    assert mine.number in page and reverse("tickets:list") in page
    client.force_login(people["requester"])
    assert mine.number in client.get(reverse("portal:home")).content.decode()
