# REST API routes of this module (mounted at /api/inquiries/ in erp/urls.py).
from django.urls import path

from . import api

app_name = "inquiries-api"
urlpatterns = [
    path("submit/<slug:site_key>/", api.InquirySubmitView.as_view(), name="submit"),
]
