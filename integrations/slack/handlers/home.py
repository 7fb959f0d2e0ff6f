"""App Home: each person's tab, published on app_home_opened; modules add sections.

Later modules register a section builder from their AppConfig.ready()::

    from integrations.slack.handlers.home import HomeSection, register_home_section

    register_home_section(HomeSection("attendance", order=20, build=attendance_home_blocks))

``build(who: SlackUser) -> list[dict]`` returns Block Kit blocks (empty list: nothing to
show); a builder that raises is logged and skipped, so one module cannot blank the tab.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _
from slack_sdk.errors import SlackApiError, SlackClientError

from tickets.models import ACTIVE_STATUSES
from tickets.selectors import my_open_assigned, my_requested

from ..blocks.home import NEW_TICKET, home_view, refusal_home, tickets_home_section
from ..blocks.ticket_reports import LIST_LIMIT
from ..client import SlackNotConfigured, get_client
from ..inbound.deferred import defer
from ..inbound.identity import NotLinked, bilingual, refusal_text, resolve, speaking
from ..inbound.modals import open_modal
from ..inbound.payloads import SlackOrigin
from ..inbound.routing import register_action, register_event

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


def _limited(queryset) -> tuple[list, bool]:
    rows = list(queryset[: LIST_LIMIT + 1])
    return rows[:LIST_LIMIT], len(rows) > LIST_LIMIT


def tickets_section(who) -> list[dict]:
    assigned, assigned_more = _limited(my_open_assigned(who.user))
    requested, requested_more = _limited(my_requested(who.user).filter(status__in=ACTIVE_STATUSES))
    return tickets_home_section(
        assigned=assigned,
        assigned_more=assigned_more,
        requested=requested,
        requested_more=requested_more,
        is_agent=who.employee.is_agent,
        portal_path=reverse("tickets:list"),
    )


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


def new_ticket(interaction, who) -> None:
    from .tickets_modals import create_modal_for

    open_modal(interaction.trigger_id, create_modal_for(who, metadata={"from": "home"}))


def register() -> None:
    register_home_section(HomeSection("tickets", order=10, build=tickets_section))
    register_event("app_home_opened", on_app_home_opened)
    register_action(NEW_TICKET, new_ticket)
