"""The policy table (target class → highest privacy class shown), read through the cache."""

from django.core.cache import cache

from integrations.slack.core.privacy.classes import DEFAULT_POLICY, TargetClass

_KEY = "slack-privacy:policy"
_TTL = 300


def current_policy() -> dict[str, str]:
    """Every target class with its ceiling: the admin's rows over the defaults."""
    cached = cache.get(_KEY)
    if isinstance(cached, dict):
        return cached
    from integrations.slack.core.models import TargetPolicy

    policy = {str(key): str(value) for key, value in DEFAULT_POLICY.items()}
    policy.update(dict(TargetPolicy.objects.values_list("target_class", "highest_allowed")))
    cache.set(_KEY, policy, _TTL)
    return policy


def ceiling(target_class: str) -> str:
    return current_policy().get(target_class, DEFAULT_POLICY[TargetClass(target_class)])


def policy_changed() -> None:
    cache.delete(_KEY)


def target_policy_save(*, policy, by):
    """An admin's change of one row, audited; deliveries see it at once."""
    from erp.audit.services import audited_save

    saved = audited_save(policy, by=by, validate=True)
    policy_changed()
    return saved


def target_policy_delete(*, policy, by) -> None:
    """Deleting a row brings back its default (audited)."""
    from erp.audit.services import audited_delete

    audited_delete(policy, by=by)
    policy_changed()
