from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from erp.people.roles import is_agent

from .registry import nav_items_for


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    current: bool


def nav_links(user, path: str) -> list[NavLink]:
    """The navigation for ``user``; the entry with the longest URL prefix of ``path`` is current.

    Longest prefix, so /attendance/team/ marks "Team attendance", not also "Attendance".
    """
    items = [(item, reverse(item.url_name)) for item in nav_items_for(user)]
    matches = [url for _, url in items if path.startswith(url)]
    current = max(matches, key=len, default=None)
    return [NavLink(str(item.label), url, url == current) for item, url in items]


def portal(request):
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "nav_links": nav_links(user, request.path) if signed_in else [],
        "slack_configured": bool(settings.SLACK_BOT_TOKEN),
        # The API docs are for technical staff (agents, admins), in the footer, not the main nav.
        "show_api_link": signed_in and (user.is_staff or is_agent(user)),
    }
