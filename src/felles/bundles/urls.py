from django.urls import path

from felles.bundles import views

urlpatterns = [
    path("pakke/<uuid:service_id>/", views.bundle_new, name="bundle_new"),
    path("pakke/<uuid:service_id>/innhold/", views.bundle_definition, name="bundle_definition"),
    path("pakke/bestilling/<uuid:order_id>/kanseller/", views.bundle_cancel, name="bundle_cancel"),
    path(
        "pakke/bestilling/<uuid:order_id>/del/<uuid:child_id>/",
        views.bundle_child,
        name="bundle_child",
    ),
]
