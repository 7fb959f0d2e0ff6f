"""Admin: device edits go through services with old → new audit values; the admin pages use the
model permissions (view vs change), not just is_staff."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from attendance.models import Device, Location
from attendance.services import device_create, device_update
from erp.audit.models import AuditEvent
from erp.audit.selectors import audit_trail


@pytest.fixture
def admin_client(client, admin_employee):
    client.force_login(admin_employee.user)
    return client


def staff(*codenames):
    user = get_user_model().objects.create_user(f"staff-{'-'.join(codenames) or 'none'}", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="attendance", codename__in=codenames))
    return user


# --- item 5: device create / update through services -------------------------------------------


def test_device_services_audit_old_and_new_values(admin_employee):
    device = device_create(code="pangyo-2f", name="판교 2층", location=Location.OFFICE, by=admin_employee.user)
    created = audit_trail(device).get(action="created")
    assert created.changes["name"] == [None, "판교 2층"]
    device_update(device=device, name="판교 3층", place="로비", by=admin_employee.user)
    device.refresh_from_db()
    assert (device.name, device.place) == ("판교 3층", "로비")
    changed = audit_trail(device).get(action="changed")
    assert changed.changes == {"name": ["판교 2층", "판교 3층"], "place": ["", "로비"]}
    # Nothing changed → no event (idempotent).
    device_update(device=device, name="판교 3층", by=admin_employee.user)
    assert audit_trail(device).filter(action="changed").count() == 1


def test_device_update_validates(admin_employee, device):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        device_update(device=device, code="not a slug!", by=admin_employee.user)
    with pytest.raises(ValidationError):
        device_update(device=device, token_hash="x" * 64, by=admin_employee.user)


def _inline_management_data(response) -> dict:
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data |= {management.add_prefix(name): value for name, value in management.initial.items()}
    return data


def test_admin_device_change_is_audited_with_old_and_new(admin_client, device):
    url = reverse("admin:attendance_device_change", args=[device.pk])
    data = _inline_management_data(admin_client.get(url))
    response = admin_client.post(
        url,
        {
            "code": device.code,
            "name": "본사 2층",
            "location": "office",
            "place": device.place,
            "backdate_days": device.backdate_days,
            **data,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = AuditEvent.objects.filter(action="changed").get()
    assert event.changes == {"name": ["본사 1층", "본사 2층"]}
    assert event.source == "admin"


def test_admin_device_add_is_audited(admin_client):
    admin_client.post(
        reverse("admin:attendance_device_add"),
        {"code": "pangyo-2f", "name": "판교 2층", "location": "office", "place": ""},
    )
    device = Device.objects.get(code="pangyo-2f")
    assert audit_trail(device).get(action="created").changes["code"] == [None, "pangyo-2f"]


# --- item 6: model permissions ---------------------------------------------------------------


def test_leave_form_needs_change_permission(client, alice):
    url = reverse("admin:attendance_workday_leave")
    client.force_login(staff("view_workday"))
    assert client.get(url).status_code == 403
    client.force_login(staff("view_workday", "change_workday"))
    assert client.get(url).status_code == 200


def test_leave_actions_need_change_permission(client, alice, admin_employee):
    from datetime import date

    from attendance.models import WorkDay
    from attendance.services import work_day_set_leave

    work_day_set_leave(employee=alice, date=date(2026, 11, 16), on_leave=True, by=admin_employee.user)
    day = WorkDay.objects.get()
    client.force_login(staff("view_workday"))
    response = client.get(reverse("admin:attendance_workday_changelist"))
    assert response.status_code == 200
    action_form = response.context["action_form"]  # None when no action is allowed
    assert action_form is None or "mark_leave" not in str(action_form.fields["action"].choices)
    client.post(reverse("admin:attendance_workday_changelist"), {"action": "clear_leave", "_selected_action": [day.pk]})
    assert WorkDay.objects.filter(pk=day.pk, on_leave=True).exists()


@pytest.mark.parametrize(
    "url_name",
    ["admin:attendance_unmatchedpunch_changelist", "admin:attendance_punchbatch_changelist"],
)
def test_evidence_admin_needs_view_permission(client, db, url_name):
    client.force_login(staff())
    assert client.get(reverse(url_name)).status_code == 403


def test_evidence_admin_with_view_permission(client, db):
    client.force_login(staff("view_punch", "view_unmatchedpunch", "view_punchbatch"))
    assert client.get(reverse("admin:attendance_unmatchedpunch_changelist")).status_code == 200
    assert client.get(reverse("admin:attendance_punchbatch_changelist")).status_code == 200


def test_mapping_identifiers_needs_the_mapping_add_permission(client, device, alice):
    from attendance.services import punches_ingest

    from .conftest import kst

    punches_ingest(
        device=device, items=[{"event_id": "u1", "employee": "4411", "timestamp": kst(2026, 11, 16, 9).isoformat()}]
    )
    url = reverse("admin:attendance_unmatchedpunch_changelist")
    client.force_login(staff("view_unmatchedpunch"))
    action_form = client.get(url).context["action_form"]
    assert action_form is None or "map_identifier" not in str(action_form.fields["action"].choices)
    client.force_login(staff("view_unmatchedpunch", "add_deviceidentifier"))
    assert "map_identifier" in str(client.get(url).context["action_form"].fields["action"].choices)
