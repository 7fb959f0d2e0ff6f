from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import OnCallMember, OnCallOverride, OnCallRotation
from .selectors import on_call_now


class OnCallMemberInline(admin.TabularInline):
    model = OnCallMember
    extra = 1
    autocomplete_fields = ["employee"]


class OnCallOverrideInline(admin.TabularInline):
    model = OnCallOverride
    extra = 0
    autocomplete_fields = ["employee"]
    fields = ("employee", "starts_at", "ends_at", "reason")


@admin.register(OnCallRotation)
class OnCallRotationAdmin(admin.ModelAdmin):
    list_display = ("group", "anchor_date", "handoff_time", "is_active", "current")
    list_filter = ("is_active",)
    inlines = [OnCallMemberInline, OnCallOverrideInline]
    autocomplete_fields = ["group"]

    @admin.display(description=_("on call now"))
    def current(self, rotation):
        return on_call_now(rotation.group) or "—"
