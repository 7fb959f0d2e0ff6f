"""Django admin: visibility and change rights follow the selectors; bulk actions use services."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from erp.audit.selectors import audit_trail
from tickets.models import Status, Ticket
from tickets.services import ticket_resolve

from .matrix import ROLES, expected, user_for

ADMIN_ACTIONS = ["view", "edit", "assign", "status", "close"]


@pytest.fixture
def staff_people(people):
    """Every matrix person may open the admin with the ticket permissions (rows still filtered)."""
    perms = Permission.objects.filter(content_type__app_label="tickets", codename__in=["view_ticket", "change_ticket"])
    for user in people.values():
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        user.user_permissions.add(*perms)
    return people


def run_bulk(client, action, ticket, people):
    data = {"action": action, "_selected_action": [ticket.pk], "index": 0}
    if action == "assign_selected":
        data["assignee"] = people["agent"].pk
    if action == "change_status_selected":
        data["status"] = "in_progress"
    return client.post(reverse("admin:tickets_ticket_changelist"), data, follow=True)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("sensitive", [False, True])
@pytest.mark.parametrize("action", ADMIN_ACTIONS)
def test_admin_permission_matrix(client, staff_people, matrix_ticket, role, sensitive, action):
    people = staff_people
    ticket = matrix_ticket(sensitive)
    client.force_login(user_for(people, role))
    outcome = expected(role, sensitive, action)
    changelist = client.get(reverse("admin:tickets_ticket_changelist"))
    assert changelist.status_code == 200
    assert (ticket in changelist.context["cl"].result_list) == (outcome != "hidden")
    change_url = reverse("admin:tickets_ticket_change", args=[ticket.pk])
    if action == "view":
        response = client.get(change_url)
        assert response.status_code == (200 if outcome != "hidden" else 302)
        return
    if action == "edit":
        response = client.get(change_url)
        if outcome == "hidden":
            assert response.status_code == 302
            return
        can_save = response.context["has_change_permission"]
        assert can_save == (outcome == "ok")
        return
    bulk = {"assign": "assign_selected", "status": "change_status_selected", "close": "close_selected"}[action]
    response = run_bulk(client, bulk, ticket, people)
    ticket.refresh_from_db()
    changed = {
        "assign": ticket.assignee == people["agent"],
        "status": ticket.status == Status.IN_PROGRESS,
        "close": ticket.status == Status.CLOSED,
    }[action]
    assert changed == (outcome == "ok")
    if outcome == "ok":
        assert audit_trail(ticket).first().source == "admin"
    elif outcome == "forbidden":
        assert any(ticket.number in str(m) for m in response.context["messages"])


def test_admin_change_form_goes_through_services(admin_client, people, new_ticket):
    ticket = new_ticket()
    url = reverse("admin:tickets_ticket_change", args=[ticket.pk])
    page = admin_client.get(url)
    data = _form_data(page)
    data.update({"title": "관리자 수정", "status": "in_progress", "assignee": people["agent"].pk, "urgency": "high"})
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    ticket.refresh_from_db()
    assert (ticket.title, ticket.status, ticket.assignee, ticket.priority) == (
        "관리자 수정",
        "in_progress",
        people["agent"],
        "P2",
    )
    actions = {e.action for e in audit_trail(ticket) if e.source == "admin"}
    assert actions == {"updated", "assigned", "status_changed"}

    data = _form_data(admin_client.get(url))
    data["status"] = "resolved"  # needs a resolution: refused here, pointing to Resolve
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert status_error_codes(response) == ["use_dedicated_action"]
    ticket.refresh_from_db()
    assert ticket.status == "in_progress" and not ticket.resolution

    ticket_resolve(ticket=ticket, resolution="VPN 재설정", by=people["agent"])
    # resolved → pending is not a move at all; resolved → open is a reopen (needs a reason).
    for target, code in (("pending", "invalid_transition"), ("open", "use_dedicated_action")):
        data = _form_data(admin_client.get(url))
        data["status"] = target
        response = admin_client.post(url, data)
        assert response.status_code == 200 and status_error_codes(response) == [code]
    ticket.refresh_from_db()
    assert ticket.status == "resolved"


def status_error_codes(response):
    return [error.code for error in response.context["adminform"].form.errors.as_data()["status"]]


def test_admin_add_creates_through_service(admin_client, people, infra):
    url = reverse("admin:tickets_ticket_add")
    data = _form_data(admin_client.get(url))
    data.update(
        {
            "title": "관리자 등록",
            "ticket_type": "service_request",
            "impact": "low",
            "urgency": "low",
            "status": "open",
            "requester": people["requester"].pk,
            "group": infra.pk,
            "source": "email",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.number == "SR-1" and ticket.source == "email" and ticket.sla_policy is not None
    assert audit_trail(ticket).get(action="created").source == "admin"


def test_admin_search_is_korean_aware(admin_client, new_ticket):
    hit = new_ticket(title="네트워크장애보고")
    new_ticket(title="프린터")
    response = admin_client.get(reverse("admin:tickets_ticket_changelist"), {"q": "장애"})
    assert list(response.context["cl"].result_list) == [hit]


def _form_data(response):
    """POST data equivalent to submitting the admin page unchanged (form + inline management forms)."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        if name in form.initial or field.initial is not None:
            value = form.initial.get(name, field.initial)
            if value is None:
                continue
            data[name] = getattr(value, "pk", value)
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management.initial.get(name, 0)
    return data
