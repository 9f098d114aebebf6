from django.urls import path

from felles.notices import views

urlpatterns = [
    path("kunngjoringer/", views.notice_list, name="notices"),
    path("kunngjoringer/ny/", views.notice_new, name="notice_new"),
    path("kunngjoringer/intranett/", views.feed_key, name="notice_feed_key"),
    path("kunngjoringer/feed.atom", views.notice_feed_atom, name="notice_feed_atom"),
    path("kunngjoringer/feed.json", views.notice_feed_json, name="notice_feed_json"),
    path("kunngjoringer/<uuid:notice_id>/", views.notice_detail, name="notice"),
]
