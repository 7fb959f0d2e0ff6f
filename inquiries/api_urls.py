# REST API routes of this module (mounted at /api/inquiries/ in erp/urls.py).
from django.urls import path

from . import api, list_api

app_name = "inquiries-api"
urlpatterns = [
    path("", list_api.InquiryListAPI.as_view(), name="list"),
    path("submit/<slug:site_key>/", api.InquirySubmitView.as_view(), name="submit"),
]
