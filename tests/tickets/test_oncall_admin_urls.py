"""The roster's admin moved with its models; the old addresses redirect to the new ones."""

from datetime import date

import pytest
from django.urls import reverse

from tickets.models import OnCallRotation

pytestmark = pytest.mark.django_db


def test_old_admin_addresses_redirect_to_the_tickets_admin(admin_client, infra):
    rotation = OnCallRotation.objects.create(group=infra, anchor_date=date(2026, 9, 21))
    change_url = reverse("admin:tickets_oncallrotation_change", args=[rotation.pk])
    assert change_url == f"/admin/tickets/oncallrotation/{rotation.pk}/change/"
    assert admin_client.get(change_url).status_code == 200

    old = admin_client.get(f"/admin/integrations/oncallrotation/{rotation.pk}/change/")
    assert (old.status_code, old["Location"]) == (301, change_url)
    listing = admin_client.get("/admin/integrations/oncallrotation/?is_active__exact=1")
    assert listing["Location"] == "/admin/tickets/oncallrotation/?is_active__exact=1"
    assert admin_client.get(listing["Location"]).status_code == 200
