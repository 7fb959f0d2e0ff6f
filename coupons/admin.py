"""Admin for the coupon module. Clients, campaigns and goods are written through the audited
services; sends, imports, batches, balances and retention runs are evidence and read-only.
Phone numbers appear masked only (the full number is on the send's page, for those allowed,
audited); the admin search finds a full number or its last four like the send-log page."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from erp.audit.admin import AdminWrites, ServiceWritesAdmin

from . import services
from .models import BizmoneySnapshot, Campaign, Client, Goods, ImportRun, RetentionRun, SendBatch, SendItem, SendLog
from .selectors import send_search_q


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Client)
class ClientAdmin(ServiceWritesAdmin):
    writes = AdminWrites(services.client_save, services.client_delete, record="client")
    list_display = ("name", "department", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name",)


@admin.register(Campaign)
class CampaignAdmin(ServiceWritesAdmin):
    writes = AdminWrites(services.campaign_save, services.campaign_delete, record="campaign")
    list_display = ("name", "client", "starts_on", "ends_on")
    list_filter = ("client",)
    search_fields = ("name", "client__name")


@admin.register(Goods)
class GoodsAdmin(ServiceWritesAdmin):
    writes = AdminWrites(services.goods_save, services.goods_delete, record="goods")
    list_display = ("code", "brand", "name", "sell_price", "consumer_price")
    search_fields = ("code", "name", "brand")


@admin.register(SendLog)
class SendLogAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("tr_id", "sent_at", "client", "campaign", "goods", "recipient", "result_code", "pin_status")
    list_filter = ("succeeded", "pin_status", "client")
    list_select_related = ("client", "campaign", "goods")
    search_fields = ("tr_id",)
    search_help_text = _("A full phone number or its last four digits, a transaction id or an order number.")
    date_hierarchy = "sent_at"
    show_full_result_count = False
    exclude = ("phone", "phone_last4")
    readonly_fields = ("recipient", "page")

    @admin.display(description=_("recipient phone"))
    def recipient(self, send):
        return send.masked_phone or _("anonymised")

    @admin.display(description=_("page"))
    def page(self, send):
        return format_html('<a href="{}">{}</a>', reverse("coupons:send-detail", args=[send.pk]), _("Send page"))

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.filter(send_search_q(search_term)), False


class SendItemInline(ReadOnly, admin.TabularInline):
    model = SendItem
    fields = ("tr_id", "recipient", "sent")
    readonly_fields = ("tr_id", "recipient", "sent")
    extra = 0

    @admin.display(description=_("recipient phone"))
    def recipient(self, item):
        return item.masked_phone


@admin.register(SendBatch)
class SendBatchAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("id", "campaign", "goods", "status", "created_at", "progressed_at", "finished_at")
    list_filter = ("status",)
    inlines = [SendItemInline]


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("created_at", "source", "filename", "status", "inserted", "updated", "unchanged", "error_count")
    list_filter = ("source", "status")
    exclude = ("upload",)

    def changelist_view(self, request, extra_context=None):
        extra = {"title": _("Coupon imports (upload a file on the import page: /coupons/imports/)")}
        return super().changelist_view(request, {**(extra_context or {}), **extra})


@admin.register(BizmoneySnapshot)
class BizmoneySnapshotAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("checked_at", "balance")


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("ran_at", "cutoff", "anonymised")
