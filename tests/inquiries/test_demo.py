"""The demo seed: a few hundred inquiries in every state, idempotent."""

from datetime import datetime
from io import StringIO

import pytest

from erp.people import demo as people_demo
from erp.workcalendar.calendar import KST
from inquiries import demo
from inquiries.models import Inquiry, InquirySource, Status

pytestmark = pytest.mark.django_db


def test_demo_seed_is_realistic_and_idempotent():
    now = datetime(2026, 12, 2, 10, 0, tzinfo=KST)
    people_demo.seed(StringIO(), now=now)
    demo.seed(StringIO(), now=now)
    count = Inquiry.objects.count()
    demo.seed(StringIO(), now=now)
    assert Inquiry.objects.count() == count >= 300
    statuses = set(Inquiry.objects.values_list("status", flat=True))
    assert {Status.NEW, Status.IN_PROGRESS, Status.ANSWERED, Status.CLOSED, Status.SPAM} <= statuses
    assert set(Inquiry.objects.values_list("source", flat=True)) == set(InquirySource.values)
    assert Inquiry.objects.filter(duplicate_of__isnull=False).exists()
    assert Inquiry.objects.filter(shared_with_marketing=True).exists()
    assert Inquiry.objects.filter(ticket_links__isnull=False).exists()
