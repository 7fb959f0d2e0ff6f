from datetime import datetime
from io import StringIO

import pytest

from alerts import demo
from alerts.models import AlertGroup, GroupState, Item, Source
from erp.people import demo as people_demo
from erp.workcalendar.calendar import KST

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=KST)


def test_demo_is_realistic_and_idempotent():
    people_demo.seed(StringIO(), now=NOW)
    demo.seed(StringIO(), now=NOW)
    counts = (Source.objects.count(), AlertGroup.objects.count(), Item.objects.count())
    demo.seed(StringIO(), now=NOW)
    assert (Source.objects.count(), AlertGroup.objects.count(), Item.objects.count()) == counts
    assert AlertGroup.objects.get(key='{}:{alertname="DiskFull"}').state == GroupState.RESOLVED
    cpu = AlertGroup.objects.get(key="gcp:0.nq4b8x2l1k9s")
    assert (cpu.count, cpu.state) == (4, GroupState.RESOLVED)
    assert AlertGroup.objects.get(key="django:/tickets/42/:ValueError").state == GroupState.FIRING
    assert Item.objects.filter(source__name="nginx.org 뉴스", facts__security=True).exists()
    assert max(Item.objects.values_list("received_at", flat=True)) < NOW
