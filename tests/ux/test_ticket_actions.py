"""The agent's one action toolbar on the ticket page and the status picker on each list row
(issue 16): plain POSTs without JavaScript, the same services (permissions, audit, Slack) and
clear messages for refused moves; requesters keep their own page and never see the group picker."""

import pytest
from django.urls import reverse

from erp.audit.actor import Actor
from erp.audit.models import AuditEvent
from tickets.models import Status
from tickets.services import ticket_assign

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[tuple[str, str]]:
    return [(message.level_tag, str(message)) for message in response.context["messages"]]


def act(client, ticket, **data):
    return client.post(reverse("tickets:act", args=[ticket.number]), data, follow=True)


# ---- The toolbar ---------------------------------------------------------------------------


def test_agent_gets_one_toolbar_with_one_resolution_box(client, people, tickets):
    client.force_login(people["agent"])
    html = client.get(tickets[0].get_absolute_url()).content.decode()
    toolbar = html.split('role="toolbar"')[1].split("</div>")[0]
    for label in ("내가 담당", "상태 변경", ">해결<", "에스컬레이션", "티켓 종료"):
        assert label in toolbar, label
    assert html.count('name="resolution"') == 1 and html.count("<textarea") == 3  # resolution, note, reply
    number = tickets[0].number  # not always INC-1: PostgreSQL's sequences do not roll back
    assert html.count(f'action="/tickets/{number}/act/"') == 1
    # The separate status / resolve / escalate / close cards are gone.
    for old in ("/status/", "/resolve/", "/escalate/", "/close/"):
        assert f'action="/tickets/{number}{old}"' not in html


def test_requester_page_keeps_cancel_and_has_no_toolbar(client, people, tickets):
    client.force_login(people["staff"])
    html = client.get(tickets[0].get_absolute_url()).content.decode()
    assert 'role="toolbar"' not in html and "/act/" not in html
    assert "요청 취소" in html and 'name="resolution"' not in html


def test_toolbar_assign_to_me_status_and_resolve(client, people, tickets):
    ticket = tickets[0]
    client.force_login(people["agent"])
    response = act(client, ticket, action="assign_me")
    assert ("success", "이서연에게 배정했습니다.") in messages_of(response)
    ticket.refresh_from_db()
    assert ticket.assignee == people["agent"]

    response = act(client, ticket, action="status", status="pending", reason="요청자 회신 대기")
    assert ("success", "대기 상태로 변경했습니다.") in messages_of(response)
    ticket.refresh_from_db()
    assert ticket.status == Status.PENDING
    event = AuditEvent.objects.filter(action="status_changed").latest("id")
    assert event.context.get("reason") == "요청자 회신 대기" and event.changes["status"] == ["open", "pending"]

    # Resolve without a resolution: refused with the service's sentence, nothing changes.
    response = act(client, ticket, action="resolve", resolution=" ")
    assert any(level == "error" for level, _text in messages_of(response))
    ticket.refresh_from_db()
    assert ticket.status == Status.PENDING and not ticket.resolution
    act(client, ticket, action="resolve", resolution="VPN 프로필을 다시 배포했습니다.")
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED and ticket.resolution == "VPN 프로필을 다시 배포했습니다."
    # Resolved: the toolbar offers closing (no second resolution box, the ticket has one).
    html = client.get(ticket.get_absolute_url()).content.decode()
    assert "티켓 종료" in html and 'name="resolution"' not in html


def test_toolbar_close_keeps_the_resolution_typed_in_the_one_box(client, people, tickets):
    ticket = tickets[1]
    client.force_login(people["agent"])
    act(client, ticket, action="close", resolution="재부팅으로 해결", reason="")
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED and ticket.resolution == "재부팅으로 해결"
    # Closed: nothing left for the toolbar.
    assert 'role="toolbar"' not in client.get(ticket.get_absolute_url()).content.decode()


