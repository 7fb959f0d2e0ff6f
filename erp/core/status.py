"""Modules report how their imports, intake and syncs are doing: one registration each.

A module registers a ``StatusSection`` in its AppConfig.ready(); the admin's system status
page shows it as a table (with its problems on top) and ``/metrics`` exports its samples
as Prometheus gauges (integrations/ops reads this registry; it has no list of modules).

``read(now)`` runs at every page view and scrape, so it must stay bounded: grouped counts
over indexed columns, one row per configured source (calendars, feeds), recent windows.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.timesince import timesince
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Metric:
    """One Prometheus family; ``name`` starts with ``haru_`` and says its unit."""

    name: str
    help: str
    labels: tuple[str, ...] = ()


@dataclass
class Sample:
    metric: Metric
    value: float
    labels: tuple[str, ...] = ()


@dataclass
class StatusReport:
    rows: list[list] = field(default_factory=list)
    samples: list[Sample] = field(default_factory=list)
    # Shown above the table; a short sentence each ("Calendar X: not synced for 3 hours").
    problems: list[str] = field(default_factory=list)

    def add(self, metric: Metric, value: float | None, *labels) -> None:
        if value is None:
            return
        if len(labels) != len(metric.labels):
            raise ValueError(f"{metric.name} takes labels {metric.labels}, got {labels}")
        self.samples.append(Sample(metric, float(value), tuple(str(label)[:100] for label in labels)))


@dataclass(frozen=True)
class StatusSection:
    key: str
    label: str
    columns: tuple[str, ...]
    read: Callable[[datetime], StatusReport]
    # Every family the section may emit, declared so /metrics lists it even when empty.
    metrics: tuple[Metric, ...] = ()
    order: int = 50


_sections: dict[str, StatusSection] = {}


def register_status_section(section: StatusSection) -> None:
    known = _sections.get(section.key)
    if known is not None and known != section:
        raise ValueError(f"status section {section.key!r} is registered twice")
    names = {metric.name for other in _sections.values() if other.key != section.key for metric in other.metrics}
    clash = names & {metric.name for metric in section.metrics}
    if clash:
        raise ValueError(f"status section {section.key!r} reuses metric names {sorted(clash)}")
    _sections[section.key] = section


def status_sections() -> list[StatusSection]:
    return sorted(_sections.values(), key=lambda section: (section.order, section.key))


def seconds_since(moment: datetime | None, now: datetime) -> float | None:
    return max(0.0, (now - moment).total_seconds()) if moment else None


def ago(moment: datetime | None, now: datetime) -> str:
    """A table cell: "3분 전" / "3 minutes ago", or "never"."""
    if moment is None:
        return _("never")
    return _("%(time)s ago") % {"time": timesince(moment, now)}
