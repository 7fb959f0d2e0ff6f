# REST API routes of this module (mounted at /api/attendance/ in erp/urls.py).
app_name = "attendance-api"
urlpatterns = []
