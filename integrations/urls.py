# Inbound endpoints (Slack, device and website webhooks) land with their issues.
from django.urls import path

from integrations.calendar import views as calendar_views
from integrations.slack.core import views as slack_views

app_name = "integrations"
urlpatterns = [
    path("slack/outbox/", slack_views.outbox_list, name="slack-outbox"),
    path("slack/outbox/<int:pk>/", slack_views.outbox_detail, name="slack-outbox-detail"),
    path("calendar/google/push/", calendar_views.google_push, name="calendar-google-push"),
]
