"""How long the audit trail keeps the values it recorded (registered in apps.py).

Events are never deleted (who did what to which record, and when, stays). After the period
their old → new values and context are cleared, because those hold the records' own
personal data (descriptions, phone numbers …) long after the records themselves were
deleted or anonymised. The period is the attendance records' three years (a correction's
trail must outlive the work day it changed), which also covers the access-log minimum of
개인정보의 안전성 확보조치 기준 제8조 (one to two years).
"""

from django.utils.translation import gettext_lazy as _

from erp.core.retention import ANONYMISE, RetentionPolicy

THREE_YEARS = 1096


def _due(cutoff):
    from .models import AuditEvent

    return AuditEvent.objects.filter(created_at__lt=cutoff).exclude(changes={}, context={})


def _anonymise(queryset, now) -> int:
    return queryset.update(changes={}, context={})


POLICIES = (
    RetentionPolicy(
        key="audit.events",
        label=_("Audit events (recorded values)"),
        default_days=THREE_YEARS,
        minimum_days=730,
        action=ANONYMISE,
        reason=_(
            "Kept as long as the attendance records they explain (three years); never less than the two years "
            "of access records required by the Personal Information security standard, art. 8."
        ),
        due=_due,
        anonymise=_anonymise,
        order=90,
    ),
)
