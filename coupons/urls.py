from django.urls import path

from . import api, batch_views, views

app_name = "coupons"
urlpatterns = [
    path("", views.send_list, name="sends"),
    path("sends/<int:pk>/", views.send_detail, name="send-detail"),
    path("sends/<int:pk>/reveal/", views.send_reveal, name="send-reveal"),
    path("export/", views.export, name="export"),
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign-detail"),
    path("batches/", batch_views.batch_list, name="batches"),
    path("batches/<int:pk>/", batch_views.batch_detail, name="batch-detail"),
    path("batches/<int:pk>/resume/", batch_views.batch_resume, name="batch-resume"),
    path("imports/", views.import_list, name="imports"),
    path("imports/upload/", views.import_upload, name="import-upload"),
    path("imports/<int:pk>/", views.import_detail, name="import-detail"),
    path("imports/<int:pk>/progress/", views.import_progress, name="import-progress"),
    path("api/sends/import/", api.SendImportView.as_view(), name="api-import"),
]
