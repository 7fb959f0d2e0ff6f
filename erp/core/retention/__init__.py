"""Retention: how long each kind of record is kept, and what happens after (issue 15).

Each module registers its record types in its ``apps.py`` ``ready()``::

    register_retention(RetentionPolicy(
        key="attendance.punches", label=_("Attendance punches"), default_days=1096,
        minimum_days=1096, action=DELETE, reason=_("…"), due=punches_due))

``due(cutoff)`` returns the queryset of records whose period ended before ``cutoff`` and that
still need the action; ``anonymise(queryset, now)`` (action ANONYMISE) blanks their personal
fields and keeps the rest (counts, dates, states), so aggregates and reports are unchanged.
An admin may change a period (never below ``minimum_days``, a legal minimum) or pause a
policy (``RetentionSetting``). ``plan(now)`` is the dry run; ``run(now)`` is the nightly task:
one ``RetentionRun`` row and one audit event per run.
"""

from .registry import ANONYMISE, DELETE, RetentionPolicy, policies, policy, register_retention
from .runner import PlannedStep, plan, run, run_one

__all__ = [
    "ANONYMISE",
    "DELETE",
    "PlannedStep",
    "RetentionPolicy",
    "plan",
    "policies",
    "policy",
    "register_retention",
    "run",
    "run_one",
]
