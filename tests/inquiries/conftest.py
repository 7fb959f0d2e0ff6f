"""Inquiry fixtures: a sales and a marketing department, people in and outside them, a site."""

import pytest
from django.contrib.auth import get_user_model

from erp.audit.actor import Actor
from erp.audit.models import Source
from erp.people.models import Department, Employee, Role
from inquiries.models import InquirySource, Site
from inquiries.services import Visitor, clean_submission, inquiry_receive
from tests.clock import WORKING_WEDNESDAY, clock_pinned_at


@pytest.fixture(autouse=True)
def _working_wednesday(request):
    """Intake and duplicate windows read the clock: every test runs on a plain working morning."""
    yield from clock_pinned_at(request, WORKING_WEDNESDAY)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The intake's rate limits count in the cache, in fixed windows of the clock, and every test
    runs at the same pinned moment: each starts with no count."""
    from django.core.cache import cache

    cache.clear()


def make_person(username, department=None, role=Role.STAFF, *, slack_user_id=None, superuser=False):
    user = get_user_model().objects.create_user(
        username=username,
        email=f"{username}@haru.example",
        password="pw-for-tests-1",
        is_superuser=superuser,
        is_staff=superuser,
    )
    Employee.objects.create(
        user=user, display_name=username, department=department, role=role, slack_user_id=slack_user_id
    )
    return user


@pytest.fixture
def team(db):
    sales = Department.objects.create(name="영업팀", code="sales", slack_channel_id="CSALES001")
    marketing = Department.objects.create(name="마케팅팀", code="marketing", slack_channel_id="CMKT00001")
    dev = Department.objects.create(name="개발팀", code="dev")
    return {
        "sales": make_person("sales", sales, slack_user_id="USALES001"),
        "sales2": make_person("sales2", sales, slack_user_id="USALES002"),
        "marketer": make_person("marketer", marketing, slack_user_id="UMKT00001"),
        "developer": make_person("developer", dev, Role.AGENT, slack_user_id="UDEV00001"),
        "admin": make_person("boss", None, Role.ADMIN),
    }


@pytest.fixture
def site(db):
    return Site.objects.create(
        key="haru-main", name="하루 홈페이지", allowed_origins="https://www.haru.example\nhttps://haru.example"
    )


VALID = {
    "name": "김하늘",
    "company": "(주)한빛소프트",
    "email": "sky.kim@hanbit.example",
    "phone": "010-2345-6789",
    "subject": "챗봇 도입 문의",
    "message": "사내 헬프데스크에 챗봇을 도입하려고 합니다. 견적과 일정을 알려 주세요.",
    "category": "adoption",
    "consent": True,
}


@pytest.fixture
def receive(db, site):
    """Factory: an inquiry received through the intake service (as the public endpoint does)."""

    def make(source=InquirySource.WEBSITE, **overrides):
        data = {**VALID, **overrides}
        submission = clean_submission(data, site=site)
        return inquiry_receive(
            submission=submission,
            source=source,
            site=site,
            visitor=Visitor(ip_address="203.0.113.7", user_agent="pytest"),
            by=Actor(source=Source.WEB, context={"site": site.key}),
        )

    return make
