"""Per-channel pacing: at most one Slack call per channel per slot, across workers.

Slack allows about one message per second per channel (short bursts aside) and answers
429 beyond that. Rather than hitting the limit and backing off, each delivery reserves a
slot of SLACK_PACE_SECONDS (1.1 s) for its channel in the shared cache (``cache.add`` is atomic in Redis) and
is scheduled for that slot; a 429 blocks the channel until its Retry-After has passed.
Other channels are never held up, and no worker sleeps.

If the cache is unavailable (Redis down) pacing degrades to "send now": Slack's own 429s
are still handled by the delivery task.
"""

import logging
import math
import time

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

# How far ahead a channel's slots are searched; beyond that the delivery simply waits.
LOOKAHEAD_SLOTS = 120
# A slot is "now" when it starts within this many seconds (ETA tasks wake up slightly early).
SLOT_TOLERANCE = 0.05


def slot_seconds() -> float:
    """Spacing of a channel's slots: a little over one second, so network jitter between two
    consecutive calls never makes Slack see them less than a second apart."""
    return float(getattr(settings, "SLACK_PACE_SECONDS", 1.1))


def lane(target: str, name: str = "") -> str:
    """The pacing key of a row: its channel, or a named lane of it (``outbox row state["pace_lane"]``).

    Slack's one-message-per-second limit is chat.postMessage's; chat.update is not held to it
    per channel. A message that is updated often while the channel's posts queue up (a burst
    summary) paces its updates in a lane of their own, so they never wait behind the posts.
    """
    return f"{target}#{name}" if name else target


def _slot_key(target: str, slot: int) -> str:
    return f"slack:pace:{target}:{slot}"


def _blocked_key(target: str) -> str:
    return f"slack:blocked:{target}"


def _hint_key(target: str) -> str:
    return f"slack:pace-hint:{target}"


def reserve_slot(target: str, now: float | None = None, *, at_once: bool = True) -> float:
    """Reserve the next free slot for ``target``; returns its start (epoch seconds).

    ``at_once``: the call follows right away, so an idle channel's current slot will do; a
    reservation for a call made later (``False``) takes a slot of its own ahead instead.
    Side effect: one cache key per reserved slot (kept until the slot is over).
    Never raises: without a working cache the answer is ``now``.
    """
    now = time.time() if now is None else now
    if not getattr(settings, "SLACK_PACING", True):
        return now
    interval = slot_seconds()
    try:
        blocked_until = cache.get(_blocked_key(target)) or 0
        expiry = int(LOOKAHEAD_SLOTS * interval) + 60
        if at_once and blocked_until <= now and _claim_current(target, now, interval, expiry):
            return now
        first = math.ceil(max(now - SLOT_TOLERANCE, blocked_until) / interval)
        # The hint skips slots that are surely taken; cache.add stays the authority.
        first = max(first, cache.get(_hint_key(target)) or 0)
        for slot in range(first, first + LOOKAHEAD_SLOTS):
            # A slot and the hint past it are kept until that slot is over: a burst queues
            # cards many minutes deep, and an expired key would give its slot out twice.
            kept = max(expiry, int(slot * interval - now) + 60)
            if cache.add(_slot_key(target, slot), 1, timeout=kept):
                cache.set(_hint_key(target), slot + 1, timeout=kept)
                return slot * interval
        return (first + LOOKAHEAD_SLOTS) * interval
    except Exception as exc:  # a cache outage must not stop deliveries
        logger.warning("Slack pacing unavailable, sending without it: %s", exc)
        return now


def is_queued(target: str, now: float | None = None) -> bool:
    """Are calls already queued for ``target``: is the slot after the current one reserved?"""
    if not getattr(settings, "SLACK_PACING", True):
        return False
    now = time.time() if now is None else now
    try:
        return (cache.get(_hint_key(target)) or 0) > math.floor(now / slot_seconds()) + 1
    except Exception:
        return False


def _claim_current(target: str, now: float, interval: float, expiry: int) -> bool:
    """An idle channel sends at once instead of waiting for the next slot boundary.

    Sending at any moment inside slot k is safe when slot k-1 was unused (the previous call
    started at a slot boundary ≤ (k-2)·interval, or burned k-1) and slot k+1 is burned too,
    so the next scheduled call starts at (k+2)·interval ≥ now + interval.
    """
    current = math.floor(now / interval)
    if cache.get(_slot_key(target, current - 1)) is not None:
        return False
    if not cache.add(_slot_key(target, current), 1, timeout=expiry):
        return False
    if not cache.add(_slot_key(target, current + 1), 1, timeout=expiry):
        return False  # k+1 is already reserved for a scheduled call; keep k unused and queue
    cache.set(_hint_key(target), current + 2, timeout=expiry)
    return True


def claim_late(target: str, slot_start: float, now: float | None = None) -> bool:
    """May a call reserved for ``slot_start`` still go now, late?

    A little late (still inside the next slot): only by burning that next slot. Later than that,
    burning it would guard nothing (it is over, and the slot now running may be another call's):
    only as a call to an idle channel would, by claiming the current slot (core of reserve_slot).
    """
    if not getattr(settings, "SLACK_PACING", True):
        return True
    now = time.time() if now is None else now
    interval = slot_seconds()
    expiry = int(LOOKAHEAD_SLOTS * interval) + 60
    try:
        following = round(slot_start / interval) + 1
        if math.floor(now / interval) <= following:
            return bool(cache.add(_slot_key(target, following), 1, timeout=expiry))
        return _claim_current(target, now, interval, expiry)
    except Exception:
        return True


def blocked_until(target: str) -> float:
    try:
        return float(cache.get(_blocked_key(target)) or 0)
    except Exception:
        return 0.0


def block_channel(target: str, seconds: int, now: float | None = None) -> None:
    """Remember a 429 so other deliveries to ``target`` wait for Retry-After instead of failing."""
    now = time.time() if now is None else now
    until = now + seconds
    try:
        if until > blocked_until(target):
            cache.set(_blocked_key(target), until, timeout=seconds + 5)
    except Exception as exc:
        logger.warning("Could not record the Slack rate limit for %s: %s", target, exc)
