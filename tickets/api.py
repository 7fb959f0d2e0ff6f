"""REST API for tickets (DRF). Reads go through tickets.selectors, writes through
tickets.services with Actor(source="api"); errors are JSON ``{"message": ...}`` (erp.core.api).

No ModelViewSet: every write is an explicit endpoint calling one service.
"""

from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from erp.audit.actor import Actor
from erp.audit.models import Source
from erp.core.pagination import SafeCursorPagination

from . import services
from .filters import TicketFilter
from .models import SatisfactionRating, Ticket
from .p1_policy import notice_for as p1_notice_for
from .selectors import list_tickets, ticket_comments
from .serializers import (
    AssignSerializer,
    CloseSerializer,
    CommentCreateSerializer,
    CommentSerializer,
    RatingSerializer,
    ReasonSerializer,
    ResolveSerializer,
    StatusSerializer,
    TicketCreateSerializer,
    TicketSerializer,
    TicketUpdateSerializer,
)
from .shortcuts import visible_ticket_or_404

PARSERS = [JSONParser, MultiPartParser, FormParser]
DETAIL_RELATED = ("requester__employee", "assignee__employee", "group", "category", "sla_policy")
# One extra query per page (not per ticket) for the "satisfaction" field.
RATINGS = Prefetch("ratings", queryset=SatisfactionRating.objects.select_related("rater__employee"))


class TicketCursorPagination(SafeCursorPagination):
    """Keyset pages on (created_at, id): no COUNT(*), no OFFSET, stable under inserts."""

    ordering = ("-created_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def ticket_response(request, ticket, code=status.HTTP_200_OK):
    # Re-read with related rows for the response. No visibility check here: the caller was
    # allowed to act, even if the action (e.g. reassigning a sensitive ticket) hid it from them.
    ticket = Ticket.objects.select_related(*DETAIL_RELATED).prefetch_related(RATINGS).get(pk=ticket.pk)
    return Response(TicketSerializer(ticket, context={"request": request}).data, status=code)


@extend_schema_view(
    get=extend_schema(summary="List tickets", description="Tickets you may see; filters as on the list page, `q` "
                      "searches title, description and readable comments (Korean substrings)."),
    post=extend_schema(summary="Create a ticket", request=TicketCreateSerializer, responses={201: TicketSerializer}),
)  # fmt: skip
class TicketListCreateAPI(generics.ListAPIView):
    serializer_class = TicketSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = TicketFilter
    pagination_class = TicketCursorPagination
    parser_classes = PARSERS

    def get_queryset(self):
        return list_tickets(self.request.user).select_related("category", "sla_policy").prefetch_related(RATINGS)

    def post(self, request):
        serializer = TicketCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        ticket = services.ticket_create(
            title=data["title"],
            description=data["description"],
            ticket_type=data["ticket_type"],
            category=data.get("category"),
            impact=data["impact"],
            urgency=data["urgency"],
            group=data.get("group"),
            sensitive=data["sensitive"],
            tags=data["tags"],
            requester=data.get("requester"),
            assignee=data.get("assignee"),
            attachments=data.get("attachments", []),
            by=Actor.for_request(request, source=Source.API),
        )
        response = ticket_response(request, ticket, status.HTTP_201_CREATED)
        if notice := p1_notice_for(ticket):
            # The P1 policy filed it at P2 (tickets/p1_policy.py): say so next to the ticket.
            response.data["notice"] = notice
        return response


class TicketDetailAPI(APIView):
    @extend_schema(summary="Get a ticket", responses=TicketSerializer, description="`ref` is INC-123, SR-45 or the id.")
    def get(self, request, ref):
        return ticket_response(request, visible_ticket_or_404(request.user, ref))

    @extend_schema(summary="Update ticket fields", request=TicketUpdateSerializer, responses=TicketSerializer)
    def patch(self, request, ref):
        ticket = visible_ticket_or_404(request.user, ref)
        serializer = TicketUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ticket = services.ticket_update(
            ticket=ticket, by=Actor.for_request(request, source=Source.API), **serializer.validated_data
        )
        return ticket_response(request, ticket)


class TicketCommentsAPI(APIView):
    parser_classes = PARSERS

    @extend_schema(summary="List comments", responses=CommentSerializer(many=True),
                   description="Internal notes are included only for people handling the ticket.")  # fmt: skip
    def get(self, request, ref):
        ticket = visible_ticket_or_404(request.user, ref)
        return Response(CommentSerializer(ticket_comments(request.user, ticket), many=True).data)

    @extend_schema(summary="Comment (public reply or internal note)", request=CommentCreateSerializer,
                   responses={201: CommentSerializer})  # fmt: skip
    def post(self, request, ref):
        ticket = visible_ticket_or_404(request.user, ref)
        serializer = CommentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        comment = services.ticket_comment(
            ticket=ticket,
            body=data["body"],
            internal=data["internal"],
            attachments=data.get("attachments", []),
            by=Actor.for_request(request, source=Source.API),
        )
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


class TicketActionAPI(APIView):
    """POST one action; answers the updated ticket. Subclasses set the serializer and call."""

    request_serializer = None

    def perform(self, ticket, data, by):  # pragma: no cover - abstract
        raise NotImplementedError

    def post(self, request, ref):
        ticket = visible_ticket_or_404(request.user, ref)
        serializer = self.request_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ticket = self.perform(ticket, serializer.validated_data, Actor.for_request(request, source=Source.API))
        return ticket_response(request, ticket)


def _action(name, request_serializer, perform, summary):
    view = type(
        name,
        (TicketActionAPI,),
        {"request_serializer": request_serializer, "perform": lambda self, t, d, by: perform(t, d, by)},
    )
    return extend_schema(summary=summary, request=request_serializer, responses=TicketSerializer)(view)


TicketAssignAPI = _action(
    "TicketAssignAPI",
    AssignSerializer,
    lambda t, d, by: services.ticket_assign(ticket=t, assignee=d.get("assignee"), auto=d["auto"], by=by),
    "Assign (or auto-assign by round-robin)",
)
TicketStatusAPI = _action(
    "TicketStatusAPI",
    StatusSerializer,
    lambda t, d, by: services.ticket_change_status(ticket=t, status=d["status"], reason=d["reason"], by=by),
    "Change status (plain transitions only; resolve and reopen have their own endpoints)",
)
TicketEscalateAPI = _action(
    "TicketEscalateAPI",
    ReasonSerializer,
    lambda t, d, by: services.ticket_escalate(ticket=t, reason=d["reason"], by=by),
    "Escalate one level",
)
TicketResolveAPI = _action(
    "TicketResolveAPI",
    ResolveSerializer,
    lambda t, d, by: services.ticket_resolve(ticket=t, resolution=d["resolution"], by=by),
    "Resolve",
)
TicketCloseAPI = _action(
    "TicketCloseAPI",
    CloseSerializer,
    lambda t, d, by: services.ticket_close(ticket=t, reason=d["reason"], resolution=d["resolution"], by=by),
    "Close",
)
TicketReopenAPI = _action(
    "TicketReopenAPI",
    ReasonSerializer,
    lambda t, d, by: services.ticket_reopen(ticket=t, reason=d["reason"], by=by),
    "Reopen",
)
TicketRateAPI = _action(
    "TicketRateAPI",
    RatingSerializer,
    lambda t, d, by: services.ticket_rate(ticket=t, score=d["score"], comment=d.get("comment"), by=by).ticket,
    "Rate satisfaction (the requester, once resolved or closed)",
)
