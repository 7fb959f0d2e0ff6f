"""Admin of the Slack privacy policy, with a dry run: what would a message kind show in a target?"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from erp.audit.admin import AdminWrites, AuditTrailInline, ServiceWritesAdmin
from integrations.slack.core.client import SlackNotConfigured, get_client
from integrations.slack.core.models import TargetPolicy
from integrations.slack.core.privacy import declarations
from integrations.slack.core.privacy.classes import TargetClass
from integrations.slack.core.privacy.policy import current_policy, target_policy_delete, target_policy_save
from integrations.slack.core.privacy.screen import decide, decide_for_target


class PrivacyDryRunForm(forms.Form):
    kind = forms.ChoiceField(label=_("message kind"))
    target_class = forms.ChoiceField(label=_("target"), choices=TargetClass.choices, required=False)
    target = forms.RegexField(
        label=_("or a channel or user id"),
        regex=r"^[CGDUW][A-Z0-9]{2,30}$",
        required=False,
        help_text=_("Looked up in Slack (and cached) as a delivery would."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind, kind) for kind in declarations.declared_kinds()]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("target_class") and not cleaned.get("target"):
            raise forms.ValidationError(_("Choose a kind of target or give a channel or user id."))
        return cleaned


@admin.register(TargetPolicy)
class TargetPolicyAdmin(ServiceWritesAdmin):
    writes = AdminWrites(target_policy_save, target_policy_delete, record="policy")
    inlines = [AuditTrailInline]
    list_display = ("target_class", "highest_allowed", "updated_at")
    list_editable = ("highest_allowed",)
    change_list_template = "integrations/privacy_policy_change_list.html"

    def get_urls(self):
        dry_run = self.admin_site.admin_view(self.dry_run_view)
        return [path("dry-run/", dry_run, name="integrations_targetpolicy_dry_run"), *super().get_urls()]

    def dry_run_view(self, request):
        """For one message kind and one target: each field, its class, shown or withheld."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = PrivacyDryRunForm(request.GET or None)
        decision = None
        if form.is_valid():
            data = form.cleaned_data
            if data["target"]:
                try:
                    client = get_client()
                except SlackNotConfigured:
                    client = None  # classified as Slack being unreachable: the most restrictive
                decision = decide_for_target(client, data["kind"], data["target"])
            else:
                decision = decide(data["kind"], data["target_class"])
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Privacy dry run"),
            "form": form,
            "decision": decision,
            "target_label": TargetClass(decision.target_class).label if decision else "",
            "policy": [(TargetClass(key).label, value) for key, value in current_policy().items()],
            "changelist_url": reverse("admin:integrations_targetpolicy_changelist"),
        }
        return TemplateResponse(request, "integrations/privacy_dry_run.html", context)
