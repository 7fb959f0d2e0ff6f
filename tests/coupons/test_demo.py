import io

import pytest
from django.utils import timezone

from coupons import demo
from coupons.models import Campaign, Client, PinStatus, SendLog
from erp.people import demo as people_demo

pytestmark = pytest.mark.django_db


def test_demo_seed_is_realistic_and_idempotent():
    now = timezone.now()
    people_demo.seed(io.StringIO(), now=now)
    out = io.StringIO()
    demo.seed(out, now=now)
    total = SendLog.objects.count()
    assert 15_000 <= total <= 25_000
    assert Client.objects.count() == 3 and Campaign.objects.count() == 12
    assert SendLog.objects.filter(succeeded=False).exists()
    assert SendLog.objects.filter(pin_status=PinStatus.USED).exists()
    assert SendLog.objects.filter(pin_status=PinStatus.EXPIRED).exists()
    demo.seed(out, now=now)
    assert SendLog.objects.count() == total and "(0 new)" in out.getvalue().splitlines()[-1]
