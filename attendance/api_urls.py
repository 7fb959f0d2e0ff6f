# REST API routes of this module (mounted at /api/attendance/ in erp/urls.py).
from django.urls import path

from . import api

app_name = "attendance-api"
urlpatterns = [
    path("punches", api.DevicePunchesView.as_view(), name="punches"),
    path("days", api.WorkDayListView.as_view(), name="days"),
    path("me/status", api.MyStatusView.as_view(), name="my-status"),
    path("me/check-in", api.CheckInView.as_view(), name="check-in"),
    path("me/check-out", api.CheckOutView.as_view(), name="check-out"),
]
