"""Small guarantees of the inbound plumbing: options, view_closed, response_url guard, routing."""

import pytest
from django.contrib.auth import get_user_model

from erp.people.models import Employee, Role
from integrations.slack.inbound import dispatch as routing
from integrations.slack.inbound.deferred import response_url_allowed
from integrations.slack.inbound.payloads import message_link
from tests.fakes.slack_signing import block_actions_payload, modal_view, shortcut_payload

from .conftest import ephemeral_text


@pytest.mark.parametrize("endpoint", ["options", "interactivity"])
def test_options_requests_get_an_empty_list(post, crew, endpoint):
    """No external select exists; an app set up from an old manifest still gets a valid answer."""
    payload = {
        **shortcut_payload("x", user_id="UAGENT001"),
        "type": "block_suggestion",
        "action_id": "nope",
        "value": "ab",
    }
    response = post.interaction(payload, endpoint=endpoint)
    assert response.json() == {"options": []}


def test_view_closed_is_acknowledged(post, crew):
    payload = {
        **shortcut_payload("x", user_id="UAGENT001"),
        "type": "view_closed",
        "view": modal_view("tickets.comment"),
    }
    assert post.interaction(payload).status_code == 200


def test_unrouted_actions_and_shortcuts_are_acknowledged(post, crew):
    assert post.interaction(block_actions_payload("nobody.handles_this", "1", user_id="UAGENT001")).status_code == 200
    assert post.interaction(shortcut_payload("nobody.handles_this", user_id="UAGENT001")).status_code == 200
    assert post.slack.calls_to("views.open") == []


def test_command_not_routed_here(post, crew):
    assert "not handled by Haru" in ephemeral_text(post.command("", "UAGENT001", command="/weather"))


def test_routing_tables_refuse_a_second_owner():
    routing.register_action("test.once", print)
    try:
        routing.register_action("test.once", print)  # the same handler again is fine
        with pytest.raises(ValueError):
            routing.register_action("test.once", repr)
    finally:
        routing.actions.pop("test.once")


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://hooks.slack.com/actions/T1/2/abc", True),
        ("http://hooks.slack.com/actions/T1/2/abc", False),
        ("https://hooks.slack.com.evil.example/x", False),
        ("https://evil.example/actions", False),
        ("http://169.254.169.254/latest/meta-data", False),
        ("", False),
    ],
)
def test_response_urls_only_go_to_slack(url, allowed):
    assert response_url_allowed(url) is allowed


def test_message_link_without_a_slack_call():
    assert message_link("acme", "C123", "1700000000.000100") == "https://acme.slack.com/archives/C123/p1700000000000100"
    assert message_link("acme", "C123") == "https://acme.slack.com/archives/C123"
    assert message_link("", "C123", "1.2") == ""


def test_a_slack_id_already_linked_to_someone_else_is_not_stolen(post, crew):
    user = get_user_model().objects.create_user("twin", "seoyeon@haru.example", "pw")
    Employee.objects.create(user=user, display_name="동명이인", role=Role.STAFF)
    # seoyeon@haru.example belongs to the agent already linked as UAGENT001.
    post.slack.add_user("seoyeon@haru.example", "UIMPOSTER")
    assert "could not find your Haru account" in ephemeral_text(post.command("list", "UIMPOSTER"))
    assert Employee.objects.get(slack_user_id="UAGENT001").user == crew["agent"]


def test_an_employee_linked_to_another_slack_account_is_not_relinked(post, crew):
    post.slack.add_user("seoyeon@haru.example", "UIMPOSTER")
    assert "could not find your Haru account" in ephemeral_text(post.command("list", "UIMPOSTER"))
    assert Employee.objects.get(user=crew["agent"]).slack_user_id == "UAGENT001"
