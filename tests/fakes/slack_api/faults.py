"""Fault injection: scripted faults, random fault profiles and a per-channel rate limiter."""

from __future__ import annotations

import math
import random
from collections.abc import Iterable
from dataclasses import dataclass, field

from .parsing import Reply, error_reply, html_reply, json_reply

FAULT_ERROR = "error"
FAULT_RATELIMITED = "ratelimited"
FAULT_SERVER_ERROR = "server_error"
FAULT_DELAY = "delay"


# --------------------------------------------------------------------------
# Faults
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Fault:
    """What the stand-in does instead of (or, for delays, before) answering normally."""

    kind: str
    error: str = ""
    status: int = 200
    retry_after: int = 0
    seconds: float = 0.0

    def reply(self) -> Reply | None:
        """The answer replacing Slack's normal one; None means answer normally after the delay."""
        if self.kind == FAULT_ERROR:
            return error_reply(self.error)
        if self.kind == FAULT_RATELIMITED:
            headers = {"Retry-After": str(self.retry_after)}
            return json_reply({"ok": False, "error": "ratelimited"}, status=429, headers=headers)
        if self.kind == FAULT_SERVER_ERROR:
            return html_reply(self.status)
        return None


def _applies(methods: frozenset[str] | None, method: str) -> bool:
    return methods is None or method in methods


def _method_set(methods: Iterable[str] | None) -> frozenset[str] | None:
    return None if methods is None else frozenset(methods)


@dataclass
class _ScriptedFault:
    method: str
    channel: str | None
    fault: Fault
    remaining: int

    def matches(self, method: str, channel: str | None) -> bool:
        return self.method == method and self.channel in (None, channel)


@dataclass
class _FaultProfile:
    """Random faults for benchmarks: each call independently rolls one die."""

    rate_5xx: float
    rate_429: float
    rate_timeout: float
    retry_after_range: tuple[int, int]
    timeout_seconds: float
    rng: random.Random
    methods: frozenset[str] | None

    def draw(self, method: str) -> Fault | None:
        if not _applies(self.methods, method):
            return None
        roll = self.rng.random()
        if roll < self.rate_5xx:
            return Fault(FAULT_SERVER_ERROR, status=self.rng.choice((500, 502, 503)))
        roll -= self.rate_5xx
        if roll < self.rate_429:
            return Fault(FAULT_RATELIMITED, retry_after=self.rng.randint(*self.retry_after_range))
        roll -= self.rate_429
        if roll < self.rate_timeout:
            return Fault(FAULT_DELAY, seconds=self.timeout_seconds)
        return None


@dataclass
class _ChannelRateLimiter:
    """Token bucket per channel, like Slack's "about one message per second per channel"."""

    rate: float
    burst: float
    methods: frozenset[str] | None
    buckets: dict[str, tuple[float, float]] = field(default_factory=dict)

    def check(self, method: str, channel: str | None, now: float) -> Fault | None:
        if channel is None or not _applies(self.methods, method):
            return None
        tokens, updated = self.buckets.get(channel, (self.burst, now))
        tokens = min(self.burst, tokens + (now - updated) * self.rate)
        if tokens >= 1:
            self.buckets[channel] = (tokens - 1, now)
            return None
        self.buckets[channel] = (tokens, now)
        return Fault(FAULT_RATELIMITED, retry_after=max(1, math.ceil((1 - tokens) / self.rate)))


class _FaultPlan:
    """Decides whether a call is faulted: scripted faults (FIFO) first, then random, then rate limit."""

    def __init__(self) -> None:
        self._scripted: list[_ScriptedFault] = []
        self.profile: _FaultProfile | None = None
        self.limiter: _ChannelRateLimiter | None = None

    def script(self, method: str, fault: Fault, times: int, channel: str | None) -> None:
        if times < 1:
            raise ValueError("times must be >= 1")
        self._scripted.append(_ScriptedFault(method, channel, fault, times))

    def decide(self, method: str, channel: str | None, now: float) -> Fault | None:
        return (
            self._take_scripted(method, channel)
            or (self.profile and self.profile.draw(method))
            or (self.limiter and self.limiter.check(method, channel, now))
            or None
        )

    def _take_scripted(self, method: str, channel: str | None) -> Fault | None:
        for entry in self._scripted:
            if entry.matches(method, channel):
                entry.remaining -= 1
                if entry.remaining == 0:
                    self._scripted.remove(entry)
                return entry.fault
        return None
