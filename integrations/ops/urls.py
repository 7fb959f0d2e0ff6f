"""/metrics and the admin's system status page (included by erp/urls.py before admin/)."""

from django.urls import path

from integrations.ops import metrics, views

urlpatterns = [
    path("admin/system-status/", views.system_status, name="system-status"),
    path("metrics", metrics.metrics_view, name="metrics"),
]
