"""Slack's request URLs (set them in the app manifest: ``manage.py slack_manifest``)."""

from django.urls import path

from integrations.slack.inbound import views

app_name = "slack-inbound"
urlpatterns = [
    path("commands", views.commands, name="commands"),
    path("interactivity", views.interactivity, name="interactivity"),
    path("options", views.options, name="options"),
    path("events", views.events, name="events"),
]
