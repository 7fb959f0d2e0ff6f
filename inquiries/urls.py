# Pages of this module land with its issue; until then it adds no navigation entry.
app_name = "inquiries"
urlpatterns = []
