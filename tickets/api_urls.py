"""REST API routes of this module (mounted at /api/tickets/ in erp/urls.py).

<ref> is a ticket number (INC-123, inc-123) or its numeric id.
"""

from django.urls import path

from . import api

app_name = "tickets-api"
urlpatterns = [
    path("", api.TicketListCreateAPI.as_view(), name="list"),
    path("<str:ref>/", api.TicketDetailAPI.as_view(), name="detail"),
    path("<str:ref>/comments/", api.TicketCommentsAPI.as_view(), name="comments"),
    path("<str:ref>/assign/", api.TicketAssignAPI.as_view(), name="assign"),
    path("<str:ref>/status/", api.TicketStatusAPI.as_view(), name="status"),
    path("<str:ref>/escalate/", api.TicketEscalateAPI.as_view(), name="escalate"),
    path("<str:ref>/resolve/", api.TicketResolveAPI.as_view(), name="resolve"),
    path("<str:ref>/close/", api.TicketCloseAPI.as_view(), name="close"),
    path("<str:ref>/reopen/", api.TicketReopenAPI.as_view(), name="reopen"),
    path("<str:ref>/rate/", api.TicketRateAPI.as_view(), name="rate"),
]
