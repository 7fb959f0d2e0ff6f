"""Who may open and withdraw a correction: the selectors the views and services ask."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from attendance.models import Correction
from attendance.selectors import can_view_correction, is_own_request
from attendance.services import correction_cancel, correction_request

from .conftest import kst


def ask(employee, *, by):
    return correction_request(
        employee=employee,
        date=date(2026, 11, 16),
        proposed_in=kst(2026, 11, 16, 9),
        proposed_out=kst(2026, 11, 16, 18),
        reason="퇴근 체크 누락",
        by=by,
    )


@pytest.fixture
def people(alice, bob, manager, outsider, admin_employee):
    return {"alice": alice, "bob": bob, "manager": manager, "outsider": outsider, "admin": admin_employee}


# Alice's own correction. Who may open it: herself, her manager, an admin; not a colleague,
# not the manager of another department.
MAY_VIEW = {"alice": True, "bob": False, "manager": True, "outsider": False, "admin": True}


@pytest.mark.parametrize(("who", "allowed"), MAY_VIEW.items())
def test_who_may_open_a_correction_on_the_page_and_in_the_selector(client, people, who, allowed):
    correction = ask(people["alice"], by=people["alice"].user)
    user = people[who].user
    assert can_view_correction(user, correction) is allowed
    client.force_login(user)
    response = client.get(reverse("attendance:correction-detail", args=[correction.pk]))
    assert response.status_code == (200 if allowed else 404)


def test_a_former_employees_correction_stays_open_to_whoever_decides_it(people):
    """visible_employees lists active people only; whoever decides the correction still opens it."""
    alice = people["alice"]
    correction = ask(alice, by=alice.user)
    alice.user.is_active = False
    alice.user.save()
    correction = Correction.objects.select_related("employee").get(pk=correction.pk)
    assert can_view_correction(people["manager"].user, correction)
    assert not can_view_correction(people["bob"].user, correction)


def test_nobody_signed_in_sees_nothing(people):
    from django.contrib.auth.models import AnonymousUser

    correction = ask(people["alice"], by=people["alice"].user)
    assert not can_view_correction(AnonymousUser(), correction)


def test_only_whoever_asked_withdraws_on_the_page_and_in_the_service(client, people):
    """A correction the manager asked for on Alice's behalf is the manager's to withdraw."""
    alice, manager = people["alice"], people["manager"]
    correction = ask(alice, by=manager.user)
    assert not is_own_request(alice.user, correction) and is_own_request(manager.user, correction)
    with pytest.raises(PermissionDenied):
        correction_cancel(correction=correction, by=alice.user)
    client.force_login(alice.user)
    assert client.post(reverse("attendance:correction-withdraw", args=[correction.pk])).status_code == 404
    client.force_login(manager.user)
    assert client.post(reverse("attendance:correction-withdraw", args=[correction.pk])).status_code == 302
    correction.refresh_from_db()
    assert correction.status == Correction.Status.CANCELLED
