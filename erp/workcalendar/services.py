"""Writes to the company calendar: working hours per weekday and company days off.

They move every SLA clock, after-hours route, attendance day and room booking, so each
change is validated and audited. The calendar cache is dropped by the post_save /
post_delete receivers (receivers.py), which also cover fixtures and data migrations.
"""

from erp.audit.services import audited_delete, audited_save

from .models import BreakPolicy, CompanyDayOff, WorkingHours


def working_hours_save(*, hours: WorkingHours, by) -> WorkingHours:
    """Create or change one weekday's business hours (the end must be after the start)."""
    return audited_save(hours, by=by, validate=True)


def working_hours_delete(*, hours: WorkingHours, by) -> None:
    """Remove a weekday's hours: that weekday is no longer a working day."""
    audited_delete(hours, by=by)


def company_day_off_save(*, day_off: CompanyDayOff, by) -> CompanyDayOff:
    """Add or change a company-wide day off (e.g. 창립기념일)."""
    return audited_save(day_off, by=by, validate=True)


def company_day_off_delete(*, day_off: CompanyDayOff, by) -> None:
    audited_delete(day_off, by=by)


def break_policy_save(*, policy: BreakPolicy, by) -> BreakPolicy:
    """Change how attendance deducts breaks. Applies to days derived from now on; re-derive
    past ones with ``manage.py attendance_rederive --from …`` (payroll may have used them)."""
    return audited_save(policy, by=by, validate=True)


def break_policy_delete(*, policy: BreakPolicy, by) -> None:
    """Back to the default (statutory minimum by presence)."""
    audited_delete(policy, by=by)
