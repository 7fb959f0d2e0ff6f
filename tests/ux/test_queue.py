"""The agent queue (issue 16, parts 2–4): views with live capped counts, open by default,
due sort and relative SLA times, clean URLs with filter chips, requester filters, bulk
actions, and no 404 after an action that takes the ticket away."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from erp.core.durations import relative_due
from tickets.models import Status, Ticket
from tickets.queue import capped_count

pytestmark = pytest.mark.django_db


def page(client, user, query=""):
    client.force_login(user)
    response = client.get(reverse("tickets:list") + query)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_relative_due_reads_like_an_agent_would_say_it():
    now = timezone.now()
    assert relative_due(now + timedelta(minutes=13, seconds=20), now) == ("13분 남음", False)
    assert relative_due(now - timedelta(hours=2, minutes=3), now) == ("2시간 초과", True)
    assert relative_due(now + timedelta(hours=5, minutes=47), now) == ("5시간 45분 남음", False)
    assert relative_due(now - timedelta(days=3, hours=2), now) == ("3일 초과", True)


def test_the_list_opens_on_open_tickets_with_view_counts(client, people, tickets):
    services_close(tickets[1], people["agent"])
    html = page(client, people["agent"])
    assert '열린 티켓 <span class="count">2</span>' in html
    assert "전체 티켓</a>" in html  # no count over the whole history
    assert "미배정 <span" in html and "SLA 위반·임박 <span" in html and "우리 팀 <span" in html
    assert tickets[1].number not in html.split("<tbody>")[1]
    assert "총 2건" in html
    assert tickets[1].number in page(client, people["agent"], "?view=all").split("<tbody>")[1]


def test_unassigned_and_mine_views(client, people, tickets):
    from erp.audit.actor import Actor
    from tickets.services import ticket_assign

    for ticket in tickets:
        ticket.refresh_from_db()
    ticket_assign(ticket=tickets[0], assignee=people["agent"], by=Actor(user=people["agent"]))
    mine = page(client, people["agent"], "?view=mine").split("<tbody>")[1]
    assert tickets[0].number in mine and tickets[2].number not in mine
    unassigned = page(client, people["agent"], "?view=unassigned").split("<tbody>")[1]
    assert tickets[0].number not in unassigned


def test_due_sort_relative_times_and_none_on_closed(client, people, tickets):
    html = page(client, people["agent"], "?view=all&sort=due")
    assert "남음</time>" in html or "초과</time>" in html
    rows = html.split("<tbody>")[1]
    # P1 (tickets[2]) is due first.
    assert rows.index(tickets[2].number) < rows.index(tickets[1].number)


def test_overdue_is_red_and_closed_tickets_show_no_due(client, people, tickets):
    Ticket.objects.filter(pk=tickets[0].pk).update(resolution_due=timezone.now() - timedelta(hours=2, minutes=1))
    services_close(tickets[1], people["agent"])
    html = page(client, people["agent"], "?view=all")
    assert 'class="due overdue">2시간 초과</time>' in html
    closed_row = html.split(tickets[1].number)[1].split("</tr>")[0]
    assert "남음" not in closed_row and "초과" not in closed_row


def test_empty_filter_fields_redirect_to_a_short_url(client, people, tickets):
    client.force_login(people["agent"])
    response = client.get(reverse("tickets:list") + "?q=&status=open&impact=&sensitive=unknown&tag=")
    assert response.status_code == 302
    assert response["Location"] == reverse("tickets:list") + "?status=open"


def test_active_filters_show_as_removable_chips(client, people, tickets):
    html = page(client, people["agent"], "?view=all&status=open&q=VPN")
    assert "검색: VPN" in html and "상태: 접수" in html
    assert 'href="?view=all&amp;q=VPN"' in html  # the status chip's remove link


def test_checkbox_dropdowns_say_all_instead_of_dashes(client, people, tickets):
    html = page(client, people["agent"])
    assert "---------" not in html and "알 수 없음" not in html
    assert '<summary aria-describedby="label-priority">전체</summary>' in html
    assert 'type="checkbox" name="status" value="open"' in html


def test_requesters_see_only_their_filters_and_views(client, people, tickets):
    html = page(client, people["staff"])
    for hidden in ('name="assignee"', 'name="group"', 'name="sla_state"', 'name="impact"', "미배정 <span", "bulk-form"):
        assert hidden not in html, hidden
    assert "내가 요청한" in html and 'name="status"' in html


def test_result_count_is_capped(people, tickets):
    assert capped_count(Ticket.objects.all(), cap=2) == (2, True)
    assert capped_count(Ticket.objects.all(), cap=5) == (3, False)


def test_bulk_assign_to_me_and_status(client, people, tickets):
    client.force_login(people["agent"])
    numbers = [t.number for t in tickets[:2]]
    back = reverse("tickets:list") + "?view=mine"
    response = client.post(
        reverse("tickets:bulk"), {"ticket": numbers, "action": "assign_me", "next": back}, follow=True
    )
    assert response.redirect_chain[-1][0] == back
    assert "티켓 2건을 변경했습니다." in response.content.decode()
    assert set(Ticket.objects.filter(assignee=people["agent"]).values_list("number", flat=True)) == set(numbers)
    client.post(reverse("tickets:bulk"), {"ticket": numbers, "action": "status", "status": "pending"})
    assert set(Ticket.objects.filter(number__in=numbers).values_list("status", flat=True)) == {Status.PENDING}


def test_bulk_refusals_are_listed_and_do_not_stop_the_rest(client, people, tickets):
    client.force_login(people["other_agent"])  # dev group: cannot see infra tickets
    response = client.post(
        reverse("tickets:bulk"), {"ticket": [tickets[0].number], "action": "assign_me", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("tickets:list")
    assert not Ticket.objects.filter(assignee=people["other_agent"]).exists()


def test_bulk_needs_a_selection_and_an_action(client, people, tickets):
    client.force_login(people["agent"])
    response = client.post(reverse("tickets:bulk"), {"action": "status", "status": "closed"}, follow=True)
    assert "티켓을 하나 이상 선택해 주세요." in response.content.decode()
    response = client.post(
        reverse("tickets:bulk"), {"ticket": [tickets[0].number], "action": "status", "status": "closed"}, follow=True
    )
    assert "선택한 티켓에 적용할 작업을 골라 주세요." in response.content.decode()


def test_escalating_keeps_the_agent_on_the_ticket_as_a_watcher_and_names_the_group(client, people, tickets, dev):
    from tickets.models import GroupSettings

    GroupSettings.objects.update_or_create(
        group=people["agent"].employee.department, defaults={"escalation_group": dev}
    )
    client.force_login(people["agent"])
    ticket = tickets[0]
    response = client.post(
        reverse("tickets:escalate", args=[ticket.number]), {"reason": "개발팀 확인 필요"}, follow=True
    )
    assert response.redirect_chain[-1][0] == ticket.get_absolute_url()
    assert f"{ticket.number} 티켓을 에스컬레이션했습니다. 담당 그룹: 개발팀, 단계: 1" in response.content.decode()


def test_assigning_away_a_ticket_one_only_saw_as_assignee_goes_back_to_the_list(client, people, dev):
    from erp.audit.actor import Actor
    from tickets.services import ticket_create

    ticket = ticket_create(title="DB 권한", group=dev, assignee=people["agent"], by=Actor(user=people["admin"]))
    client.force_login(people["agent"])
    response = client.post(
        reverse("tickets:assign", args=[ticket.number]), {"assignee": people["other_agent"].pk}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("tickets:list")
    assert f"{ticket.number} 티켓은 이제 내 대기열에 없어 목록으로 돌아왔습니다." in response.content.decode()


def services_close(ticket, agent):
    from erp.audit.actor import Actor
    from tickets.services import ticket_close

    ticket.refresh_from_db()
    ticket_close(ticket=ticket, reason="중복", resolution="중복 티켓", by=Actor(user=agent))


def test_save_share_and_delete_a_view(client, people, tickets):
    from tickets.models import SavedView

    client.force_login(people["agent"])
    back = reverse("tickets:list") + "?view=all&sort=due&cursor=abc&q="
    response = client.post(reverse("tickets:view-save"), {"name": "급한 일", "shared": "on", "next": back})
    view = SavedView.objects.get()
    assert (view.owner, view.shared, view.query) == (people["agent"], True, "view=all&sort=due")
    assert response["Location"] == reverse("tickets:list") + "?view=all&sort=due"
    # A colleague agent sees the shared view, with its owner's name; a requester does not.
    assert '급한 일 <span class="muted">· 이서연</span>' in page(client, people["agent2"])
    assert "급한 일" not in page(client, people["staff"])
    # Only the owner deletes it.
    client.force_login(people["agent2"])
    client.post(reverse("tickets:view-delete", args=[view.pk]))
    assert SavedView.objects.exists()
    client.force_login(people["agent"])
    client.post(reverse("tickets:view-delete", args=[view.pk]))
    assert not SavedView.objects.exists()


def test_a_view_needs_a_name(client, people, tickets):
    from tickets.models import SavedView

    client.force_login(people["agent"])
    response = client.post(reverse("tickets:view-save"), {"name": " ", "next": "/tickets/"}, follow=True)
    assert "보기 이름을 입력해 주세요." in response.content.decode()
    assert not SavedView.objects.exists()


def test_requesters_timeline_has_no_internal_routing(client, people, tickets, dev):
    from erp.audit.actor import Actor
    from tickets.services import ticket_assign

    ticket = tickets[0]
    ticket_assign(ticket=ticket, assignee=people["agent"], by=Actor(user=people["agent"]))
    client.force_login(people["staff"])
    html = client.get(ticket.get_absolute_url()).content.decode()
    assert "event-assigned" not in html and "담당자:" not in html.split("Timeline")[-1]
    assert "요청 취소" in html and "티켓 종료" not in html
    client.force_login(people["agent"])
    html = client.get(ticket.get_absolute_url()).content.decode()
    assert "event-assigned" in html and "티켓 종료" in html


def test_assign_to_me_button_and_group_agents_only(client, people, tickets):
    client.force_login(people["agent"])
    html = client.get(tickets[0].get_absolute_url()).content.decode()
    toolbar = html.split('role="toolbar"')[1].split("</div>")[0]
    assert "내가 담당" in toolbar and 'value="assign_me"' in toolbar
    picker = html.split('id="assign-assignee"')[1].split("</select>")[0]
    assert "이서연" in picker and "박도현" in picker and "최지우" not in picker  # 최지우 is in 개발팀
