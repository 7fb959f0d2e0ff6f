"""Tells ticket round robin who is away (registered from LeaveConfig.ready()).

Approved leave covering the moment — a full day, or the half day of it — makes the agent
unavailable, even before attendance has marked the work day. Otherwise no opinion (None).
"""

from datetime import datetime

from erp.workcalendar.calendar import KST

from .selectors import on_leave


def away_now(user, moment: datetime) -> bool | None:
    employee = getattr(user, "employee", None) if getattr(user, "pk", None) else None
    if employee is None:
        return None
    away = on_leave([employee], moment.astimezone(KST).date(), at=moment)
    return False if away else None
