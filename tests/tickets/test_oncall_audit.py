"""The on-call roster changed in the admin is audited on its rotation: the rotation itself,
its member and override inline rows, and deletes."""

from datetime import date, datetime, time

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from erp.audit.selectors import audit_trail
from erp.workcalendar.calendar import KST
from tests.admin_pages import form_data
from tickets.models import OnCallMember, OnCallOverride, OnCallRotation
from tickets.oncall.selectors import on_call_now

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user_obj(admin_client):
    return get_user_model().objects.get(username="admin")


def post_ok(client, url, data):
    response = client.post(url, data)
    assert response.status_code == 302, _errors(response)
    return response


def _errors(response):
    if not response.context:
        return response.status_code
    return response.context["adminform"].form.errors, [
        i.formset.errors for i in response.context["inline_admin_formsets"]
    ]


def actions(rotation):
    return [event.action for event in audit_trail(rotation)][::-1]


def test_rotation_added_with_members_then_members_and_overrides_changed(admin_client, admin_user_obj, people, infra):
    agent, agent2, manager = (people[key].employee for key in ("agent", "agent2", "manager"))
    add = reverse("admin:tickets_oncallrotation_add")
    data = form_data(admin_client.get(add))
    data.update(
        {
            "group": str(infra.pk),
            "anchor_date": "2026-09-21",
            "members-TOTAL_FORMS": "2",
            "members-0-employee": str(agent.pk),
            "members-0-position": "0",
            "members-1-employee": str(agent2.pk),
            "members-1-position": "1",
        }
    )
    post_ok(admin_client, add, data)
    rotation = OnCallRotation.objects.get(group=infra)
    assert actions(rotation) == ["created", "member_added", "member_added"]
    created, first, second = list(audit_trail(rotation))[::-1]
    assert created.changes["anchor_date"] == [None, "2026-09-21"]
    assert first.changes == {"employee": [None, "agent"], "position": [None, 0]}
    assert first.context == {"member": "agent"} and second.changes["employee"] == [None, "agent2"]
    for event in (created, first, second):
        assert (event.actor, event.source) == (admin_user_obj, "admin")

    # Change: agent2 leaves, manager joins in front, and covers Monday night.
    change = reverse("admin:tickets_oncallrotation_change", args=[rotation.pk])
    data = form_data(admin_client.get(change))
    rows = {
        data[f"members-{i}-employee"]: i for i in range(int(data["members-TOTAL_FORMS"])) if data.get(f"members-{i}-id")
    }
    data[f"members-{rows[str(agent2.pk)]}-DELETE"] = "on"
    data[f"members-{rows[str(agent.pk)]}-position"] = "1"
    new = int(data["members-TOTAL_FORMS"]) - 1  # the blank extra row
    data.update({f"members-{new}-employee": str(manager.pk), f"members-{new}-position": "0"})
    data.update(
        {
            "overrides-TOTAL_FORMS": "1",
            "overrides-0-employee": str(agent2.pk),
            "overrides-0-starts_at_0": "2026-09-21",
            "overrides-0-starts_at_1": "18:00:00",
            "overrides-0-ends_at_0": "2026-09-22",
            "overrides-0-ends_at_1": "09:00:00",
            "overrides-0-reason": "교대",
        }
    )
    post_ok(admin_client, change, data)

    assert actions(rotation)[3:] == ["member_removed", "member_changed", "member_added", "override_added"]
    removed, moved, added, override = list(audit_trail(rotation))[:4][::-1]
    assert removed.changes == {"employee": ["agent2", None], "position": [1, None]}
    assert moved.changes == {"position": [0, 1]} and moved.context == {"member": "agent"}
    assert added.changes == {"employee": [None, "manager"], "position": [None, 0]}
    assert override.changes["employee"] == [None, "agent2"]
    assert override.changes["starts_at"][1].startswith("2026-09-21T18:00")
    assert override.changes["reason"] == [None, "교대"]
    assert {e.actor for e in (removed, moved, added, override)} == {admin_user_obj}
    assert on_call_now(infra, datetime.combine(date(2026, 9, 23), time(12), KST)) == manager
    assert on_call_now(infra, datetime.combine(date(2026, 9, 21), time(20), KST)) == agent2

    # An override that ends before it starts is a form error; nothing is recorded.
    count = audit_trail(rotation).count()
    data = form_data(admin_client.get(change))
    data["overrides-0-ends_at_0"] = "2026-09-20"
    response = admin_client.post(change, data)
    assert response.status_code == 200
    assert audit_trail(rotation).count() == count


def test_rotation_deleted_with_its_members_on_record(admin_client, admin_user_obj, people, infra):
    rotation = OnCallRotation.objects.create(group=infra, anchor_date=date(2026, 9, 21))
    OnCallMember.objects.create(rotation=rotation, employee=people["agent"].employee, position=0)
    OnCallOverride.objects.create(
        rotation=rotation,
        employee=people["manager"].employee,
        starts_at=datetime(2026, 9, 21, 18, tzinfo=KST),
        ends_at=datetime(2026, 9, 22, 9, tzinfo=KST),
    )
    url = reverse("admin:tickets_oncallrotation_delete", args=[rotation.pk])
    post_ok(admin_client, url, {"post": "yes"})

    assert not OnCallRotation.objects.exists() and not OnCallMember.objects.exists()
    event = audit_trail(rotation).get()
    assert event.action == "deleted" and event.object_repr == "인프라팀"
    assert event.changes["group"] == ["인프라팀", None] and event.changes["anchor_date"] == ["2026-09-21", None]
    assert event.context == {"members": ["agent"]}
    assert (event.actor, event.source) == (admin_user_obj, "admin")


def test_rotations_deleted_in_bulk(admin_client, people, infra, dev):
    rotations = [OnCallRotation.objects.create(group=group, anchor_date=date(2026, 9, 21)) for group in (infra, dev)]
    response = admin_client.post(
        reverse("admin:tickets_oncallrotation_changelist"),
        {"action": "delete_selected", "_selected_action": [r.pk for r in rotations], "post": "yes"},
    )
    assert response.status_code == 302
    assert not OnCallRotation.objects.exists()
    assert [audit_trail(r).get().action for r in rotations] == ["deleted", "deleted"]
