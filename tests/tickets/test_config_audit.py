"""Ticket configuration changed in the admin is audited: who, when, each field's old → new.

Through the real admin views: the change form, list_editable changelist saves, the delete
page and the "delete selected" action.
"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from erp.audit.models import AuditEvent
from erp.audit.selectors import audit_trail
from tests.admin_pages import form_data
from tickets.models import Category, GroupSettings, PriorityMatrix, SLAPolicy
from tickets.services import category_save, priority_for, sla_policy_save

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user_obj(admin_client):
    return get_user_model().objects.get(username="admin")


def changelist_save(client, model, edits: dict):
    """Submit the changelist's list_editable form with ``edits`` ({"form-0-priority": …})."""
    url = reverse(f"admin:tickets_{model}_changelist")
    data = form_data(client.get(url), form_id="changelist-form")
    data.update(edits, _save="Save")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["cl"].formset.errors
    return data


def row_index(data: dict, pk) -> int:
    return next(int(name.split("-")[1]) for name, value in data.items() if name.endswith("-id") and value == str(pk))


def only_event(record, action) -> AuditEvent:
    events = [e for e in audit_trail(record) if e.action == action]
    assert len(events) == 1, [(e.action, e.changes) for e in audit_trail(record)]
    return events[0]


def assert_by_admin(event, user):
    assert (event.actor, event.actor_label, event.source) == (user, "admin", "admin")


def test_priority_matrix_cell_changed_in_the_changelist(admin_client, admin_user_obj):
    cell = PriorityMatrix.objects.get(impact="high", urgency="high")
    url = reverse("admin:tickets_prioritymatrix_changelist")
    data = form_data(admin_client.get(url), form_id="changelist-form")
    index = row_index(data, cell.pk)
    changelist_save(admin_client, "prioritymatrix", {f"form-{index}-priority": "P2"})

    assert priority_for("high", "high") == "P2"
    event = only_event(cell, "updated")
    assert event.changes == {"priority": ["P1", "P2"]}
    assert_by_admin(event, admin_user_obj)
    assert AuditEvent.objects.filter(action="updated").count() == 1  # unchanged rows record nothing


