from django.contrib.contenttypes.models import ContentType

from .models import AuditEvent


def audit_trail(instance):
    """Audit events of one record, newest first."""
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_id=str(instance.pk),
    ).select_related("actor")
