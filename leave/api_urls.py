# REST API routes of this module (mounted at /api/leave/ in erp/urls.py).
from django.urls import path

from . import api

app_name = "leave-api"
urlpatterns = [
    path("requests/", api.MyLeaveRequestsAPI.as_view(), name="my-requests"),
    path("types/", api.LeaveTypesAPI.as_view(), name="types"),
]
