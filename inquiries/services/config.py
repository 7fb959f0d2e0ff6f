"""Configuration edited in the admin: sites, answer templates, routing rules (audited)."""

import hashlib
import secrets

from django.db import transaction

from erp.audit.services import audit_record, audited_delete, audited_save

from ..models import AnswerTemplate, RoutingRule, Site


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def site_save(*, site: Site, by) -> Site:
    return audited_save(site, by=by, validate=True)


def site_delete(*, site: Site, by):
    return audited_delete(site, by=by)


@transaction.atomic
def site_issue_api_key(*, site: Site, by) -> str:
    """A new API key for ``site`` (shown once; only its SHA-256 is stored). The old one stops working."""
    key = "inq_" + secrets.token_urlsafe(24)
    Site.objects.filter(pk=site.pk).update(api_key_digest=key_digest(key))
    audit_record(site, "api_key_issued", by=by)
    return key


def template_save(*, template: AnswerTemplate, by) -> AnswerTemplate:
    from .answers import validate_template

    validate_template(template)
    return audited_save(template, by=by, validate=True)


def template_delete(*, template: AnswerTemplate, by):
    return audited_delete(template, by=by)


def rule_save(*, rule: RoutingRule, by) -> RoutingRule:
    return audited_save(rule, by=by, validate=True)


def rule_delete(*, rule: RoutingRule, by):
    return audited_delete(rule, by=by)
