"""Writes of the history app's configuration, audited (DESIGN.md §3.1)."""

from erp.audit.services import audited_delete, audited_save

from .models import TeamBrief


def team_brief_save(*, brief: TeamBrief, by) -> TeamBrief:
    return audited_save(brief, by=by, validate=True)


def team_brief_delete(*, brief: TeamBrief, by) -> None:
    audited_delete(brief, by=by)
