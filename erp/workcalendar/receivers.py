"""Reload the calendar after any edit to its configuration tables.

post_save is right here (unlike for domain records): these are configuration rows and
the only thing to do is drop a cache, including after fixtures. The services in
services.py audit the edits; this stays the one place the cache is dropped.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .calendar import invalidate_calendar
from .models import BreakPolicy, CompanyDayOff, WorkingHours


@receiver([post_save, post_delete], sender=BreakPolicy)
@receiver([post_save, post_delete], sender=CompanyDayOff)
@receiver([post_save, post_delete], sender=WorkingHours)
def _calendar_changed(**kwargs):
    invalidate_calendar()
    # Again once the change is visible: another process that reloaded between the edit
    # and the commit cached the old rows under the new version and would keep them
    # for up to _MAX_AGE_SECONDS.
    transaction.on_commit(invalidate_calendar)
