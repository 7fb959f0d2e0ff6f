from django.urls import path

from . import views

app_name = "history"

urlpatterns = [
    path("", views.search, name="search"),
    path("export.csv", views.export_csv, name="export"),
    path("saved/", views.save_search, name="save"),
    path("saved/<int:pk>/delete/", views.delete_saved_search, name="delete-saved"),
    path("people/<int:pk>/", views.person, name="person"),
]
