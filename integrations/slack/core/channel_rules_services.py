"""Writes to the outbound routing rules (who gets paged, and where), each audited.

The admin's form validates channel and mention ids; ``routing_rule_save`` validates the
model fields again for callers that have no form.
"""

from erp.audit.services import audited_delete, audited_save
from integrations.slack.core.models import RoutingRule


def routing_rule_save(*, rule: RoutingRule, groups=None, by) -> RoutingRule:
    """Create or change a rule; ``groups`` (agent groups, or None to keep them) is set in
    the same transaction and its change is part of the same audit event."""
    many_to_many = {"groups": list(groups)} if groups is not None else None
    return audited_save(rule, by=by, m2m=many_to_many, validate=True)


def routing_rule_delete(*, rule: RoutingRule, by) -> None:
    audited_delete(rule, by=by, m2m_fields=("groups",))
