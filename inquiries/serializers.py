"""What the inquiry list API shows, per reader (the visibility matrix of inquiries.selectors).

Sales (and admins) read every field, IP address and user agent included. Marketing reads the
shared inquiries without the abuse fields, and contact details only where the customer
consented to be contacted (``email``/``phone`` are then null). Internal notes never appear.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import Inquiry
from .selectors import can_handle, can_see_contact

SALES_ONLY = ("ip_address", "user_agent", "assignee")


class InquirySerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    tags = serializers.ListField(source="tag_list", child=serializers.CharField(), read_only=True)
    duplicate_of = serializers.SerializerMethodField()
    assignee = serializers.SerializerMethodField(help_text="Sales only: the assignee's user name.")
    tickets = serializers.SerializerMethodField()
    email = serializers.SerializerMethodField(help_text="Null when the reader may not see contact details.")
    phone = serializers.SerializerMethodField(help_text="Null when the reader may not see contact details.")

    class Meta:
        model = Inquiry
        fields = (
            "id",
            "number",
            "received_at",
            "source",
            "status",
            "category",
            "product",
            "customer_name",
            "company",
            "email",
            "phone",
            "consent_contact",
            "subject",
            "message",
            "tags",
            "duplicate_of",
            "shared_with_marketing",
            "answered_at",
            "utm_source",
            "utm_medium",
            "utm_campaign",
            "referrer",
            "landing_page",
            "tickets",
            "assignee",
            "ip_address",
            "user_agent",
        )
        read_only_fields = fields
        extra_kwargs = {
            "ip_address": {"help_text": "Sales only (abuse handling)."},
            "user_agent": {"help_text": "Sales only (abuse handling)."},
        }

    def _reader(self):
        request = self.context.get("request")
        return getattr(request, "user", None)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_duplicate_of(self, inquiry) -> str | None:
        return f"INQ-{inquiry.duplicate_of_id}" if inquiry.duplicate_of_id else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_assignee(self, inquiry) -> str | None:
        return inquiry.assignee.get_username() if inquiry.assignee_id else None

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_tickets(self, inquiry) -> list[str]:
        return [link.ticket.number for link in inquiry.ticket_links.all()]

    @extend_schema_field(serializers.EmailField(allow_null=True))
    def get_email(self, inquiry) -> str | None:
        return inquiry.email if can_see_contact(self._reader(), inquiry) else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_phone(self, inquiry) -> str | None:
        return inquiry.phone if can_see_contact(self._reader(), inquiry) else None

    def to_representation(self, inquiry):
        data = super().to_representation(inquiry)
        if not self.context.get("sales", can_handle(self._reader())):
            for name in SALES_ONLY:
                data.pop(name, None)
        return data
