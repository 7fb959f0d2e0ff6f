"""Admin for routing rules, with a dry run: which rule would a sample ticket hit?"""

import re

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from erp.audit.admin import AdminWrites, AuditTrailInline, ServiceWritesAdmin
from erp.people.models import Department
from erp.workcalendar.calendar import KST
from integrations.slack.core.channel_rules import EVENT_KINDS, RouteQuery, mention_markup, resolve
from integrations.slack.core.channel_rules_services import routing_rule_delete, routing_rule_save
from integrations.slack.core.models import RoutingRule, TimeWindow
from tickets.models import Priority, TicketType

_CHANNEL = re.compile(r"^(?:[CG][A-Z0-9]{2,}|#[a-z0-9_\-]{1,80})$")
_MENTION = re.compile(r"^[SUW][A-Z0-9]{2,}$")


def _split(value: str) -> list[str]:
    return [item.strip() for item in (value or "").split(",") if item.strip()]


class RoutingRuleForm(forms.ModelForm):
    event_kinds = forms.MultipleChoiceField(
        label=_("events"),
        choices=EVENT_KINDS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every event."),
    )
    ticket_types = forms.MultipleChoiceField(
        label=_("ticket types"),
        choices=TicketType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every type."),
    )
    priorities = forms.MultipleChoiceField(
        label=_("priorities"),
        choices=Priority.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every priority."),
    )

    class Meta:
        model = RoutingRule
        fields = [
            "name",
            "position",
            "is_active",
            "event_kinds",
            "ticket_types",
            "priorities",
            "groups",
            "time_window",
            "channels",
            "to_group_channel",
            "mentions",
            "continue_matching",
        ]

    def clean_channels(self):
        channels = _split(self.cleaned_data["channels"])
        bad = [c for c in channels if not _CHANNEL.match(c)]
        if bad:
            raise ValidationError(_("Not a Slack channel id: %(items)s"), params={"items": ", ".join(bad)})
        return ", ".join(channels)

    def clean_mentions(self):
        mentions = _split(self.cleaned_data["mentions"])
        bad = [m for m in mentions if not _MENTION.match(m)]
        if bad:
            raise ValidationError(
                _("Mention user groups by id (S0123ABCD) and people by id (U0123ABCD): %(items)s"),
                params={"items": ", ".join(bad)},
            )
        return ", ".join(mentions)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("channels") and not cleaned.get("to_group_channel"):
            raise ValidationError(_("Give at least one channel, or tick “also the group's channel”."))
        return cleaned


class DryRunForm(forms.Form):
    kind = forms.ChoiceField(label=_("event"), choices=EVENT_KINDS)
    ticket_type = forms.ChoiceField(label=_("ticket type"), choices=TicketType.choices)
    priority = forms.ChoiceField(label=_("priority"), choices=Priority.choices, initial=Priority.P3)
    group = forms.ModelChoiceField(label=_("agent group"), queryset=Department.objects.all(), required=False)
    moment = forms.DateTimeField(
        label=_("moment (KST)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        required=False,
        help_text=_("Empty: now."),
    )


@admin.register(RoutingRule)
class RoutingRuleAdmin(ServiceWritesAdmin):
    """Every write (form, list_editable position/active, deletes) is audited, groups included."""

    writes = AdminWrites(routing_rule_save, routing_rule_delete, record="rule")
    form = RoutingRuleForm
    inlines = [AuditTrailInline]
    list_display = (
        "position",
        "name",
        "is_active",
        "criteria",
        "time_window",
        "channels",
        "mentions",
        "continue_matching",
    )
    list_display_links = ("name",)
    list_editable = ("position", "is_active")
    list_filter = ("is_active", "time_window")
    search_fields = ("name", "channels", "mentions")
    filter_horizontal = ("groups",)
    change_list_template = "integrations/routingrule_change_list.html"

    @admin.display(description=_("matches"))
    def criteria(self, rule):
        parts = [", ".join(rule.event_kinds), ", ".join(rule.ticket_types), ", ".join(rule.priorities)]
        parts.append(", ".join(g.code for g in rule.groups.all()))
        return " · ".join(p for p in parts if p) or _("everything")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def get_urls(self):
        dry_run = self.admin_site.admin_view(self.dry_run_view)
        return [path("dry-run/", dry_run, name="integrations_routingrule_dry_run"), *super().get_urls()]

    def dry_run_view(self, request):
        """Shows every active rule, why it matched or not, and the resulting channels."""
        form = DryRunForm(request.GET or None)
        result = trace = None
        if form.is_valid():
            data = form.cleaned_data
            moment = data["moment"] or timezone.now()
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment, KST)
            group = data["group"]
            query = RouteQuery(data["kind"], data["ticket_type"], data["priority"], group.pk if group else None, moment)
            trace = []
            result = resolve(query, group_channel=group.slack_channel_id if group else "", trace=trace)
            result.moment = moment
            result.mention_markup = [mention_markup(m) for m in result.mentions]
            result.window_labels = [TimeWindow(w).label for w in sorted(result.windows)]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Routing dry run"),
            "form": form,
            "result": result,
            "trace": trace,
            "changelist_url": reverse("admin:integrations_routingrule_changelist"),
        }
        return TemplateResponse(request, "integrations/routing_dry_run.html", context)
