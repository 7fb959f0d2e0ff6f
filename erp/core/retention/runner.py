"""The dry run and the nightly run of every registered retention policy."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from .registry import DELETE, RetentionPolicy, policies

logger = logging.getLogger(__name__)

DELETE_BATCH = 2000


@dataclass(frozen=True)
class PlannedStep:
    policy: RetentionPolicy
    days: int
    enabled: bool
    cutoff: datetime
    count: int  # records tonight's run would delete or anonymise


def _settings() -> dict:
    from erp.core.models import RetentionSetting

    return {row.key: row for row in RetentionSetting.objects.all()}


def _steps(now: datetime, *, count: bool):
    overrides = _settings()
    for item in policies():
        setting = overrides.get(item.key)
        days = max(setting.days if setting else item.default_period, item.minimum_days)
        enabled = setting.enabled if setting else True
        cutoff = now - timedelta(days=days)
        yield PlannedStep(item, days, enabled, cutoff, item.due(cutoff).count() if count and enabled else 0)


def plan(now: datetime | None = None) -> list[PlannedStep]:
    """What tonight's run would do, per record type (nothing is changed)."""
    return list(_steps(now or timezone.now(), count=True))


def _delete(queryset) -> int:
    """Delete in batches, each its own short transaction (locks stay short on big tables).

    Django's delete, so cascades and file clean-up signals run; the count is of the
    policy's own rows, not of the rows cascaded with them.
    """
    manager = queryset.model._default_manager
    deleted = 0
    while True:
        ids = list(queryset.values_list("pk", flat=True)[:DELETE_BATCH])
        if not ids:
            return deleted
        with transaction.atomic():
            batch = manager.filter(pk__in=ids)
            deleted += batch.count()
            batch.delete()


def _apply(step: PlannedStep, now: datetime) -> int:
    due = step.policy.due(step.cutoff)
    if step.policy.action == DELETE:
        return _delete(due)
    with transaction.atomic():
        return step.policy.anonymise(due, now)


def run(now: datetime | None = None):
    """Apply every enabled policy; one RetentionRun and one audit event for the whole run.

    A policy that fails is logged and counted as failed; the others still run (each
    commits on its own, so a failure never undoes what another policy did).
    """
    from erp.audit.actor import Actor
    from erp.audit.services import audit_record
    from erp.core.models import RetentionRun

    now = now or timezone.now()
    done, failed = {}, []
    for step in _steps(now, count=False):
        if not step.enabled:
            continue
        try:
            done[step.policy.key] = _apply(step, now)
        except Exception:
            logger.exception("Retention policy %s failed", step.policy.key)
            failed.append(step.policy.key)
    with transaction.atomic():
        record = RetentionRun.objects.create(ran_at=now, counts=done, failed=failed)
        audit_record(record, "retention_run", by=Actor.system(task="retention"), counts=done, failed=failed)
    return record


def run_one(key: str, now: datetime | None = None) -> int:
    """Apply one policy now (tests, an admin's "run now"); no RetentionRun row of its own."""
    now = now or timezone.now()
    step = next(step for step in _steps(now, count=False) if step.policy.key == key)
    return _apply(step, now) if step.enabled else 0
