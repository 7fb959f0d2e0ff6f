"""The week timeline's viewer-independent part, cached until a booking, room or rule changes.

A week of 50 rooms is ~2,000 bookings and ~3,000 free gaps. Who looks only changes which
titles are hidden and which bookings are "mine", and the clock only trims the free gaps of
today; the rest (which bookings, where they sit, their times and links, the gaps between
them, in display order) is the same for everybody until something is written. So it is
computed once per week and *generation*: a number in the shared cache (every web process
sees it) that every write to a booking, a room or the meeting settings replaces (post_save /
post_delete, which every service write goes through, plus ``bump()`` for the few queryset
updates that bypass them).

The generation is replaced twice per write: at once (a reader inside the writing
transaction, or a test without commits, sees the change) and again after the commit (a
reader that computed from the not yet committed state between the two stored its entry under
a generation nobody asks for any more).
"""

import threading
import time
from collections import OrderedDict

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

GENERATION_KEY = "meetings:timeline:generation"
# Weeks and days kept per process (a few people page back and forth; ~1 MB a week of 50 rooms).
MAX_ENTRIES = 24

_entries: OrderedDict = OrderedDict()
_lock = threading.Lock()


def generation():
    try:
        value = cache.get(GENERATION_KEY)
        if value is None:
            value = time.time_ns()
            cache.add(GENERATION_KEY, value, None)
            value = cache.get(GENERATION_KEY, value)
        return value
    except Exception:  # a cache outage: no caching at all rather than a stale page
        return None


def _replace_generation() -> None:
    try:
        cache.set(GENERATION_KEY, time.time_ns(), None)
    except Exception:
        pass  # the cache is down: generation() returns None and nothing is served from it


def bump(**_kwargs) -> None:
    """Forget every cached week: now and once more after the current transaction commits."""
    _replace_generation()
    transaction.on_commit(_replace_generation)


def cached(key_parts: tuple, compute):
    """``compute()`` kept in this process under ``key_parts`` and the current generation
    (computed each time when the shared cache is unavailable).

    The entries stay in process memory: the generation is the only thing shared, so a read
    costs one small cache get and no unpickling of thousands of segments (which cost about
    as much as computing them)."""
    current = generation()
    if current is None:
        return compute()
    key = (current, *key_parts)
    with _lock:
        found = _entries.get(key)
        if found is not None:
            _entries.move_to_end(key)
            return found
    found = compute()
    with _lock:
        _entries[key] = found
        for stale in [k for k in _entries if k[0] != current]:
            del _entries[stale]  # an older generation is never asked for again
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return found


def forget_local() -> None:
    """Drop this process's entries (tests; the generation alone already hides them)."""
    with _lock:
        _entries.clear()


def connect() -> None:
    from .models import Booking, MeetingSettings, Room

    for model in (Booking, Room, MeetingSettings):
        post_save.connect(bump, sender=model, dispatch_uid=f"meetings-timeline-save-{model.__name__}")
        post_delete.connect(bump, sender=model, dispatch_uid=f"meetings-timeline-delete-{model.__name__}")
