from django.urls import path

from felles.rooms import views, views_manage

urlpatterns = [
    path("moterom/", views.room_search, name="rooms"),
    path("moterom/mine/", views.my_bookings, name="my_bookings"),
    path("moterom/kalenderlenke/", views.feed_token, name="feed_token"),
    path("moterom/rom/<uuid:room_id>/", views.room_detail, name="room"),
    path("moterom/rom/<uuid:room_id>/serie/", views.room_series, name="room_series"),
    path("moterom/booking/<uuid:booking_id>/", views.booking_detail, name="booking"),
    path("moterom/booking/<uuid:booking_id>/endre/", views.booking_edit, name="booking_edit"),
    path("moterom/booking/<uuid:booking_id>/avlys/", views.booking_cancel, name="booking_cancel"),
    path("moterom/kalender/<str:secret>.ics", views.feed_person, name="feed_person"),
    path("moterom/kalender/<str:secret>/<uuid:room_id>.ics", views.feed_room, name="feed_room"),
    path("moterom/register/", views_manage.room_register, name="room_register"),
    path("moterom/register/<uuid:room_id>/", views_manage.room_edit, name="room_edit"),
    path(
        "moterom/register/<uuid:room_id>/inspeksjon/",
        views_manage.room_inspection,
        name="room_inspection",
    ),
    path("moterom/foresporsler/", views_manage.room_requests, name="room_requests"),
    path(
        "moterom/booking/<uuid:booking_id>/behandle/",
        views_manage.booking_decide,
        name="booking_decide",
    ),
    path("moterom/statistikk/", views_manage.room_usage, name="room_usage"),
]