def test_toolbar_escalation_needs_a_reason_and_never_strands_the_agent(client, people, tickets, infra, dev):
    from tickets.models import GroupSettings

    GroupSettings.objects.create(group=infra, escalation_group=dev)
    ticket = tickets[0]
    client.force_login(people["agent"])
    response = act(client, ticket, action="escalate", reason="")
    assert ("error", "에스컬레이션 사유를 입력해 주세요.") in messages_of(response)
    ticket.refresh_from_db()
    assert ticket.escalation_level == 0
    response = act(client, ticket, action="escalate", reason="네트워크 장비 점검 필요")
    # 개발팀's ticket now: the infra agent gets a confirmation on a page they may see, not a 404.
    assert response.status_code == 200
    assert any("개발팀" in text for level, text in messages_of(response) if level == "success")
    ticket.refresh_from_db()
    assert ticket.escalation_level == 1 and ticket.group == dev


def test_toolbar_refuses_bad_input_and_other_peoples_tickets(client, people, tickets):
    ticket = tickets[0]
    client.force_login(people["agent"])
    response = act(client, ticket, action="delete")
    assert ("error", "티켓에 할 작업을 선택해 주세요.") in messages_of(response)
    response = act(client, ticket, action="status", status="")
    assert ("error", "변경할 상태를 선택해 주세요.") in messages_of(response)
    response = act(client, ticket, action="status", status="resolved")
    assert any(level == "error" and "해결" in text for level, text in messages_of(response))
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    # The requester may not use it (403 page), an agent of another group does not see the ticket.
    client.force_login(people["staff"])
    assert client.post(reverse("tickets:act", args=[ticket.number]), {"action": "assign_me"}).status_code == 403
    client.force_login(people["other_agent"])
    assert client.post(reverse("tickets:act", args=[ticket.number]), {"action": "assign_me"}).status_code == 404
    ticket.refresh_from_db()
    assert ticket.assignee is None
    assert client.get(reverse("tickets:act", args=[ticket.number])).status_code == 405


# ---- The list row's status picker ----------------------------------------------------------


def row_status(client, ticket, htmx=False, status="", **data):
    """What a row's button posts: the shared form (CSRF, next), the ticket, that row's picker."""
    headers = {"HX-Request": "true"} if htmx else {}
    data = {"ticket": ticket.number, f"status-{ticket.number}": status, **data}
    return client.post(reverse("tickets:row-status"), data, headers=headers)


def test_list_rows_offer_a_status_picker_to_handlers_only(client, people, tickets):
    client.force_login(people["agent"])
    html = client.get(reverse("tickets:list")).content.decode()
    assert html.count('class="row-status"') == 3 and html.count('id="row-status"') == 1  # one shared form
    number = tickets[0].number
    picker = html.split(f'name="status-{number}"')[1].split("</select>")[0]
    assert f'aria-label="{number} 티켓의 새 상태"' in picker and 'form="row-status"' in picker
    assert "진행 중" in picker and "대기" in picker and "해결" not in picker and "종료" not in picker
    assert f'name="ticket" value="{number}" hx-post="/tickets/row-status/"' in html
    client.force_login(people["staff"])  # the requester's own list: no picker
    assert "row-status" not in client.get(reverse("tickets:list")).content.decode()


def test_row_status_without_javascript_redirects_back_with_a_message(client, people, tickets):
    ticket = tickets[0]
    client.force_login(people["agent"])
    response = row_status(client, ticket, status="in_progress", next="/tickets/?view=all")
    assert response.status_code == 302 and response.url == "/tickets/?view=all"
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS
    assert AuditEvent.objects.filter(action="status_changed", object_id=str(ticket.pk)).exists()
    response = client.get(response.url)
    assert ("success", f"{ticket.number} 티켓을 진행 중 상태로 변경했습니다.") in messages_of(response)
    # An outside address in next is ignored.
    response = row_status(client, ticket, status="pending", next="https://evil.example/")
    assert response.url == reverse("tickets:list")


