"""Who sees which inquiries: sales all, marketing only shared ones (and counts), others none."""

import pytest

from inquiries.models import Inquiry, Status
from inquiries.selectors import (
    can_see_abuse_data,
    can_see_contact,
    inquiry_counts,
    inquiry_for,
    visible_inquiries,
)
from inquiries.services import inquiry_share

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(receive, team):
    plain = receive()
    shared = inquiry_share(inquiry=receive(email="b@x.example", phone="", consent=False), by=team["sales"])
    spam = receive(website="filled")
    return plain, shared, spam


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("sales", {"plain", "shared", "spam"}),
        ("admin", {"plain", "shared", "spam"}),
        ("marketer", {"shared"}),
        ("developer", set()),
    ],
)
def test_visibility_matrix(three, team, who, sees):
    names = dict(zip(("plain", "shared", "spam"), three, strict=True))
    visible = set(visible_inquiries(team[who]).values_list("pk", flat=True))
    assert visible == {names[name].pk for name in sees}
    for name, inquiry in names.items():
        if name in sees:
            assert inquiry_for(team[who], inquiry.number).pk == inquiry.pk
        else:
            with pytest.raises(Inquiry.DoesNotExist):
                inquiry_for(team[who], inquiry.pk)


def test_anonymous_and_bad_ids_see_nothing(three, team):
    from django.contrib.auth.models import AnonymousUser

    assert not visible_inquiries(AnonymousUser()).exists()
    for bad in ("abc", None, "INQ-x", "1.5"):
        with pytest.raises(Inquiry.DoesNotExist):
            inquiry_for(team["sales"], bad)


def test_marketing_sees_contact_only_with_consent_and_never_abuse_data(three, team, receive):
    _plain, shared, _spam = three
    consented = inquiry_share(inquiry=receive(email="c@x.example", phone=""), by=team["sales"])
    assert not can_see_contact(team["marketer"], shared)
    assert can_see_contact(team["marketer"], consented)
    assert can_see_contact(team["sales"], shared)
    assert not can_see_abuse_data(team["marketer"]) and can_see_abuse_data(team["sales"])


def test_counts_for_marketing_and_sales_none_for_others(three, team):
    counts = inquiry_counts(team["marketer"])
    assert counts["total"] == 2  # every real inquiry, spam excluded, no personal data
    assert counts["by_status"] == {Status.NEW: 2}
    assert inquiry_counts(team["sales"]) == counts
    assert inquiry_counts(team["developer"])["total"] == 0


def test_module_permission_grants_sales_rights(team, three):
    from django.contrib.auth.models import Permission

    developer = team["developer"]
    developer.user_permissions.add(Permission.objects.get(codename="handle_inquiry"))
    developer = type(developer).objects.get(pk=developer.pk)
    assert visible_inquiries(developer).count() == 3
