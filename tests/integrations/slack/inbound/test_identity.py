"""Who is the Slack user? Linked employees, first contact by e-mail, refusals, language."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from erp.audit.models import AuditEvent
from erp.people.models import Employee, Role
from integrations.slack.inbound import dispatch as routing

from .conftest import ephemeral_text


@pytest.fixture
def language_probe():
    """A throwaway command answering with the language the handler ran in."""
    routing.register_command(
        "/langprobe", lambda cmd, who: {"response_type": "ephemeral", "text": translation.get_language()}
    )
    yield
    routing.commands.pop("/langprobe", None)


def test_linked_employee_needs_no_slack_call(post, crew, language_probe):
    response = post.command("", "UKOREAN01", command="/langprobe")
    assert response.json()["text"] == "ko"
    assert post.slack.calls_to("users.info") == []


def test_replies_in_the_employees_language(post, crew, language_probe):
    assert post.command("", "UAGENT002", command="/langprobe").json()["text"] == "en"


def test_first_contact_links_by_email(post, crew, language_probe):
    user = get_user_model().objects.create_user("hana", "Hana.Seo@haru.example", "pw")
    Employee.objects.create(user=user, display_name="서하나", role=Role.STAFF)
    post.slack.add_user("hana.seo@haru.example", "UHANA0001")
    response = post.command("", "UHANA0001", command="/langprobe")
    assert response.json()["text"] == "ko"
    assert Employee.objects.get(user=user).slack_user_id == "UHANA0001"
    call = post.slack.calls_to("users.info")[0]
    assert call.args["user"] == "UHANA0001"
    assert str(call.args["include_locale"]).lower() in ("1", "true")
    event = AuditEvent.objects.get(action="slack_linked")
    assert event.source == "slack"
    # The second request is recognised without asking Slack again.
    post.command("", "UHANA0001", command="/langprobe")
    assert len(post.slack.calls_to("users.info")) == 1


def test_unknown_user_gets_korean_then_english(post, crew):
    text = ephemeral_text(post.command("help", "USTRANGER"))
    with translation.override("en"):
        assert "could not find your Haru account" in text
    assert post.slack.calls_to("users.info")  # looked up once
    post.command("help", "USTRANGER")
    assert len(post.slack.calls_to("users.info")) == 1  # remembered for a minute


def test_unknown_email_is_refused(post, crew):
    post.slack.add_user("outsider@elsewhere.example", "UOUTSIDE1")
    assert "could not find your Haru account" in ephemeral_text(post.command("list", "UOUTSIDE1"))


@pytest.mark.parametrize("flag", ["is_restricted", "is_ultra_restricted"])
def test_guests_are_refused(post, crew, flag):
    user = get_user_model().objects.create_user("guest", "guest@haru.example", "pw")
    Employee.objects.create(user=user, display_name="게스트", role=Role.STAFF)
    post.slack.add_user("guest@haru.example", "UGUEST001", **{flag: True})
    assert "Guest accounts" in ephemeral_text(post.command("list", "UGUEST001"))
    assert Employee.objects.get(user=user).slack_user_id is None


def test_deactivated_slack_or_portal_accounts_are_refused(post, crew):
    user = get_user_model().objects.create_user("gone", "gone@haru.example", "pw", is_active=False)
    Employee.objects.create(user=user, display_name="퇴사자", role=Role.STAFF)
    post.slack.add_user("gone@haru.example", "UGONE0001")
    assert "deactivated" in ephemeral_text(post.command("list", "UGONE0001"))
    post.slack.add_user("left@haru.example", "ULEFT0001", deleted=True)
    assert "deactivated" in ephemeral_text(post.command("list", "ULEFT0001"))


def test_slow_slack_lookup_is_refused_politely_in_time(post, crew):
    post.slack.delay_next("users.info", 4)
    text = ephemeral_text(post.command("list", "USLOW0001"))
    assert "did not answer in time" in text


def test_first_contact_lookup_leaves_room_for_views_open(post, crew):
    """users.info + views.open in one request must both fit the 3 s ack with margin."""
    from integrations.slack.inbound.identity import ACK_SLACK_BUDGET_SECONDS, LOOKUP_TIMEOUT_SECONDS

    assert ACK_SLACK_BUDGET_SECONDS < 2.5
    # A lookup slower than its share is given up (and retried next time), not waited for.
    post.slack.delay_next("users.info", LOOKUP_TIMEOUT_SECONDS + 0.5)
    assert "did not answer in time" in ephemeral_text(post.command("list", "USLOW0002"))


def test_unknown_user_buttons_change_nothing(post, crew, make_ticket):
    from tests.fakes.slack_signing import block_actions_payload

    ticket = make_ticket()
    payload = block_actions_payload("tickets.assign_me", str(ticket.pk), user_id="USTRANGER")
    payload["response_url"] = post.response_url()
    assert post.interaction(payload).status_code == 200
    ticket.refresh_from_db()
    assert ticket.assignee is None
    assert "could not find your Haru account" in post.response_posts()[0]["text"]
