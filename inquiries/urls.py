from django.urls import path

from . import marketing, views

app_name = "inquiries"
urlpatterns = [
    path("", views.inquiry_list, name="list"),
    path("export.csv", views.inquiry_export, name="export"),
    path("shared.csv", marketing.shared_export, name="shared_export"),
    path("report/", marketing.report, name="report"),
    path("<int:pk>/", views.inquiry_detail, name="detail"),
    path("<int:pk>/edit/", views.inquiry_edit, name="edit"),
    path("<int:pk>/notes/", views.inquiry_note, name="note"),
    path("<int:pk>/answer/", views.inquiry_answer_view, name="answer"),
    path("<int:pk>/convert/", views.inquiry_convert_view, name="convert"),
    path("<int:pk>/actions/<slug:action>/", views.inquiry_action, name="action"),
]
