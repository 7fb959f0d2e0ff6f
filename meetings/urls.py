from django.urls import path

from . import feeds, views

app_name = "meetings"
urlpatterns = [
    path("", views.timeline_page, name="timeline"),
    path("mine/", views.my_meetings, name="mine"),
    path("book/", views.book, name="book"),
    path("check/", views.check_slot, name="check"),
    path("series/new/", views.series_new, name="series-new"),
    path("series/<int:pk>/", views.series_detail, name="series"),
    path("bookings/<int:pk>/", views.booking_detail, name="booking"),
    path("bookings/<int:pk>/change/", views.booking_action, name="booking-action"),
    path("rooms/<int:pk>/", views.room_page, name="room"),
    path("rooms/<int:pk>/import/", views.ics_upload, name="ics-upload"),
    path("export.csv", views.export_csv, name="export"),
    path("feeds/rooms/<str:token>.ics", feeds.room_feed, name="room-feed"),
    path("feeds/people/<str:token>.ics", feeds.person_feed, name="person-feed"),
]
