"""REST: the signed-in person's own leave requests (list, create) and the leave types."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.response import Response

from erp.audit.actor import Actor
from erp.audit.models import Source
from erp.core.pagination import SafeCursorPagination
from erp.people.selectors import employee_of

from .models import DayPart, LeaveRequest, LeaveType
from .selectors import my_requests
from .services import REASON_MAX, leave_request


class LeaveTypeSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)

    class Meta:
        model = LeaveType
        fields = ["id", "code", "label", "day_fraction", "part", "is_paid", "deducts_annual"]
        read_only_fields = fields


class LeaveRequestSerializer(serializers.ModelSerializer):
    leave_type = LeaveTypeSerializer(read_only=True)

    class Meta:
        model = LeaveRequest
        fields = [
            "id",
            "leave_type",
            "start_date",
            "end_date",
            "part",
            "days",
            "reason",
            "status",
            "decision_note",
            "decided_at",
            "created_at",
        ]
        read_only_fields = fields


class LeaveTypeCodeField(serializers.SlugRelatedField):
    """A leave type by its code. A code with NUL is "not found": PostgreSQL text cannot hold
    NUL, so looking it up would be a database error (a 500) instead of a 400."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data.replace("\x00", ""))
        return super().to_internal_value(data)


class LeaveRequestCreateSerializer(serializers.Serializer):
    leave_type = LeaveTypeCodeField(slug_field="code", queryset=LeaveType.objects.filter(is_active=True))
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True)
    part = serializers.ChoiceField(choices=DayPart.choices, required=False, default=DayPart.FULL)
    reason = serializers.CharField(max_length=REASON_MAX)


class LeavePagination(SafeCursorPagination):
    ordering = ("-start_date", "-id")
    invalid_cursor_text = gettext_lazy("Invalid cursor: use the next/previous links as given.")


class MyLeaveRequestsAPI(generics.ListAPIView):
    """GET: your leave requests, newest first. POST: request leave (same rules as the portal)."""

    serializer_class = LeaveRequestSerializer
    pagination_class = LeavePagination

    def _me(self):
        employee = employee_of(self.request.user)
        if employee is None:
            raise exceptions.PermissionDenied(_("Your login has no employee profile."))
        return employee

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no signed-in person
            return LeaveRequest.objects.none()
        return my_requests(self._me())

    @extend_schema(summary="Request leave", request=LeaveRequestCreateSerializer, responses=LeaveRequestSerializer)
    def post(self, request):
        employee = self._me()
        serializer = LeaveRequestCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        leave = leave_request(
            employee=employee,
            leave_type=data["leave_type"],
            start_date=data["start_date"],
            end_date=data.get("end_date") or data["start_date"],
            part=data["part"],
            reason=data["reason"],
            by=Actor.for_request(request, source=Source.API),
        )
        return Response(LeaveRequestSerializer(leave).data, status=status.HTTP_201_CREATED)


class LeaveTypesAPI(generics.ListAPIView):
    serializer_class = LeaveTypeSerializer
    pagination_class = None
    queryset = LeaveType.objects.filter(is_active=True)
