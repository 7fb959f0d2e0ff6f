"""integrations.slack.core.scheduled_posts: a daily job's post, once per (job, target, day)."""

from datetime import date, time

import pytest

from erp.core.scheduled import DailyJob
from integrations.slack.core.models import SlackMessage
from integrations.slack.core.scheduled_posts import post_once

pytestmark = pytest.mark.django_db

JOB = DailyJob("test.summary", at=time(9, 0))
DAY = date(2026, 9, 22)


def post(target="CINFRA001", key=1, day=DAY, **kwargs):
    return post_once(JOB, day=day, key=key, target=target, text="요약", blocks=[], **kwargs)


def test_once_per_target_key_and_day(slack):
    assert post() is True
    assert post() is False
    assert post(target="CDEV00001") is True  # another channel
    assert post(key=2) is True  # another subject in the same channel
    assert post(day=date(2026, 9, 23)) is True  # the next day
    rows = SlackMessage.objects.order_by("pk")
    assert rows.count() == 4
    assert rows[0].kind == "test.summary" and rows[0].message_key == "test.summary:1:2026-09-22"


def test_kind_and_no_target(slack):
    assert post(kind="test.custom_kind") is True
    assert SlackMessage.objects.get().kind == "test.custom_kind"
    assert post(target="", key=3) is False
