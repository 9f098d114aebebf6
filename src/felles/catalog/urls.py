from django.urls import path

from felles.catalog import confidential_views, views

urlpatterns = [
    path("tjenester/", views.catalogue, name="catalogue"),
    path("tjenester/<uuid:service_id>/", views.service_detail, name="service"),
    path("tjenester/<uuid:service_id>/endre/", views.service_edit, name="service_edit"),
    path(
        "tjenester/<uuid:service_id>/skjerming/",
        confidential_views.service_confidentiality,
        name="service_confidentiality",
    ),
    path("tjenester/<uuid:service_id>/servicenivaa/", views.service_levels, name="service_levels"),
]
