"""H2: the audit log needs its own permission and shows only events on records the viewer may see."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from erp.audit.actor import Actor
from erp.audit.models import AuditEvent
from erp.audit.visibility import visible_audit_events
from erp.people.models import Department, Role
from tests.tickets.conftest import make_person
from tickets.models import Ticket
from tickets.services import ticket_update

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:audit_auditevent_changelist")


def grant(user, *codenames):
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    user.is_staff = True
    user.save()
    return type(user).objects.get(pk=user.pk)  # fresh permission cache


@pytest.fixture
def secret(new_ticket, people):
    ticket = new_ticket(title="SECRET 급여 조정 요청", description="계좌 110-123-456789", sensitive=True)
    ticket_update(ticket=ticket, by=Actor(user=people["requester"]), description="UPDATED SECRET 9,900만원")
    return ticket


@pytest.fixture
def plain(new_ticket):
    return new_ticket(title="프린터 용지 걸림")


def test_staff_without_the_audit_permission_is_refused(client, secret, plain):
    helpdesk = make_person("helpdesk.staff", Department.objects.create(name="총무팀", code="ga"))
    helpdesk.is_staff = True
    helpdesk.save()
    client.force_login(helpdesk)
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(CHANGELIST, {"q": "SR"}).status_code == 403
    event = AuditEvent.objects.filter(object_id=str(secret.pk)).first()
    response = client.get(reverse("admin:audit_auditevent_change", args=[event.pk]))
    assert response.status_code in (302, 403) and "SECRET" not in response.content.decode()


def test_the_audit_permission_shows_only_events_on_visible_records(client, people, secret, plain):
    agent2 = grant(people["agent2"], "view_auditevent")  # infra agent, not assignee of the sensitive ticket
    if Ticket.objects.get(pk=secret.pk).assignee_id == agent2.pk:
        pytest.skip("round-robin gave the sensitive ticket to this agent")
    client.force_login(agent2)
    body = client.get(CHANGELIST, {"q": "SECRET"}).content.decode()
    assert "급여 조정" not in body
    listed = client.get(CHANGELIST).content.decode()
    assert "프린터 용지 걸림" in listed and "급여 조정" not in listed
    hidden = AuditEvent.objects.filter(object_id=str(secret.pk), action="updated").get()
    response = client.get(reverse("admin:audit_auditevent_change", args=[hidden.pk]))
    assert response.status_code in (302, 403) and "9,900" not in response.content.decode()


def test_people_who_may_see_the_record_read_its_events(people, secret):
    manager = grant(people["manager"], "view_auditevent")  # infra manager: sees sensitive infra tickets
    assert visible_audit_events(manager).filter(object_id=str(secret.pk)).count() == 2
    requester = grant(people["requester"], "view_auditevent")
    assert visible_audit_events(requester).filter(object_id=str(secret.pk)).count() == 2
    colleague = grant(people["colleague"], "view_auditevent")
    assert not visible_audit_events(colleague).filter(object_id=str(secret.pk)).exists()


def test_configuration_events_need_that_models_own_view_permission(people):
    from erp.workcalendar.models import CompanyDayOff
    from erp.workcalendar.services import company_day_off_save

    company_day_off_save(day_off=CompanyDayOff(date="2026-12-31", name="회사 휴무"), by=Actor(user=people["admin"]))
    auditor = grant(make_person("auditor", None, Role.STAFF), "view_auditevent")
    assert not visible_audit_events(auditor).filter(object_repr__contains="회사 휴무").exists()
    auditor = grant(auditor, "view_companydayoff")
    assert visible_audit_events(auditor).filter(object_repr__contains="회사 휴무").exists()
