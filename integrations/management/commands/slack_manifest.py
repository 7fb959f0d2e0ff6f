"""Print the Slack app manifest for this portal: paste it into "Create New App → From a manifest"."""

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from integrations.slack.core import modules


def build_manifest(base_url: str, *, name: str = "Haru", socket_mode: bool = False) -> dict:
    """The manifest as a dict: URLs point at ``base_url``.

    Commands, shortcuts, bot events and scopes are what the Slack modules declare
    (integrations.slack.core.modules); command names come from settings. Descriptions, usage
    hints and shortcut names are in the company language (settings.LANGUAGE_CODE): Slack shows
    them to everyone in the autocomplete and the message menu, with no per-user language. With
    ``socket_mode`` Slack sends everything over `manage.py slack_socket`'s WebSocket:
    no request URLs at all, so the portal needs no public address.
    """
    with translation.override(settings.LANGUAGE_CODE):
        manifest = json.loads(json.dumps(_http_manifest(base_url, name=name), default=str, ensure_ascii=False))
    if socket_mode:
        features, app_settings = manifest["features"], manifest["settings"]
        for command in features["slash_commands"]:
            del command["url"]
        del app_settings["event_subscriptions"]["request_url"]
        del app_settings["interactivity"]["request_url"]
        app_settings["socket_mode_enabled"] = True
    return manifest


def _http_manifest(base_url: str, *, name: str) -> dict:
    base = base_url.rstrip("/")

    def url(name_: str) -> str:
        return base + reverse(f"slack-inbound:{name_}")

    commands_url = url("commands")
    return {
        "_metadata": {"major_version": 1, "minor_version": 1},
        "display_information": {
            "name": name,
            "description": gettext("Haru ERP: IT tickets and attendance in Slack."),
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
                    "command": command.name,
                    "url": commands_url,
                    "description": command.description,
                    "usage_hint": command.usage_hint,
                    "should_escape": True,
                }
                for command in modules.all_commands()
            ],
            "shortcuts": [
                {
                    "name": shortcut.name,
                    "type": shortcut.kind,
                    "callback_id": shortcut.callback_id,
                    "description": shortcut.description,
                }
                for shortcut in modules.all_shortcuts()
            ],
        },
        "oauth_config": {"scopes": {"bot": [scope.name for scope in modules.bot_scopes()]}},
        "settings": {
            "event_subscriptions": {"request_url": url("events"), "bot_events": modules.bot_events()},
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
        parser.add_argument(
            "--socket-mode",
            action="store_true",
            help="no request URLs: Slack talks to `manage.py slack_socket` (needs SLACK_APP_TOKEN)",
        )

    def handle(self, *args, base_url, format, name, socket_mode, **options):
        if socket_mode:
            base_url = base_url or "https://localhost"  # unused: a Socket Mode manifest has no URLs
        elif not base_url.startswith("https://"):
            if not base_url.startswith("http://"):
                raise CommandError("--base-url must be an absolute URL, e.g. https://erp.example.com")
            self.stderr.write("Slack only calls https:// request URLs; use your public HTTPS address.")
        manifest = build_manifest(base_url, name=name, socket_mode=socket_mode)
        if format == "yaml":
            import yaml  # PyYAML comes with drf-spectacular

            self.stdout.write(yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False))
        else:
            self.stdout.write(json.dumps(manifest, ensure_ascii=False, indent=2))
