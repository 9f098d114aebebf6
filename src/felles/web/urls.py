from django.urls import path

from felles.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("logg-inn/", views.login, name="login"),
    path("logg-ut/", views.logout, name="logout"),
    path("sprak/", views.set_language, name="set_language"),
    path("healthz", views.healthz, name="healthz"),
]
