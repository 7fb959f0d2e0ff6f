from django.urls import path

from . import views

app_name = "leave"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("new/", views.new, name="new"),
    path("approvals/", views.approvals, name="approvals"),
    path("calendar/", views.team_calendar, name="calendar"),
    path("export/", views.export, name="export"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
]
