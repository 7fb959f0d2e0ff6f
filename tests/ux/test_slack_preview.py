"""The Slack preview reads like Slack (issue 16, part 6), and links use the portal's real
address when PORTAL_BASE_URL is not set."""

import pytest
from django.core.cache import cache

from integrations.slack.core import base_url
from integrations.slack.core.blocks import portal_url
from integrations.slack.core.preview import mrkdwn_to_html, render_blocks, slack_names
from integrations.slack.core.views import target_label

pytestmark = pytest.mark.django_db


def test_mentions_channels_and_emoji_render_like_slack(people, infra):
    staff = people["staff"].employee
    staff.slack_user_id = "U0DEMO0008"
    staff.save()
    infra.slack_channel_id = "C0INFRA001"
    infra.save()
    names = slack_names({"U0DEMO0008", "C0INFRA001", "U0NOBODY00"})
    html = str(
        render_blocks([], ":warning: <@U0DEMO0008> <#C0INFRA001> <@U0NOBODY00> :nope:", names=names, bot="하루 ERP")
    )
    assert "⚠️" in html and "@윤예준" in html and "#인프라팀" in html and "@U0NOBODY00" in html
    assert ":nope:" in html  # unknown shortcodes stay as typed
    assert '<strong>하루 ERP</strong> <span class="slack-app">APP</span>' in html
    assert target_label("U0DEMO0008", names) == "@윤예준" and target_label("C0INFRA001", names) == "#인프라팀"
    assert target_label("#inc-3", names) == "#inc-3"


def test_user_text_is_still_escaped():
    assert "<script>" not in mrkdwn_to_html("<script>alert(1)</script> :warning:")


def test_links_follow_the_address_the_portal_is_reached_by(client, people, settings):
    settings.PORTAL_BASE_URL_SET = False
    settings.PORTAL_BASE_URL = "http://127.0.0.1:8000"
    cache.delete(base_url.CACHE_KEY)
    base_url._last_seen["value"] = None
    base_url.forget_read()
    assert portal_url("/tickets/INC-1/") == "http://127.0.0.1:8000/tickets/INC-1/"
    client.force_login(people["staff"])
    client.get("/", HTTP_HOST="127.0.0.1:18777")
    assert portal_url("/tickets/INC-1/") == "http://127.0.0.1:18777/tickets/INC-1/"
    settings.PORTAL_BASE_URL_SET = True  # an explicit PORTAL_BASE_URL always wins
    settings.PORTAL_BASE_URL = "https://erp.example.com"
    assert portal_url("/x/") == "https://erp.example.com/x/"
