"""manage.py slack_manifest prints an app manifest pointing at this portal."""

import json
from io import StringIO

import pytest
import yaml
from django.core.management import CommandError, call_command

from integrations.slack.inbound import dispatch as routing


def _manifest(*args) -> str:
    out = StringIO()
    call_command("slack_manifest", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_json_manifest_has_every_url_command_scope_and_event(settings):
    settings.SLACK_TICKET_COMMAND = "/fs"
    settings.LANGUAGE_CODE = "en"  # the English msgids below
    manifest = json.loads(_manifest("--base-url", "https://erp.example.com/"))
    features, config = manifest["features"], manifest["settings"]
    commands = {c["command"]: c for c in features["slash_commands"]}
    assert set(commands) == {"/fs", "/attendance", "/haru-search", "/room", "/leave"}
    assert {c["url"] for c in commands.values()} == {"https://erp.example.com/slack/commands"}
    assert all(c["should_escape"] for c in commands.values())  # mentions arrive as <@U…|name>
    assert config["interactivity"]["request_url"] == "https://erp.example.com/slack/interactivity"
    assert "message_menu_options_url" not in config["interactivity"]  # no external select exists
    assert config["event_subscriptions"]["request_url"] == "https://erp.example.com/slack/events"
    assert set(config["event_subscriptions"]["bot_events"]) == {
        "app_home_opened",
        "message.channels",
        "message.groups",
        "message.im",
    }
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert scopes >= {
        "chat:write",
        "chat:write.public",
        "commands",
        "users:read",
        "users:read.email",
        "im:write",
        "channels:manage",
        "groups:write",
        "pins:write",
        "channels:read",
        "groups:read",
        "channels:history",
        "groups:history",
        "im:history",
    }
    # Nothing the code never uses (Slack admins question every extra scope).
    assert not scopes & {"app_mentions:read", "channels:join", "usergroups:read"}
    assert features["app_home"]["home_tab_enabled"] is True
    shortcut = next(s for s in features["shortcuts"] if s["type"] == "message")
    assert shortcut["name"] == "Create ticket from message"
    # Every shortcut in the manifest has a handler.
    assert {s["callback_id"] for s in features["shortcuts"]} <= set(routing.shortcuts)


def test_yaml_and_configured_command_names(settings):
    settings.SLACK_TICKET_COMMAND = "/helpdesk"
    manifest = yaml.safe_load(_manifest("--base-url", "https://haru.example.kr", "--format", "yaml"))
    assert manifest["features"]["slash_commands"][0]["command"] == "/helpdesk"
    assert manifest["display_information"]["name"] == "Haru"


def test_base_url_must_be_absolute():
    with pytest.raises(CommandError):
        _manifest("--base-url", "erp.example.com")


def test_manifest_is_in_the_company_language(settings):
    settings.LANGUAGE_CODE = "ko"
    manifest = json.loads(_manifest("--base-url", "https://erp.example.com/"))
    features = manifest["features"]
    names = {s["callback_id"]: s["name"] for s in features["shortcuts"]}
    assert names["tickets.create_from_message"] == "메시지로 티켓 만들기"
    assert "티켓" in manifest["display_information"]["description"]
    assert all(len(name) <= 24 for name in names.values())  # Slack's limit for shortcut names
    for command in features["slash_commands"]:
        assert any("\uac00" <= ch <= "\ud7a3" for ch in command["description"] + command["usage_hint"])
