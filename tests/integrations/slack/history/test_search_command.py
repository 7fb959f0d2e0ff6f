"""The search command from Slack: the same search as the portal, ephemeral, with links, both languages."""

import pytest
from django.conf import settings

from integrations.slack.inbound import dispatch as routing

from .conftest import ephemeral_text

pytestmark = pytest.mark.django_db


def search(post, text, user_id):
    return post.command(text, user_id, command=settings.SLACK_SEARCH_COMMAND)


def test_the_command_is_routed_at_start_up():
    assert settings.SLACK_SEARCH_COMMAND in routing.commands


def test_hits_with_links_only_what_the_person_may_see(post, crew, make_ticket):
    seen = make_ticket(title="VPN장애 재발")
    dev_only = make_ticket(title="빌드 서버 장애", group=crew["dev"], by=crew["colleague"])
    text = ephemeral_text(search(post, "장애", "UAGENT001"))  # an infra agent
    assert f"{settings.PORTAL_BASE_URL}{seen.get_absolute_url()}" in text
    assert dev_only.number not in text
    assert f"{settings.PORTAL_BASE_URL}/search/?q=%EC%9E%A5%EC%95%A0" in text  # the whole result on the portal
    assert "Tickets" in text and "1 found" in text


def test_korean_speakers_get_korean(post, crew, make_ticket):
    make_ticket(title="VPN장애 재발")
    text = ephemeral_text(search(post, "VPN장애", "UKOREAN01"))
    assert "티켓" in text and "포털" in text


def test_help_nothing_found_and_too_long(post, crew):
    assert "VPN장애" in ephemeral_text(search(post, "", "UAGENT001"))
    assert "Nothing found" in ephemeral_text(search(post, "없는말", "UAGENT001"))
    assert "too long" in ephemeral_text(search(post, "장" * 1000, "UAGENT001"))
    assert "Nothing found" in ephemeral_text(search(post, "%' OR 1=1 --", "UAGENT001"))
