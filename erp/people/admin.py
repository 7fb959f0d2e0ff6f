from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from erp.audit.actor import Actor
from erp.audit.admin import AuditTrailInline
from erp.audit.models import Source
from erp.audit.services import audited_save

from .models import Department, Employee

User = get_user_model()


class SlackLinkedFilter(admin.SimpleListFilter):
    title = _("Slack")
    parameter_name = "slack"

    def lookups(self, request, model_admin):
        return [("linked", _("Linked")), ("unlinked", _("Not linked"))]

    def queryset(self, request, queryset):
        if self.value() == "linked":
            return queryset.exclude(slack_user_id=None)
        if self.value() == "unlinked":
            return queryset.filter(slack_user_id=None)
        return queryset


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "parent", "slack_channel_name", "slack_channel_id", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "code", "slack_channel_name")
    prepopulated_fields = {"code": ("name",)}
    inlines = [AuditTrailInline]

    def save_model(self, request, obj, form, change):
        audited_save(obj, by=Actor.for_request(request, source=Source.ADMIN))


@admin.register(Employee)
class EmployeeAdmin(admin.ModelAdmin):
    list_display = ("display_name", "employee_no", "department", "role", "email", "slack_linked_display")
    list_filter = ("role", "department", SlackLinkedFilter)
    search_fields = ("display_name", "employee_no", "user__username", "user__email", "slack_user_id")
    autocomplete_fields = ("user", "department", "manager")
    list_select_related = ("user", "department")
    inlines = [AuditTrailInline]

    def save_model(self, request, obj, form, change):
        # Role, department and manager drive every permission check: always audited.
        audited_save(obj, by=Actor.for_request(request, source=Source.ADMIN))

    @admin.display(description=_("e-mail"), ordering="user__email")
    def email(self, obj):
        return obj.user.email

    @admin.display(description=_("Slack linked"), boolean=True, ordering="slack_user_id")
    def slack_linked_display(self, obj):
        return obj.slack_linked


class EmployeeInline(admin.StackedInline):
    model = Employee
    fk_name = "user"
    can_delete = False
    autocomplete_fields = ("department", "manager")


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [EmployeeInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not Employee:
            return super().save_formset(request, form, formset, change)
        for employee in formset.save(commit=False):
            audited_save(employee, by=Actor.for_request(request, source=Source.ADMIN))
        formset.save_m2m()
