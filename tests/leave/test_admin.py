"""Django admin: the leave pages open, configuration writes are audited, requests are decided
through the services (never edited or deleted directly)."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from erp.audit.models import AuditEvent
from leave.models import LeaveRequest, LeaveType
from leave.services import leave_request

from .conftest import MONDAY, kind

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, team):
    user = get_user_model().objects.create_superuser("root", "root@haru.example", "pw-for-tests-1")
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", ["leavetype", "leaveprofile", "leavepolicy", "leaveadjustment", "leaverequest"])
def test_the_pages_open(admin_client, model):
    assert admin_client.get(reverse(f"admin:leave_{model}_changelist")).status_code == 200
    if model != "leaverequest":
        assert admin_client.get(reverse(f"admin:leave_{model}_add")).status_code == 200


def test_editing_a_leave_type_is_audited(admin_client):
    sick = kind("sick")
    url = reverse("admin:leave_leavetype_change", args=[sick.pk])
    data = {
        "code": "sick",
        "name": "병가",
        "name_en": "Sick leave",
        "day_fraction": "1",
        "part": "",
        "is_paid": "on",  # this company pays sick leave
        "is_active": "on",
        "order": "50",
        "audit-auditevent-content_type-object_id-TOTAL_FORMS": "0",
        "audit-auditevent-content_type-object_id-INITIAL_FORMS": "0",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302
    assert LeaveType.objects.get(pk=sick.pk).is_paid
    event = AuditEvent.objects.get(content_type=ContentType.objects.get_for_model(LeaveType), object_id=str(sick.pk))
    assert event.changes["is_paid"] == [False, True] and event.source == "admin"


def test_the_approve_action_goes_through_the_service(admin_client, team):
    leave = leave_request(
        employee=team["alice"], leave_type=kind("annual"), start_date=MONDAY, reason="x", by=team["alice"].user
    )
    response = admin_client.post(
        reverse("admin:leave_leaverequest_changelist"),
        {"action": "approve_selected", "_selected_action": [leave.pk]},
    )
    assert response.status_code == 302
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.APPROVED
    assert leave.start_date == date(2026, 12, 7)
