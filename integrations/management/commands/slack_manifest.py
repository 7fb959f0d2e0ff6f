"""Print the Slack app manifest for this portal: paste it into "Create New App → From a manifest"."""

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from integrations.slack.handlers.tickets_modals import CREATE_FROM_MESSAGE, CREATE_SHORTCUT

# Every bot scope the product uses, with the calls that need it (keep in step with the code).
BOT_SCOPES = [
    "app_mentions:read",  # @Haru mentions (events)
    "channels:history",  # message.channels: thread replies on ticket messages become comments
    "channels:join",  # the bot joins public notification channels itself
    "channels:manage",  # incident channels: conversations.create / invite
    "channels:read",  # channel names and membership for routing
    "chat:write",  # posts, updates, thread replies, ephemeral answers
    "chat:write.public",  # post to public channels without being invited
    "commands",  # the ticket and attendance slash commands
    "groups:history",  # message.groups: thread replies in private channels
    "groups:read",  # private channel names
    "groups:write",  # invite to private incident channels
    "im:history",  # message.im: the bot's direct messages
    "im:write",  # conversations.open for direct messages
    "pins:write",  # pin the incident summary
    "usergroups:read",  # @group mentions in routing rules
    "users:read",  # users.info on first contact
    "users:read.email",  # link employees by e-mail (users.info / users.lookupByEmail)
]
BOT_EVENTS = ["app_home_opened", "message.channels", "message.groups", "message.im"]


def build_manifest(base_url: str, *, name: str = "Haru") -> dict:
    """The manifest as a dict: URLs point at ``base_url``; command names come from settings."""
    base = base_url.rstrip("/")

    def url(name_: str) -> str:
        return base + reverse(f"slack-inbound:{name_}")

    commands_url = url("commands")
    return {
        "_metadata": {"major_version": 1, "minor_version": 1},
        "display_information": {
            "name": name,
            "description": "Haru ERP: tickets, attendance and meeting rooms in Slack.",
            "background_color": "#1d3557",
        },
        "features": {
            "app_home": {
                "home_tab_enabled": True,
                "messages_tab_enabled": True,
                "messages_tab_read_only_enabled": False,
            },
            "bot_user": {"display_name": name, "always_online": True},
            "slash_commands": [
                {
                    "command": settings.SLACK_TICKET_COMMAND,
                    "url": commands_url,
                    "description": "IT tickets: create, assign, status, comment, search (help / 도움말)",
                    "usage_hint": "help | ticket INC-12 | create title | list | search words",
                    "should_escape": True,
                },
                {
                    "command": settings.SLACK_ATTENDANCE_COMMAND,
                    "url": commands_url,
                    "description": "Attendance: check in/out, my week (출근 / 퇴근 / 현황)",
                    "usage_hint": "in [remote | client PLACE] | out | status | help",
                    "should_escape": True,
                },
            ],
            "shortcuts": [
                {
                    "name": "Create ticket from message",
                    "type": "message",
                    "callback_id": CREATE_FROM_MESSAGE,
                    "description": "Turn this message into an IT ticket",
                },
                {
                    "name": "New ticket",
                    "type": "global",
                    "callback_id": CREATE_SHORTCUT,
                    "description": "Open the new IT ticket form",
                },
            ],
        },
        "oauth_config": {"scopes": {"bot": BOT_SCOPES}},
        "settings": {
            "event_subscriptions": {"request_url": url("events"), "bot_events": BOT_EVENTS},
            "interactivity": {
                "is_enabled": True,
                "request_url": url("interactivity"),
            },
            "org_deploy_enabled": False,
            "socket_mode_enabled": False,
            "token_rotation_enabled": False,
        },
    }


class Command(BaseCommand):
    help = "Print the Slack app manifest (JSON or YAML) with this portal's request URLs."

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url", default=settings.PORTAL_BASE_URL, help="public https:// address of the portal"
        )
        parser.add_argument("--format", choices=["json", "yaml"], default="json")
        parser.add_argument("--name", default="Haru", help="app and bot display name")

    def handle(self, *args, base_url, format, name, **options):
        if not base_url.startswith("https://"):
            if not base_url.startswith("http://"):
                raise CommandError("--base-url must be an absolute URL, e.g. https://erp.example.com")
            self.stderr.write("Slack only calls https:// request URLs; use your public HTTPS address.")
        manifest = build_manifest(base_url, name=name)
        if format == "yaml":
            import yaml  # PyYAML comes with drf-spectacular

            self.stdout.write(yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False))
        else:
            self.stdout.write(json.dumps(manifest, ensure_ascii=False, indent=2))
