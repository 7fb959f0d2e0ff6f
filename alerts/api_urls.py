from django.urls import path

from . import api

urlpatterns = [
    path("hooks/<str:token>/", api.AlertWebhookView.as_view(), name="alerts-webhook"),
]
