"""Dashboard widgets: small figures and charts on the portal home, by role, from the modules.

A module registers widgets from its AppConfig.ready() (or its Slack package)::

    register_widget(Widget("tickets.my_queue", _("My queue"), my_queue, roles=("agent", "manager")))

``build(user)`` returns a WidgetData (figures, an optional Chart, an optional link) or None to
stay hidden. Widgets read rollups or bounded, indexed counts — never a scan — since the home
page is everyone's first page. The home panel (erp.history.apps) shows the widgets of the
person's role: agent, manager, admin (a manager also gets the agent's, an admin everything).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.safestring import SafeString

from erp.people.roles import is_agent, is_company_admin
from erp.people.selectors import employee_of
from erp.workcalendar.calendar import KST

from .charts import render
from .reports import Chart, Period, Series

ROLES = ("staff", "agent", "manager", "admin")
# The home widgets' trend charts: the last eight weeks, by week.
TREND_WEEKS = 8


def trend_period() -> Period:
    """The last TREND_WEEKS weeks up to today (KST), bucketed by week."""
    today = timezone.localtime(timezone.now(), KST).date()
    return Period(today - timedelta(weeks=TREND_WEEKS - 1), today, "week")


def weekly_chart(title, period: Period, weekly: dict, series: list[tuple[Any, str]]) -> Chart:
    """A chart of counted metrics per week: ``weekly`` is ``by_bucket`` of the rollup's cells,
    ``series`` the (label, metric) pairs to draw."""
    starts = period.buckets()
    return Chart(
        title,
        [period.label(start) for start in starts],
        [Series(label, [weekly.get((metric, start), (0, 0))[1] for start in starts]) for label, metric in series],
    )


@dataclass
class LinkList:
    """A short list of records on a widget, each a link (say today's meetings)."""

    heading: Any
    rows: list[tuple[str, str]] = field(default_factory=list)  # (text, url)
    empty: Any = ""  # shown instead when there are no rows; the list is left out when blank


@dataclass
class WidgetData:
    figures: list[tuple[Any, Any]] = field(default_factory=list)
    chart: Chart | None = None
    link: tuple[Any, str] | None = None  # (label, url)
    lists: list[LinkList] = field(default_factory=list)

    @property
    def svg(self) -> SafeString | None:
        return render(self.chart) if self.chart else None


@dataclass(frozen=True, eq=False)
class Widget:
    key: str
    label: Any
    build: Callable[[Any], WidgetData | None]
    roles: tuple[str, ...] = ("agent", "manager", "admin")
    order: int = 50


_widgets: dict[str, Widget] = {}


def register_widget(widget: Widget) -> None:
    unknown = set(widget.roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)} for widget {widget.key!r}")
    existing = _widgets.get(widget.key)
    if existing is not None and existing is not widget:
        raise ValueError(f"a widget {widget.key!r} is already registered")
    _widgets[widget.key] = widget


def role_of(user) -> str:
    if is_company_admin(user):
        return "admin"
    employee = employee_of(user)
    if employee is not None and employee.is_manager:
        return "manager"
    return "agent" if is_agent(user) else "staff"


def widgets_for(user) -> list[tuple[Widget, WidgetData]]:
    role = role_of(user)
    shown = []
    for widget in sorted(_widgets.values(), key=lambda w: (w.order, w.key)):
        if role in widget.roles:
            data = widget.build(user)
            if data is not None:
                shown.append((widget, data))
    return shown


def home_panel_context(request):
    shown = widgets_for(request.user)
    return {"widgets": shown} if shown else None
