from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    WEB = "web", _("Web")
    ADMIN = "admin", _("Admin")
    API = "api", _("API")
    SLACK = "slack", _("Slack")
    DEVICE = "device", _("Device")
    SYSTEM = "system", _("System")


class AuditEvent(models.Model):
    """One change to one record: who, when, from where, and each field's old → new value.

    Append-only: written by ``erp.audit.services.audit_record`` inside the same
    transaction as the change it describes, never edited afterwards.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("record type"))
    object_id = models.CharField(_("record id"), max_length=64)
    record = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("record"), max_length=200)
    action = models.CharField(_("action"), max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("by (name)"), max_length=150, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    context = models.JSONField(_("context"), default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"])]

    def __str__(self):
        return f"{self.object_repr}: {self.action} ({self.get_source_display()})"

    def change_list(self) -> list[tuple[str, object, object]]:
        """[(field, old, new), ...] for templates."""
        return [(field, pair[0], pair[1]) for field, pair in (self.changes or {}).items()]

    @property
    def action_label(self) -> str:
        """The action in words ("승인"), erp.audit.labels."""
        from .labels import action_label

        return action_label(self)

    @property
    def readable_changes(self) -> list[tuple[str, str, str]]:
        """[(field label, old, new)] with the record's verbose names and choice labels."""
        from .labels import readable_changes

        return readable_changes(self)
