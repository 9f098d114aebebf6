from django.urls import path

from felles.catalog import views

urlpatterns = [
    path("tjenester/", views.catalogue, name="catalogue"),
    path("tjenester/<uuid:service_id>/", views.service_detail, name="service"),
    path("tjenester/<uuid:service_id>/endre/", views.service_edit, name="service_edit"),
    path("tjenester/<uuid:service_id>/servicenivaa/", views.service_levels, name="service_levels"),
]
