# REST API routes of this module (mounted at /api/tickets/ in erp/urls.py).
app_name = "tickets-api"
urlpatterns = []
