"""App Home: each person's tab, published on app_home_opened; modules add sections.

A module declares its sections in its SlackModule (``home_sections=(HomeSection(...),)``,
see integrations.slack.core.modules); :func:`register_home_section` is what install() calls.

``build(who: SlackUser) -> list[dict]`` returns Block Kit blocks (empty list: nothing to
show); a builder that raises is logged and skipped, so one module cannot blank the tab.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from slack_sdk.errors import SlackApiError, SlackClientError

from integrations.slack.core.client import SlackNotConfigured, get_client
from integrations.slack.core.home_blocks import home_view, refusal_home
from integrations.slack.inbound.deferred import defer
from integrations.slack.inbound.identity import NotLinked, bilingual, refusal_text, resolve, speaking
from integrations.slack.inbound.payloads import SlackOrigin

logger = logging.getLogger(__name__)

PUBLISH_TIMEOUT_SECONDS = 5


@dataclass(frozen=True)
class HomeSection:
    key: str
    order: int
    build: Callable


_sections: dict[str, HomeSection] = {}


def register_home_section(home_section: HomeSection) -> None:
    """Add (or replace, by key) a section of everyone's Home tab."""
    _sections[home_section.key] = home_section


def home_sections() -> list[HomeSection]:
    return sorted(_sections.values(), key=lambda s: (s.order, s.key))


def build_home(who) -> dict:
    """The whole tab for ``who``, in their language."""
    blocks = []
    with speaking(who):
        for home_section in home_sections():
            try:
                blocks.append(home_section.build(who))
            except Exception:
                logger.exception("Home section %s failed for %s", home_section.key, who.origin.user_id)
        greeting = _("Hello, %(name)s") % {"name": who.employee.display_name}
        return home_view(blocks, greeting=greeting)


def publish_home(slack_user_id: str, view: dict) -> None:
    """views.publish (runs deferred, off the ack path). Safe to repeat: it replaces the tab."""
    try:
        get_client(timeout=PUBLISH_TIMEOUT_SECONDS).views_publish(user_id=slack_user_id, view=view)
    except SlackNotConfigured:
        return
    except (SlackApiError, SlackClientError, OSError) as exc:
        logger.warning("Home tab for %s not published: %s", slack_user_id, exc)


def on_app_home_opened(event) -> bool:
    """Build the tab now (a few indexed reads), publish it after the ack."""
    data = event.event
    if data.get("tab", "home") != "home" or not data.get("user"):
        return False
    origin = SlackOrigin(user_id=data["user"], team_id=event.team_id, channel_id=data.get("channel", ""))
    try:
        who = resolve(origin)
    except NotLinked as exc:
        reason = exc.reason
        defer(publish_home, origin.user_id, refusal_home(bilingual(lambda: refusal_text(reason))))
        return True
    defer(publish_home, origin.user_id, build_home(who))
    return True
