# Slack's request URLs (commands, interactivity, events) land with the inbound issue.
app_name = "slack-inbound"
urlpatterns = []
