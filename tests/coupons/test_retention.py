"""Retention: phones blanked after the configured period, aggregates unchanged."""

from datetime import timedelta

import pytest
from django.utils import timezone

from coupons import reports
from coupons.models import RetentionRun, SendLog
from coupons.retention import anonymise_expired
from coupons.tasks import anonymise_phones

from .conftest import kst, make_send

pytestmark = pytest.mark.django_db


def test_old_phones_are_blanked_and_the_figures_survive(client_a, campaign_a, goods_a, settings):
    settings.COUPONS_PHONE_RETENTION_DAYS = 90
    now = timezone.now()
    old = make_send("OLD", client=client_a, campaign=campaign_a, goods=goods_a, valid_until=now - timedelta(days=91))
    fresh = make_send("NEW", client=client_a, campaign=campaign_a, goods=goods_a, valid_until=now - timedelta(days=89))
    undated = make_send("UND", client=client_a, goods=goods_a, sent_at=now - timedelta(days=200))
    before = reports.funnel(SendLog.objects.all()), reports.period_figures(kst(2026, 1, 1).date(), now.date())
    assert anonymise_phones() == 2
    assert anonymise_phones() == 0  # nothing twice
    old.refresh_from_db(), fresh.refresh_from_db(), undated.refresh_from_db()
    assert (old.phone, old.phone_last4, old.masked_phone) == ("", "", "")
    assert old.anonymised_at is not None and undated.phone == "" and fresh.phone == "01012345678"
    after = reports.funnel(SendLog.objects.all()), reports.period_figures(kst(2026, 1, 1).date(), now.date())
    assert before == after
    assert list(RetentionRun.objects.values_list("anonymised", flat=True)) == [0, 2]
    assert anonymise_expired().anonymised == 0
