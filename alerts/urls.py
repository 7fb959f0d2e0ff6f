from django.urls import path

from . import views

app_name = "alerts"
urlpatterns = [
    path("", views.groups, name="groups"),
    path("groups/<int:pk>/", views.group_detail, name="group"),
    path("groups/<int:pk>/<str:action>/", views.group_action, name="group-action"),
    path("sources/", views.sources, name="sources"),
    path("sources/<int:pk>/", views.source_detail, name="source"),
    path("items/<int:pk>/patch-ticket/", views.patch_ticket, name="patch-ticket"),
]