def test_row_status_with_htmx_answers_the_row_alone(client, people, tickets):
    ticket = tickets[0]
    client.force_login(people["agent"])
    response = row_status(client, ticket, htmx=True, status="pending", next="/tickets/")
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith(f'<tr id="row-{ticket.number}">')
    assert "<html" not in html and 'class="badge status-pending"' in html
    assert f'role="status">{ticket.number} 티켓을 대기 상태로 변경했습니다.' in html
    # The row's picker now offers what follows 대기.
    picker = html.split(f'name="status-{ticket.number}"')[1].split("</select>")[0]
    assert 'value="open"' in picker and 'value="pending"' not in picker


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("resolved", "해결 내용"),  # resolving needs a resolution: the ticket page does it
        ("open", "이미"),  # already open
        ("bogus", "올바르게 선택해 주세요"),
    ],
)
def test_row_status_refusals_are_clear_and_change_nothing(client, people, tickets, status, expected):
    ticket = tickets[0]
    client.force_login(people["agent"])
    html = row_status(client, ticket, htmx=True, status=status).content.decode()
    error = html.split('class="row-message error" role="alert">')[1].split("</span>")[0]
    assert expected in error, error
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    response = client.get(row_status(client, ticket, status=status).url)
    assert any(level == "error" for level, _text in messages_of(response))


def test_row_status_respects_permissions(client, people, tickets):
    ticket = tickets[0]
    client.force_login(people["staff"])  # the requester sees the ticket but does not handle it
    html = row_status(client, ticket, htmx=True, status="in_progress").content.decode()
    assert 'role="alert"' in html and ticket.number in html
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    client.force_login(people["other_agent"])  # another group's agent does not see it at all
    assert row_status(client, ticket, status="in_progress").status_code == 404
    assert client.post(reverse("tickets:row-status"), {}).status_code == 404  # no ticket named
    # Assigned to an agent of the group: a colleague still handles it (same rule as the page).
    ticket_assign(ticket=ticket, assignee=people["agent2"], by=Actor(user=people["agent2"]))
    client.force_login(people["agent"])
    row_status(client, ticket, status="in_progress")
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS


# ---- New ticket: routing picks the group for requesters --------------------------------------


def test_requesters_do_not_pick_a_group_agents_do(client, people, tickets, infra, dev):
    from tickets.models import Category, Ticket

    client.force_login(people["staff"])
    html = client.get(reverse("tickets:create")).content.decode()
    assert 'name="group"' not in html
    category = Category.objects.create(name="네트워크", default_group=infra)
    # A group sent anyway is ignored: the category's routing decides.
    client.post(
        reverse("tickets:create"),
        {"title": "와이파이 끊김", "ticket_type": "incident", "work_impact": "some", "category": category.pk,
         "group": dev.pk},
    )  # fmt: skip
    assert Ticket.objects.get(title="와이파이 끊김").group == infra
    client.force_login(people["agent"])
    assert 'name="group"' in client.get(reverse("tickets:create")).content.decode()


def test_a_requester_ticket_no_category_routes_goes_to_the_intake_group(client, people, tickets, infra):
    """Without a group picker, a requester's ticket without a category would belong to no group
    (seen by admins only): the admin's intake group takes it."""
    from erp.audit.actor import Actor
    from tickets.models import Ticket, TicketSettings
    from tickets.services.config import ticket_settings_save

    client.force_login(people["staff"])
    form = {"ticket_type": "incident", "work_impact": "some"}
    client.post(reverse("tickets:create"), {**form, "title": "프린터 용지 걸림"})
    assert Ticket.objects.get(title="프린터 용지 걸림").group is None  # nothing configured: as before
    ticket_settings_save(settings=TicketSettings(intake_group=infra), by=Actor(user=people["admin"]))
    client.post(reverse("tickets:create"), {**form, "title": "모니터가 안 켜져요"})
    assert Ticket.objects.get(title="모니터가 안 켜져요").group == infra
