"""REST API of attendance (mounted at /api/attendance/).

Device webhook — ``POST /api/attendance/punches``
--------------------------------------------------
Authentication: the device's token, issued (and shown once) by an admin in
Admin → Punch devices → "Issue a new token"; send it as ``Authorization: Device <token>`` or
``X-Device-Token: <token>``. A revoked or unknown token gets 401.

Body (``Content-Type: application/json``, at most ``ATTENDANCE_MAX_BATCH`` = 1000 punches)::

    {"device_id": "seoul-hq-1f",
     "punches": [
       {"event_id": "10023", "employee": "H2020001",
        "timestamp": "2026-11-20T09:02:11+09:00", "direction": "in"},
       {"event_id": "10024", "employee": "4411", "timestamp": "2026-11-20T00:03:40Z", "direction": null}
     ]}

* ``event_id``: the device's unique id of the event (≤ 100 chars). Re-sending it is harmless.
* ``employee``: the employee number, or the device's own identifier (badge / finger slot) that an
  admin maps to a person; unknown identifiers are stored as unmatched punches, never dropped.
* ``timestamp``: ISO 8601 with a UTC offset. ``direction``: "in", "out" or null (unknown:
  the first punch of the day counts as check-in, later ones as check-out).
* ``device_id`` is optional; when present it must be the token's device.

Request signing (optional per device; required once an admin issues the device a signing
secret in Admin → Punch devices → "Issue a signing secret")::

    X-Haru-Timestamp: <Unix seconds>
    X-Haru-Signature: v1=<hex of HMAC-SHA256(secret, "<timestamp>.<raw body>")>

The timestamp must be within 5 minutes of the server's clock; the comparison is constant-time.
A device with a secret that sends no or a wrong signature gets 401. A replay inside the
5 minutes is harmless: every punch is idempotent on its ``event_id``.

Employee scope: a device an admin limited to some employees or departments gets the punches
of anyone else rejected, per item (``errors[].errors.employee``), including identifiers it
cannot name. Back-dating: punches older than the device's window (default
``ATTENDANCE_BACKDATE_DAYS`` = 7 days) are not applied; they are held (counted in ``held``) for
an admin to approve or reject in Admin → Held punches.

Answer ``200``: ``{"batch_id", "accepted", "duplicates", "unmatched", "rejected", "held", "errors": [{"index",
"event_id", "message", "errors": {field: message}}]}`` — accepted punches are stored even when
others in the batch are rejected; ``unmatched`` counts accepted punches whose employee is unknown.
When every punch is rejected the same body comes with ``400``. Other errors are JSON
``{"message": ...}``: 400 malformed JSON / wrong shape, 401 bad token, 413 too many punches or
too large a body, 415 not JSON.
Devices that only export files: Admin → Punch devices → "Upload CSV" (same rules).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from erp.audit.actor import Actor
from erp.audit.models import Source
from erp.core import webhooks
from erp.core.pagination import SafeCursorPagination
from erp.people.selectors import employee_of

from .filters import WorkDayFilter
from .models import Device, Location, WorkDay
from .selectors import work_days_visible
from .services import (
    attendance_check_in,
    attendance_check_out,
    attendance_status,
    backdate_window_of,
    device_by_token,
    punches_ingest,
)
from .services.ingest import max_batch_size

# The module docstring is the webhook's documentation; the schema shows the same text.
WEBHOOK_DESCRIPTION = __doc__.split("--------------------------------------------------", 1)[1].split(
    "Devices that only export", 1
)[0]

DEVICE_WEBHOOK = webhooks.WebhookSource(
    name="attendance.device",
    auth=(
        webhooks.TokenAuth(
            device_by_token,
            scheme="Device",
            headers=("X-Device-Token",),
            rejected=gettext_lazy("Unknown or revoked device token."),
            schema_name="DeviceToken",
        ),
    ),
    missing_credentials=gettext_lazy("Send the device token: Authorization: Device <token> (or X-Device-Token)."),
    # A full 1000-punch batch is ~150 KB; anything far larger is not a punch batch.
    max_body_bytes=2 * 1024 * 1024,
    # No idempotency key on purpose: every punch carries the device's event_id, so a re-sent
    # batch is already harmless, and its answer counts the duplicates, which devices read.
    idempotency=None,
    # The token names the device; a device with a signing secret must also sign the body.
    signature=webhooks.PrincipalSignature(
        lambda device: device.signing_secret,
        header="X-Haru-Signature",
        timestamp_header="X-Haru-Timestamp",
        prefix="v1=",
        separator=b".",
        max_age=300,
    ),
)


PunchItems = inline_serializer(
    "DevicePunch",
    {
        "event_id": serializers.CharField(max_length=100),
        "employee": serializers.CharField(max_length=64, help_text="Employee number or mapped device identifier"),
        "timestamp": serializers.DateTimeField(help_text="ISO 8601 with a UTC offset"),
        "direction": serializers.ChoiceField(choices=["in", "out"], allow_null=True, required=False),
    },
    many=True,
)
PunchBatchRequest = inline_serializer(
    "DevicePunchBatch",
    {"device_id": serializers.CharField(required=False), "punches": PunchItems},
)
PunchBatchResponse = inline_serializer(
    "DevicePunchBatchResult",
    {
        "batch_id": serializers.IntegerField(),
        "accepted": serializers.IntegerField(),
        "duplicates": serializers.IntegerField(),
        "unmatched": serializers.IntegerField(),
        "rejected": serializers.IntegerField(),
        "held": serializers.IntegerField(help_text="Back-dated punches held for an admin's review"),
        "errors": serializers.ListField(child=serializers.DictField()),
    },
)
ErrorResponse = inline_serializer("AttendanceError", {"message": serializers.CharField()})


@extend_schema_view(
    post=extend_schema(
        operation_id="attendance_device_punches",
        summary="Device webhook: a batch of punches",
        description=WEBHOOK_DESCRIPTION,
        request=PunchBatchRequest,
        responses={
            200: PunchBatchResponse,
            400: OpenApiResponse(PunchBatchResponse, description="Malformed JSON, wrong shape or all rejected"),
            401: ErrorResponse,
            413: ErrorResponse,
            415: ErrorResponse,
        },
        examples=[
            OpenApiExample(
                "Two punches",
                request_only=True,
                value={
                    "device_id": "seoul-hq-1f",
                    "punches": [
                        {
                            "event_id": "10023",
                            "employee": "H2020001",
                            "timestamp": "2026-11-20T09:02:11+09:00",
                            "direction": "in",
                        },
                        {
                            "event_id": "10024",
                            "employee": "4411",
                            "timestamp": "2026-11-20T00:03:40Z",
                            "direction": None,
                        },
                    ],
                },
            )
        ],
    )
)
class DevicePunchesView(webhooks.WebhookView):
    """Device webhook: a batch of punches (see the module docstring for the format)."""

    source = DEVICE_WEBHOOK

    def handle(self, request, delivery):
        device: Device = delivery.principal
        body = delivery.payload
        if not isinstance(body, dict) or not isinstance(body.get("punches"), list):
            return _error(_('Send a JSON object with a "punches" list.'), status.HTTP_400_BAD_REQUEST)
        device_id = body.get("device_id")
        if device_id not in (None, "") and str(device_id) != device.code:
            return _error(_("device_id does not match the device token."), status.HTTP_400_BAD_REQUEST)
        items = body["punches"]
        limit = max_batch_size()
        if len(items) > limit:
            message = _("Too many punches in one batch: %(count)d (at most %(limit)d).")
            return _error(
                message % {"count": len(items), "limit": limit},
                status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            )
        result = punches_ingest(device=device, items=items, backdate_window=backdate_window_of(device))
        code = status.HTTP_400_BAD_REQUEST if items and result.rejected == len(items) else status.HTTP_200_OK
        payload = result.as_dict()
        if code != status.HTTP_200_OK:
            payload["message"] = _("No punch in the batch was valid.")
        return Response(payload, status=code)


def _error(message, code):
    return Response({"message": str(message)}, status=code)


class WorkDaySerializer(serializers.ModelSerializer):
    employee_no = serializers.CharField(source="employee.employee_no", read_only=True)
    employee_name = serializers.CharField(source="employee.display_name", read_only=True)

    class Meta:
        model = WorkDay
        fields = [
            "id",
            "employee",
            "employee_no",
            "employee_name",
            "date",
            "week_start",
            "state",
            "first_in",
            "last_out",
            "location",
            "place",
            "gross_minutes",
            "break_minutes",
            "worked_minutes",
            "holiday_name",
            "on_leave",
            "corrected_in",
            "corrected_out",
        ]
        read_only_fields = fields


class WorkDayPagination(SafeCursorPagination):
    ordering = ("-date", "-id")
    invalid_cursor_text = gettext_lazy("Invalid cursor: use the next/previous links as given.")


class WorkDayListView(ListAPIView):
    """Work days of the people you may see (yourself; managers their team; admins everyone)."""

    serializer_class = WorkDaySerializer
    filterset_class = WorkDayFilter
    pagination_class = WorkDayPagination
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return work_days_visible(self.request.user)


# --- the signed-in person's own attendance (source "api") ----------------------------------------
StatusResponse = inline_serializer(
    "AttendanceStatus",
    {
        "checked_in": serializers.BooleanField(),
        "date": serializers.DateField(),
        "state": serializers.CharField(allow_null=True),
        "first_in": serializers.DateTimeField(allow_null=True),
        "last_out": serializers.DateTimeField(allow_null=True),
        "location": serializers.CharField(),
        "place": serializers.CharField(),
        "today_minutes": serializers.IntegerField(),
        "week_start": serializers.DateField(),
        "week_minutes": serializers.IntegerField(),
        "remaining_minutes": serializers.IntegerField(),
        "cap_minutes": serializers.IntegerField(),
    },
)


def _status_payload(status_obj) -> dict:
    day = status_obj.today
    return {
        "checked_in": status_obj.is_checked_in,
        "date": day.date,
        "state": day.state,
        "first_in": day.first_in,
        "last_out": day.last_out,
        "location": day.location,
        "place": day.place,
        "today_minutes": day.worked_minutes,
        "week_start": status_obj.week.week_start,
        "week_minutes": status_obj.week.total_minutes,
        "remaining_minutes": status_obj.week.remaining_minutes,
        "cap_minutes": status_obj.week.cap_minutes,
    }


def _me(request):
    employee = employee_of(request.user)
    if employee is None:
        raise exceptions.PermissionDenied(_("Your login has no employee profile."))
    return employee


class MyStatusView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="attendance_my_status", responses={200: StatusResponse})
    def get(self, request):
        """Today's and this week's figures of the signed-in person."""
        return Response(_status_payload(attendance_status(_me(request))))


class CheckInView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="attendance_check_in",
        request=inline_serializer(
            "CheckIn",
            {
                "location": serializers.ChoiceField(choices=Location.values, required=False),
                "place": serializers.CharField(required=False, allow_blank=True),
            },
        ),
        responses={200: StatusResponse, 400: ErrorResponse, 409: ErrorResponse},
    )
    def post(self, request):
        """Check the signed-in person in now (409 when already checked in)."""
        data = request.data if isinstance(request.data, dict) else {}
        result = attendance_check_in(
            employee=_me(request),
            location=str(data.get("location") or Location.OFFICE),
            place=str(data.get("place") or ""),
            by=Actor.for_request(request, source=Source.API),
        )
        return Response(_status_payload(result.status))


class CheckOutView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="attendance_check_out", request=None, responses={200: StatusResponse, 409: ErrorResponse}
    )
    def post(self, request):
        """Check the signed-in person out now (409 when not checked in)."""
        result = attendance_check_out(employee=_me(request), by=Actor.for_request(request, source=Source.API))
        return Response(_status_payload(result.status))
