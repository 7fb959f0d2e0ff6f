"""REST API of the coupon module.

Batch import — ``POST /coupons/api/sends/import/``
--------------------------------------------------
For the company's other systems. Authentication: a DRF token (``Authorization: Token …``) or a
session, of a user with the ``coupons.import_sendlog`` permission (or a coupon admin).

Body (JSON, at most ``COUPONS_API_MAX_ITEMS`` = 1000 items)::

    {"items": [{"tr_id": "HARU202612010001", "client": "하루커피", "campaign": "겨울 이벤트",
                "goods_code": "G00000182305", "phone": "010-1234-5678",
                "sent_at": "2026-12-01T10:00:00+09:00", "result_code": "0000",
                "order_no": "20261201000123", "pin_status_code": "01",
                "valid_until": "20261231", "sell_price": 4230}]}

Every item is idempotent on ``tr_id``: resending it changes nothing, a changed value updates the
stored send. Required: ``tr_id``, ``client``, ``phone``, ``sent_at``; the other keys as in file
imports (an absent key is an empty value). Answer ``200`` ``{"import_id", "created", "updated",
"unchanged", "errors", "items": [{"index", "tr_id", "status": "created" | "updated" |
"unchanged" | "error", "errors": [{"field", "message"}]}]}`` — valid items are stored even when
others are not; ``400`` when every item failed or the body is malformed, ``403`` without the
permission, ``413`` over the item limit.
"""

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from .importing.run import import_items
from .models import ImportRun
from .selectors import can_import

DESCRIPTION = __doc__.split("--------------------------------------------------", 1)[1]


class TooManyItems(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_many_items"


def max_items() -> int:
    return getattr(settings, "COUPONS_API_MAX_ITEMS", 1000)


class SendImportView(APIView):
    @extend_schema(
        summary="Import coupon sends (batch, idempotent on tr_id)",
        description=DESCRIPTION,
        request=inline_serializer(
            "CouponImportRequest", {"items": serializers.ListField(child=serializers.DictField())}
        ),
        responses={
            200: OpenApiResponse(description="per-item results"),
            400: OpenApiResponse(description="nothing stored"),
        },
    )
    def post(self, request):
        if not can_import(request.user):
            raise exceptions.PermissionDenied(_("You may not import coupon sends."))
        body = request.data
        items = body.get("items") if isinstance(body, dict) else None
        if not isinstance(items, list) or not items:
            raise exceptions.ValidationError(
                {"message": _('The body must be {"items": [...]} with at least one item.')}
            )
        if len(items) > max_items():
            raise TooManyItems(_("At most %(n)d items per request.") % {"n": max_items()})
        run = ImportRun.objects.create(source="api", filename="api", created_by=request.user)
        results = import_items(items, run=run)
        run.refresh_from_db()
        answer = {
            "import_id": run.pk,
            "created": run.inserted,
            "updated": run.updated,
            "unchanged": run.unchanged,
            "errors": run.error_count,
            "items": results,
        }
        stored = run.error_count < len(items)
        return Response(answer, status=status.HTTP_200_OK if stored else status.HTTP_400_BAD_REQUEST)
