from django.urls import path

from felles.signin import views

urlpatterns = [
    path("logg-inn/", views.login, name="login"),
    path("logg-ut/", views.logout, name="logout"),
    # The provider's legs; the callback is the redirect URI registered at the provider.
    path("oidc/start/", views.start, name="signin_start"),
    path("oidc/callback/", views.callback, name="signin_callback"),
]
