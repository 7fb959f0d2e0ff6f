"""The morning brief's sections: one message per team at 09:00 on working days, built from
what the modules register.

A module registers a section from its AppConfig.ready()::

    register_brief_section(BriefSection("tickets", _("Tickets"), build=tickets_brief, order=10,
                                        replaces=("tickets.digest",)))

``build(department, day)`` returns a BriefPart (plain-text lines, a portal link) or None when
there is nothing to say. Privacy, the module's duty and checked by tests: a part holds counts,
record numbers and colleagues' names at most — never a phone number, a time of day, a leave
reason, an internal note or a sensitive ticket's title — since a team channel can have guests.

``replaces`` names the DailyJobs whose separate morning post the brief stands in for: a team
that opted in (TeamBrief.replace_morning_posts) gets only the brief, and those jobs ask
:func:`replaced_by_brief` before posting to it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .models import TeamBrief


@dataclass
class BriefPart:
    lines: list[str] = field(default_factory=list)
    link: tuple[Any, str] | None = None  # (label, portal path)


@dataclass(frozen=True, eq=False)
class BriefSection:
    key: str
    label: Any
    build: Callable[[Any, date], BriefPart | None]
    order: int = 50
    replaces: tuple[str, ...] = ()


_sections: dict[str, BriefSection] = {}


def register_brief_section(section: BriefSection) -> None:
    existing = _sections.get(section.key)
    if existing is not None and existing is not section:
        raise ValueError(f"a brief section {section.key!r} is already registered")
    _sections[section.key] = section


def brief_sections() -> list[BriefSection]:
    return sorted(_sections.values(), key=lambda s: (s.order, s.key))


def brief_for(department, day: date) -> list[tuple[BriefSection, BriefPart]]:
    parts = []
    for section in brief_sections():
        part = section.build(department, day)
        if part is not None and part.lines:
            parts.append((section, part))
    return parts


def replaced_by_brief(department_id: int | None, job_name: str) -> bool:
    """True when this team gets the brief instead of ``job_name``'s separate morning post."""
    if department_id is None or not any(job_name in s.replaces for s in _sections.values()):
        return False
    return TeamBrief.objects.filter(department_id=department_id, active=True, replace_morning_posts=True).exists()
