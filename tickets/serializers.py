"""REST API serializers: output shapes and input validation (services do the writing)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from erp.people.models import Department
from erp.people.names import display_name

from .models import Attachment, Category, Comment, Level, SatisfactionRating, Status, Ticket, TicketType
from .selectors import latest_rating
from .services.attachments import MAX_FILES_PER_UPLOAD, validate_attachment
from .services.ratings import MAX_RATING_COMMENT
from .services.workflow import SETTABLE_STATUSES


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField(source="get_username")
    display_name = serializers.SerializerMethodField()

    def get_display_name(self, user) -> str:
        return display_name(user)


class NamedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class SLASerializer(serializers.Serializer):
    state = serializers.CharField(source="sla_state")
    policy = serializers.CharField(source="sla_policy.priority", default=None)
    first_response_due = serializers.DateTimeField()
    resolution_due = serializers.DateTimeField()
    paused = serializers.BooleanField(source="sla_paused")
    paused_minutes = serializers.FloatField(source="sla_paused_minutes")
    first_response_breached = serializers.BooleanField()
    resolution_breached = serializers.BooleanField()


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attachment
        fields = ["id", "original_name", "size", "content_type", "created_at"]


class SatisfactionSerializer(serializers.ModelSerializer):
    rated_by = PersonSerializer(source="rater")
    rated_at = serializers.DateTimeField(source="updated_at")

    class Meta:
        model = SatisfactionRating
        fields = ["score", "comment", "rated_by", "rated_at"]
        read_only_fields = fields


class TicketSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text=_("The ticket's page in the portal."))
    category = NamedSerializer(allow_null=True)
    group = NamedSerializer(allow_null=True)
    requester = PersonSerializer()
    assignee = PersonSerializer(allow_null=True)
    tags = serializers.ListField(source="tag_list", child=serializers.CharField())
    sla = SLASerializer(source="*")
    satisfaction = serializers.SerializerMethodField(
        help_text=_("The requester's satisfaction rating (1–5), or null while unrated.")
    )

    class Meta:
        model = Ticket
        fields = [
            "id", "number", "url", "ticket_type", "title", "description", "category", "impact", "urgency",
            "priority", "status", "requester", "assignee", "group", "source", "sensitive", "tags",
            "escalation_level", "resolution", "sla", "satisfaction", "first_responded_at", "assigned_at", "resolved_at",
            "closed_at", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(SatisfactionSerializer(allow_null=True))
    def get_satisfaction(self, ticket):
        rating = latest_rating(ticket)
        return SatisfactionSerializer(rating).data if rating else None

    def get_url(self, ticket) -> str:
        request = self.context.get("request")
        path = ticket.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class CommentSerializer(serializers.ModelSerializer):
    author = PersonSerializer(allow_null=True)
    attachments = AttachmentSerializer(many=True)

    class Meta:
        model = Comment
        fields = ["id", "author", "body", "internal", "source", "created_at", "attachments"]
        read_only_fields = fields


class AttachmentsField(serializers.ListField):
    child = serializers.FileField()

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", MAX_FILES_PER_UPLOAD)
        kwargs.setdefault("help_text", _("Up to 5 files, 10 MB each: png, jpg, gif, pdf, txt, log, zip, csv, xlsx."))
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        files = super().to_internal_value(data)
        for upload in files:
            try:
                validate_attachment(upload)
            except DjangoValidationError as error:
                raise serializers.ValidationError(error.messages)
        return files


def _users():
    return get_user_model().objects.filter(is_active=True).select_related("employee")


class TicketCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    ticket_type = serializers.ChoiceField(choices=TicketType.choices, default=TicketType.INCIDENT)
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.filter(is_active=True), required=False, allow_null=True
    )
    impact = serializers.ChoiceField(choices=Level.choices, default=Level.MEDIUM)
    urgency = serializers.ChoiceField(choices=Level.choices, default=Level.MEDIUM)
    group = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.filter(is_active=True), required=False, allow_null=True
    )
    sensitive = serializers.BooleanField(default=False)
    tags = serializers.ListField(child=serializers.CharField(max_length=40), required=False, default=list)
    requester = serializers.PrimaryKeyRelatedField(
        queryset=_users(), required=False, allow_null=True, help_text=_("Agents only: file for someone else.")
    )
    assignee = serializers.PrimaryKeyRelatedField(queryset=_users(), required=False, allow_null=True)
    attachments = AttachmentsField()


class TicketUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.filter(is_active=True), required=False, allow_null=True
    )
    impact = serializers.ChoiceField(choices=Level.choices, required=False)
    urgency = serializers.ChoiceField(choices=Level.choices, required=False)
    group = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.filter(is_active=True), required=False, allow_null=True
    )
    sensitive = serializers.BooleanField(required=False)
    tags = serializers.ListField(child=serializers.CharField(max_length=40), required=False)

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError(_("Send at least one field to change."))
        return attrs


class AssignSerializer(serializers.Serializer):
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=_users(), required=False, allow_null=True, help_text=_("User id; null unassigns.")
    )
    auto = serializers.BooleanField(default=False, help_text=_("Pick by round-robin in the ticket's group."))

    def validate(self, attrs):
        if not attrs.get("auto") and "assignee" not in self.initial_data:
            raise serializers.ValidationError({"assignee": _("Choose an assignee (or null), or set auto.")})
        return attrs


class StatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[(value, label) for value, label in Status.choices if value in SETTABLE_STATUSES],
        help_text=_("Plain moves only: resolve with resolve/ (a resolution) and reopen with reopen/ (a reason)."),
        error_messages={
            "invalid_choice": _(
                "“{input}” cannot be set here; resolve with resolve/ (a resolution) and reopen with reopen/ (a reason)."
            )
        },
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class CommentCreateSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=20000)
    internal = serializers.BooleanField(default=False)
    attachments = AttachmentsField()


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class RatingSerializer(serializers.Serializer):
    score = serializers.IntegerField(min_value=1, max_value=5, help_text=_("1 (bad) to 5 (excellent)."))
    comment = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_RATING_COMMENT, help_text=_("Omit to keep the previous one.")
    )


class CloseSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    resolution = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=5000,
        help_text=_("Stored as the ticket's resolution when it has none yet."),
    )


class ResolveSerializer(serializers.Serializer):
    resolution = serializers.CharField(max_length=5000)
