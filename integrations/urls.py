# Inbound endpoints (Slack, device and website webhooks) land with their issues.
app_name = "integrations"
urlpatterns = []
