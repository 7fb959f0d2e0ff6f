"""Modules plug themselves into the portal shell: navigation entries and home panels.

Each app registers in its AppConfig.ready(), so the navigation only ever links to
modules that exist, and the home page grows as modules land.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    order: int = 50
    # Who sees the entry; None means every signed-in person.
    visible: Callable | None = None


@dataclass(frozen=True)
class HomePanel:
    template_name: str
    # Returns the panel's context for this request, or None to hide the panel.
    get_context: Callable
    order: int = 50


_nav: list[NavItem] = []
_panels: list[HomePanel] = []


def register_nav(item: NavItem) -> None:
    if item not in _nav:
        _nav.append(item)


def register_home_panel(panel: HomePanel) -> None:
    if panel not in _panels:
        _panels.append(panel)


def nav_items_for(user) -> list[NavItem]:
    return [i for i in sorted(_nav, key=lambda i: i.order) if i.visible is None or i.visible(user)]


def home_panels() -> list[HomePanel]:
    return sorted(_panels, key=lambda p: p.order)
