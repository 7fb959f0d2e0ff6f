"""Reading inquiries over REST: ``GET /api/inquiries/`` (signed-in users).

The visibility matrix (inquiries.selectors) decides the rows and the serializer the fields:
sales and admins see all, marketing only what was shared with them, anyone else is refused
(403). Filters are the list page's (one FilterSet); pages are keyset cursors.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.permissions import BasePermission, IsAuthenticated

from erp.core.pagination import SafeCursorPagination

from .filters import InquiryFilter
from .models import TicketLink
from .selectors import can_handle, sees_inquiries, visible_inquiries
from .serializers import InquirySerializer


class SeesInquiries(BasePermission):
    message = _("Only the sales and marketing teams can read inquiries.")

    def has_permission(self, request, view):
        return sees_inquiries(request.user)


class InquiryCursorPagination(SafeCursorPagination):
    """Keyset pages on (received_at, id): no COUNT(*), no OFFSET, stable under new inquiries."""

    ordering = ("-received_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class UserInquiryFilter(InquiryFilter):
    """The list page's FilterSet, told who reads (``q`` matches notes only for sales)."""

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        super().__init__(data, queryset=queryset, request=request, user=getattr(request, "user", None), **kwargs)


@extend_schema_view(
    get=extend_schema(
        operation_id="inquiries_list",
        summary="List customer inquiries",
        description=(
            "Sales and admins: every inquiry. Marketing: the inquiries shared with them, without IP "
            "address, user agent and assignee, and with e-mail/phone only where the customer consented. "
            "Others: 403. Filters as on the list page (`q` searches name, company, subject, message and, "
            "for sales, notes; Korean substrings)."
        ),
    )
)
class InquiryListAPI(generics.ListAPIView):
    serializer_class = InquirySerializer
    permission_classes = [IsAuthenticated, SeesInquiries]
    filter_backends = [DjangoFilterBackend]
    filterset_class = UserInquiryFilter
    pagination_class = InquiryCursorPagination

    def get_queryset(self):
        links = Prefetch("ticket_links", queryset=TicketLink.objects.select_related("ticket"))
        return visible_inquiries(self.request.user).select_related("assignee").prefetch_related(links)

    def get_serializer_context(self):
        # Asked once per request, not once per row.
        return {**super().get_serializer_context(), "sales": can_handle(self.request.user)}
