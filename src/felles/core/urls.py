from django.urls import path

from felles.core import views

urlpatterns = [
    path("meg/varsler/", views.mail_preferences, name="mail_preferences"),
]
