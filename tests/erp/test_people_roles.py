"""erp.people.roles: the one definition of "agent" and "admin of module X", and its query forms."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Permission

from attendance.selectors import is_attendance_admin
from erp.people.models import Role
from erp.people.roles import is_agent, is_company_admin, is_module_admin
from erp.people.selectors import agent_users, company_admins
from tests.factories import make_employee
from tickets.selectors import is_ticket_admin


@pytest.fixture
def everyone(db):
    User = get_user_model()
    people = {role: make_employee(f"{role}-person", role=role).user for role in Role.values}
    people["superuser"] = User.objects.create_user("root", is_superuser=True)  # no employee profile
    people["superuser_staff"] = make_employee("root-staff", role=Role.STAFF).user
    people["superuser_staff"].is_superuser = True
    people["superuser_staff"].save()
    people["inactive_agent"] = make_employee("gone", role=Role.AGENT).user
    people["inactive_agent"].is_active = False
    people["inactive_agent"].save()
    return people


# who: (agent, company admin)
EXPECTED = {
    Role.STAFF: (False, False),
    Role.AGENT: (True, False),
    Role.MANAGER: (True, False),
    Role.ADMIN: (True, True),
    "superuser": (True, True),
    "superuser_staff": (True, True),
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_roles(everyone, who):
    user = everyone[who]
    agent, admin = EXPECTED[who]
    assert is_agent(user) is agent
    assert is_company_admin(user) is admin
    # Neither module declares admins of its own: its admins are the company admins.
    assert is_module_admin(user, "tickets") is is_ticket_admin(user) is admin
    assert is_module_admin(user, "attendance") is is_attendance_admin(user) is admin


@pytest.mark.parametrize("nobody", [None, AnonymousUser()])
def test_nobody_has_a_role(db, nobody):
    assert not is_agent(nobody)
    assert not is_company_admin(nobody)
    assert not is_module_admin(nobody, "tickets")


def test_a_misspelt_module_fails_loudly(everyone):
    with pytest.raises(LookupError):
        is_module_admin(everyone[Role.ADMIN], "ticket")


def test_a_module_may_name_a_permission_for_admins_of_its_own(everyone, monkeypatch):
    """E.g. an office manager administering meeting rooms without being a company admin."""
    office_manager = everyone[Role.MANAGER]
    monkeypatch.setattr(
        apps.get_app_config("attendance"), "module_admin_permission", "attendance.view_correction", raising=False
    )
    assert not is_module_admin(office_manager, "attendance")
    office_manager.user_permissions.add(Permission.objects.get(codename="view_correction"))
    office_manager = get_user_model().objects.get(pk=office_manager.pk)  # a fresh permission cache
    assert is_module_admin(office_manager, "attendance") and is_attendance_admin(office_manager)
    assert not is_module_admin(office_manager, "tickets") and not is_company_admin(office_manager)
    assert is_module_admin(everyone[Role.ADMIN], "attendance")  # company admins still are


def test_without_a_module_permission_no_permission_query_runs(everyone, django_assert_num_queries):
    manager = everyone[Role.MANAGER]
    is_agent(manager)  # loads the profile once
    with django_assert_num_queries(0):
        assert not is_module_admin(manager, "tickets")
        assert not is_module_admin(manager, "attendance")


def test_agent_users_is_the_query_form_of_is_agent(everyone):
    """What assignee pickers offer: active agents by name; a superuser without an agent
    role (a service account) is not someone to hand tickets to."""
    listed = set(agent_users())
    assert listed == {everyone[Role.AGENT], everyone[Role.MANAGER], everyone[Role.ADMIN]}
    profiled = [u for u in everyone.values() if u.is_active and hasattr(u, "employee") and not u.is_superuser]
    assert {u for u in profiled if is_agent(u)} == listed


def test_company_admins_is_the_query_form_of_is_company_admin(everyone):
    active_profiles = {u.employee for u in everyone.values() if u.is_active and hasattr(u, "employee")}
    assert set(company_admins()) == {e for e in active_profiles if is_company_admin(e.user)}
