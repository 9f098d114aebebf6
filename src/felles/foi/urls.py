from django.urls import path

from felles.foi import views

urlpatterns = [
    path("innsyn/", views.request_list, name="foi_requests"),
    path("innsyn/ny/", views.register, name="foi_register"),
    path("innsyn/import/", views.import_file, name="foi_import"),
    path("innsyn/statistikk/", views.statistics, name="foi_statistics"),
    path("innsyn/<uuid:request_id>/", views.request_detail, name="foi_request"),
    path("innsyn/<uuid:request_id>/steg/", views.request_step, name="foi_request_step"),
    path(
        "innsyn/<uuid:request_id>/dokument/<uuid:item_id>/",
        views.item_detail,
        name="foi_item",
    ),
]
