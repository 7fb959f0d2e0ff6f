"""What the stand-in remembers of each request: every call, and the calls it refused."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Call:
    """One request received, faulted or not, so tests can count attempts and retries.

    ``headers`` keys are lower-cased (HTTP header names are case-insensitive
    and urllib re-capitalises them); ``fault`` is one of the ``FAULT_*``
    kinds when a fault answered (or delayed) this call, else None.
    """

    method: str
    args: dict
    headers: dict
    at: float
    fault: str | None = None


@dataclass(frozen=True)
class Rejection:
    """A call the stand-in refused as malformed, as Slack would (see contract.py).

    ``messages`` are Slack's ``response_metadata.messages`` (which field, which limit).
    """

    method: str
    error: str
    messages: list[str]
    args: dict

    def __str__(self) -> str:
        return " ".join([f"{self.method}: {self.error}", *self.messages])
