"""The registered retention policies (each module adds its own in ``ready()``)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

DELETE = "delete"
ANONYMISE = "anonymise"


@dataclass(frozen=True)
class RetentionPolicy:
    key: str  # "<app>.<records>", also the RetentionSetting key
    label: str
    default_days: int | Callable[[], int]  # a callable reads a setting when asked
    action: str  # DELETE or ANONYMISE
    reason: str  # why this period: the law it follows, or the need it serves
    due: Callable[[datetime], QuerySet]  # records past their period (and not yet handled)
    anonymise: Callable[[QuerySet, datetime], int] | None = None  # ANONYMISE: → rows changed
    minimum_days: int = 0  # a legal minimum: no setting goes below it
    order: int = 100

    def __post_init__(self):
        if self.action not in (DELETE, ANONYMISE):
            raise ValueError(f"retention policy {self.key}: unknown action {self.action!r}")
        if self.action == ANONYMISE and self.anonymise is None:
            raise ValueError(f"retention policy {self.key}: an anonymising policy needs anonymise()")
        if not callable(self.default_days) and self.default_days < self.minimum_days:
            raise ValueError(f"retention policy {self.key}: the default is below the legal minimum")

    @property
    def default_period(self) -> int:
        return self.default_days() if callable(self.default_days) else self.default_days


_policies: dict[str, RetentionPolicy] = {}


def register_retention(*new: RetentionPolicy) -> None:
    for item in new:
        existing = _policies.get(item.key)
        if existing is not None and existing != item:
            raise ValueError(f"retention policy {item.key!r} is already registered")
        _policies[item.key] = item


def policies() -> list[RetentionPolicy]:
    return sorted(_policies.values(), key=lambda p: (p.order, p.key))


def policy(key: str) -> RetentionPolicy | None:
    return _policies.get(key)
