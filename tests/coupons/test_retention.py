"""Retention: phones blanked after the configured period, aggregates unchanged (a policy of
the shared retention mechanism, erp.core.retention)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from coupons import reports
from coupons.models import SendLog
from erp.core.retention import plan, run_one

from .conftest import kst, make_send

pytestmark = pytest.mark.django_db


def test_old_phones_are_blanked_and_the_figures_survive(client_a, campaign_a, goods_a, settings):
    settings.COUPONS_PHONE_RETENTION_DAYS = 90
    now = timezone.now()
    old = make_send("OLD", client=client_a, campaign=campaign_a, goods=goods_a, valid_until=now - timedelta(days=91))
    fresh = make_send("NEW", client=client_a, campaign=campaign_a, goods=goods_a, valid_until=now - timedelta(days=89))
    undated = make_send("UND", client=client_a, goods=goods_a, sent_at=now - timedelta(days=200))
    before = reports.funnel(SendLog.objects.all()), reports.period_figures(kst(2026, 1, 1).date(), now.date())
    [step] = [step for step in plan(now) if step.policy.key == "coupons.recipient_phones"]
    assert (step.days, step.count) == (90, 2)  # the dry run
    assert run_one("coupons.recipient_phones", now) == 2
    assert run_one("coupons.recipient_phones", now) == 0  # nothing twice
    old.refresh_from_db(), fresh.refresh_from_db(), undated.refresh_from_db()
    assert (old.phone, old.phone_last4, old.masked_phone) == ("", "", "")
    assert old.anonymised_at is not None and undated.phone == "" and fresh.phone == "01012345678"
    after = reports.funnel(SendLog.objects.all()), reports.period_figures(kst(2026, 1, 1).date(), now.date())
    assert before == after


def test_the_period_follows_the_setting(client_a, campaign_a, goods_a, settings):
    settings.COUPONS_PHONE_RETENTION_DAYS = 30
    now = timezone.now()
    make_send("MID", client=client_a, campaign=campaign_a, goods=goods_a, valid_until=now - timedelta(days=45))
    assert run_one("coupons.recipient_phones", now) == 1
