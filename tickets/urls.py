from django.urls import path

from . import bulk_views, views

app_name = "tickets"

# <ref> is a ticket number (INC-123, inc-123) or its numeric id.
urlpatterns = [
    path("", views.ticket_list, name="list"),
    path("export.csv", views.ticket_export, name="export"),
    path("new/", views.ticket_create, name="create"),
    path("bulk/", bulk_views.ticket_bulk, name="bulk"),
    path("row-status/", bulk_views.ticket_row_status, name="row-status"),
    path("views/save/", bulk_views.saved_view_save, name="view-save"),
    path("views/<int:pk>/delete/", bulk_views.saved_view_delete, name="view-delete"),
    path("<str:ref>/", views.ticket_detail, name="detail"),
    path("<str:ref>/edit/", views.ticket_edit, name="edit"),
    path("<str:ref>/act/", views.ticket_toolbar, name="act"),
    path("<str:ref>/assign/", views.ticket_assign, name="assign"),
    path("<str:ref>/status/", views.ticket_status, name="status"),
    path("<str:ref>/comment/", views.ticket_comment, name="comment"),
    path("<str:ref>/escalate/", views.ticket_escalate, name="escalate"),
    path("<str:ref>/resolve/", views.ticket_resolve, name="resolve"),
    path("<str:ref>/close/", views.ticket_close, name="close"),
    path("<str:ref>/reopen/", views.ticket_reopen, name="reopen"),
    path("<str:ref>/rate/", views.ticket_rate, name="rate"),
    path("<str:ref>/attachments/<int:attachment_id>/", views.attachment_download, name="attachment"),
]
