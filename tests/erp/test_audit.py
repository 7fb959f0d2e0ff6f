import pytest
from django.urls import reverse

from erp.audit.actor import Actor
from erp.audit.models import Source
from erp.audit.selectors import audit_trail
from erp.audit.services import audit_record, diff, snapshot
from erp.people.models import Role
from erp.people.services import employee_link_slack
from tests.factories import make_department, make_employee

pytestmark = pytest.mark.django_db


def test_audit_records_who_what_when_source_and_values():
    admin = make_employee("boss", role=Role.ADMIN)
    target = make_employee("kim", department=make_department())
    before = snapshot(target, ["role", "title"])
    target.role, target.title = Role.AGENT, "엔지니어"
    changes = diff(before, snapshot(target, ["role", "title"]))
    event = audit_record(target, "updated", by=Actor(admin.user, Source.ADMIN), changes=changes, reason="승진")

    assert event.actor == admin.user
    assert event.actor_label == "boss"
    assert event.source == "admin"
    assert event.changes == {"role": ["staff", "agent"], "title": ["", "엔지니어"]}
    assert event.context == {"reason": "승진"}
    assert event.created_at is not None
    assert list(audit_trail(target)) == [event]


def test_bare_user_means_web_and_system_has_no_user():
    employee = make_employee("lee")
    assert audit_record(employee, "viewed", by=employee.user).source == "web"
    system_event = audit_record(employee, "synced", by=Actor.system(job="nightly"))
    assert (system_event.actor, system_event.source, system_event.context) == (None, "system", {"job": "nightly"})


def test_slack_context_is_kept():
    employee = make_employee("park")
    actor = Actor(employee.user, Source.SLACK, {"slack_channel": "C123", "slack_message_link": "https://x/p1"})
    employee_link_slack(employee=employee, slack_user_id="U0PARK", by=actor)
    event = audit_trail(employee).get()
    assert event.changes == {"slack_user_id": [None, "U0PARK"]}
    assert event.context["slack_channel"] == "C123"


def test_unchanged_link_records_nothing():
    employee = make_employee("choi", slack_user_id="U0CHOI")
    employee_link_slack(employee=employee, slack_user_id="U0CHOI", by=Actor.system())
    assert not audit_trail(employee).exists()


def test_history_is_visible_in_admin(admin_client):
    employee = make_employee("jung")
    employee_link_slack(employee=employee, slack_user_id="U0JUNG", by=Actor.system())
    page = admin_client.get(reverse("admin:people_employee_change", args=[employee.pk]))
    assert page.status_code == 200
    assert "slack_linked" in page.content.decode()
    listing = admin_client.get(reverse("admin:audit_auditevent_changelist"))
    assert "jung" in listing.content.decode()


def test_history_include_renders_via_slack(rf):
    from django.template.loader import render_to_string

    employee = make_employee("yoon")
    employee_link_slack(
        employee=employee,
        slack_user_id="U0YOON",
        by=Actor(employee.user, Source.SLACK, {"slack_message_link": "https://slack/p"}),
    )
    html = render_to_string("includes/audit_trail.html", {"events": audit_trail(employee)})
    assert "U0YOON" in html
    assert "https://slack/p" in html


def test_admin_edits_of_employees_are_audited(admin_client):
    from django.contrib.auth import get_user_model

    employee = make_employee("han", department=make_department())
    other = make_department("개발팀", "dev")
    url = reverse("admin:people_employee_change", args=[employee.pk])
    form = {
        "user": employee.user.pk,
        "display_name": "한소연",
        "employee_no": "",
        "department": other.pk,
        "role": "agent",
        "title": "",
        "manager": "",
        "slack_user_id": "",
        "phone": "",
        "language": "ko",
        "audit-auditevent-content_type-object_id-TOTAL_FORMS": "0",
        "audit-auditevent-content_type-object_id-INITIAL_FORMS": "0",
    }
    response = admin_client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = audit_trail(employee).get()
    assert event.source == "admin"
    assert event.actor == get_user_model().objects.get(username="admin")
    assert event.changes["role"] == ["staff", "agent"]
    assert event.changes["department"] == ["인프라팀", "개발팀"]
    assert event.changes["display_name"] == ["han", "한소연"]


def test_audited_delete_keeps_the_values_and_is_idempotent():
    from erp.audit.services import audited_delete

    department = make_department("디자인팀", "design")
    stale = type(department).objects.get(pk=department.pk)
    event = audited_delete(department, by=Actor.system(job="cleanup"))
    assert (event.action, event.object_id, event.object_repr) == ("deleted", str(stale.pk), "디자인팀")
    assert event.changes["name"] == ["디자인팀", None] and event.changes["code"] == ["design", None]
    assert not type(department).objects.filter(pk=stale.pk).exists()
    assert audited_delete(stale, by=Actor.system()) is None  # already gone: nothing more recorded
    assert list(audit_trail(stale)) == [event]
