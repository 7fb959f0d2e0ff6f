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
:func:`covered_by_brief` once per run which of their posts it carries (the rule is there).
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


@dataclass(frozen=True)
class BriefCover:
    """Which posts of one DailyJob the morning brief carries today: (channel, team id) pairs."""

    pairs: frozenset[tuple[str, int]] = frozenset()

    def covers(self, channel: str, department_id: int | None = None) -> bool:
        """Whether the job's post to ``channel`` is left to the brief.

        ``department_id`` for a post about one team's records (its tickets, its clients' coupons,
        its alert sources): only that team's brief stands in for it, and only in that team's own
        channel. Without it, a post to a channel (a room agenda, an inquiry routing target) is
        left to the brief of any opted-in team whose channel it is.
        """
        if not channel:
            return False
        if department_id is None:
            return any(c == channel for c, _team in self.pairs)
        return (channel, department_id) in self.pairs


def covered_by_brief(job_name: str, day: date) -> BriefCover:
    """The posts of ``job_name`` on ``day`` that the morning brief carries instead.

    The rule, the same for every module: a separate morning post is skipped when it goes to the
    Slack channel of a team that gets the brief (TeamBrief active with replace_morning_posts,
    the team active with a channel: otherwise no brief is posted at all) *and* that team's brief
    really shows the section that declares ``replaces=(job_name,)`` — built now for that team
    and day, with something to say. A section that is not registered, or empty for the team
    (nothing new, or not its business: the inquiries section outside sales and marketing),
    never eats a post. One call per job run: each opted-in team's section is built once.
    """
    sections = [s for s in brief_sections() if job_name in s.replaces]
    if not sections:
        return BriefCover()
    teams = (
        TeamBrief.objects.filter(active=True, replace_morning_posts=True, department__is_active=True)
        .exclude(department__slack_channel_id="")
        .select_related("department")
    )
    pairs = set()
    for team in teams:
        department = team.department
        for section in sections:
            part = section.build(department, day)
            if part is not None and part.lines:
                pairs.add((department.slack_channel_id, department.pk))
                break
    return BriefCover(frozenset(pairs))