def test_priority_matrix_cell_deleted(admin_client, admin_user_obj):
    cell = PriorityMatrix.objects.get(impact="low", urgency="low")
    url = reverse("admin:tickets_prioritymatrix_delete", args=[cell.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302

    assert not PriorityMatrix.objects.filter(pk=cell.pk).exists()
    event = only_event(cell, "deleted")
    assert event.changes == {"impact": ["low", None], "urgency": ["low", None], "priority": ["P4", None]}
    assert event.object_repr.endswith("→ P4")
    assert_by_admin(event, admin_user_obj)


def test_sla_policy_change_form_and_changelist(admin_client, admin_user_obj):
    policy = SLAPolicy.objects.get(priority="P1")
    before = (policy.first_response_minutes, policy.resolution_minutes)
    url = reverse("admin:tickets_slapolicy_change", args=[policy.pk])
    data = form_data(admin_client.get(url))
    data.update(first_response_minutes="5", at_risk_percent="60")
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    event = only_event(policy, "updated")
    assert event.changes == {"first_response_minutes": [before[0], 5], "at_risk_percent": [75, 60]}
    assert_by_admin(event, admin_user_obj)

    listing = form_data(admin_client.get(reverse("admin:tickets_slapolicy_changelist")), form_id="changelist-form")
    index = row_index(listing, policy.pk)
    changelist_save(
        admin_client, "slapolicy", {f"form-{index}-resolution_minutes": "90", f"form-{index}-calendar": "business"}
    )
    latest = audit_trail(policy).first()
    assert latest.changes == {"resolution_minutes": [before[1], 90], "calendar": ["24x7", "business"]}
    assert_by_admin(latest, admin_user_obj)
    # The page shows the record's history, newest first.
    page = admin_client.get(url)
    trail = next(i for i in page.context["inline_admin_formsets"] if i.formset.model is AuditEvent)
    assert [form.instance.pk for form in trail.formset.forms] == [latest.pk, event.pk]


def test_sla_policy_bad_value_is_a_form_error_and_records_nothing(admin_client):
    policy = SLAPolicy.objects.get(priority="P2")
    url = reverse("admin:tickets_slapolicy_change", args=[policy.pk])
    data = form_data(admin_client.get(url))
    data["at_risk_percent"] = "150"
    response = admin_client.post(url, data)
    assert response.status_code == 200 and "at_risk_percent" in response.context["adminform"].form.errors
    assert not audit_trail(policy).exists()


def test_category_added_changed_and_deleted_in_bulk(admin_client, admin_user_obj, infra, dev):
    add = reverse("admin:tickets_category_add")
    data = form_data(admin_client.get(add))
    data.update(name="네트워크/VPN", default_group=str(infra.pk))
    assert admin_client.post(add, data).status_code == 302
    category = Category.objects.get(name="네트워크/VPN")
    created = only_event(category, "created")
    assert created.changes["name"] == [None, "네트워크/VPN"]
    assert created.changes["default_group"] == [None, "인프라팀"]
    assert_by_admin(created, admin_user_obj)

    change = reverse("admin:tickets_category_change", args=[category.pk])
    data = form_data(admin_client.get(change))
    data["escalation_group"] = str(dev.pk)
    assert admin_client.post(change, data).status_code == 302
    assert only_event(category, "updated").changes == {"escalation_group": [None, "개발팀"]}

    other = category_save(category=Category(name="계정/권한"), by=admin_user_obj)
    response = admin_client.post(
        reverse("admin:tickets_category_changelist"),
        {"action": "delete_selected", "_selected_action": [category.pk, other.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Category.objects.exists()
    for gone in (category, other):
        event = only_event(gone, "deleted")
        assert event.changes["name"] == [gone.name, None]
        assert_by_admin(event, admin_user_obj)


def test_group_settings_changelist_and_delete(admin_client, admin_user_obj, infra, dev):
    settings_row = GroupSettings.objects.create(group=infra)
    listing = form_data(admin_client.get(reverse("admin:tickets_groupsettings_changelist")), form_id="changelist-form")
    index = row_index(listing, settings_row.pk)
    changelist_save(
        admin_client,
        "groupsettings",
        {f"form-{index}-auto_assign": "on", f"form-{index}-escalation_group": str(dev.pk)},
    )
    settings_row.refresh_from_db()
    assert settings_row.auto_assign and settings_row.escalation_group == dev
    event = only_event(settings_row, "updated")
    assert event.changes == {"escalation_group": [None, "개발팀"], "auto_assign": [False, True]}
    assert_by_admin(event, admin_user_obj)

    # Unticking a list_editable checkbox is a change too (the browser then sends nothing).
    listing = form_data(admin_client.get(reverse("admin:tickets_groupsettings_changelist")), form_id="changelist-form")
    del listing[f"form-{index}-auto_assign"]
    response = admin_client.post(reverse("admin:tickets_groupsettings_changelist"), {**listing, "_save": "Save"})
    assert response.status_code == 302
    assert audit_trail(settings_row).first().changes == {"auto_assign": [True, False]}

    url = reverse("admin:tickets_groupsettings_delete", args=[settings_row.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    deleted = only_event(settings_row, "deleted")
    assert deleted.changes == {"group": ["인프라팀", None], "escalation_group": ["개발팀", None]} | {
        "auto_assign": [False, None]
    }
    assert_by_admin(deleted, admin_user_obj)


def test_services_validate_for_callers_without_a_form(admin_user_obj):
    from django.core.exceptions import ValidationError

    policy = SLAPolicy.objects.get(priority="P3")
    policy.at_risk_percent = 0
    with pytest.raises(ValidationError):
        sla_policy_save(policy=policy, by=admin_user_obj)
    assert not audit_trail(policy).exists()
