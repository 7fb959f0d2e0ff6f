"""The demo seed: a few hundred inquiries in every state, idempotent."""

from datetime import datetime
from io import StringIO

import pytest

from erp.people import demo as people_demo
from erp.people.models import Department
from erp.workcalendar.calendar import KST
from inquiries import demo
from inquiries.models import Inquiry, InquirySource, RoutingRule, Status

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
    # The sales team's channel gets the cards, so the demo's Slack preview shows them.
    (rule,) = RoutingRule.objects.all()
    assert rule.channel == Department.objects.get(code="sales").slack_channel_id


def test_the_demo_leaves_an_admins_routing_alone():
    now = datetime(2026, 12, 2, 10, 0, tzinfo=KST)
    people_demo.seed(StringIO(), now=now)
    RoutingRule.objects.create(name="partners", categories=["partnership"], channel="CPARTNER1")
    demo.seed(StringIO(), now=now)
    assert list(RoutingRule.objects.values_list("channel", flat=True)) == ["CPARTNER1"]
