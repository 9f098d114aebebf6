from django.urls import include, path

from felles.conf.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("", include("felles.signin.urls")),
    path("", include("felles.web.urls")),
    path("", include("felles.core.urls")),
    path("", include("felles.organisations.urls")),
    path("", include("felles.catalog.urls")),
    path("", include("felles.orders.urls")),
    path("", include("felles.agreements.urls")),
    path("", include("felles.sla.urls")),
    path("", include("felles.bundles.urls")),
    path("", include("felles.tasks.urls")),
    path("", include("felles.costing.urls")),
    path("", include("felles.invoicing.urls")),
    path("", include("felles.governance.urls")),
    path("", include("felles.portfolio.urls")),
    path("", include("felles.security.urls")),
    path("", include("felles.preparedness.urls")),
    path("", include("felles.foi.urls")),
    path("", include("felles.records.urls")),
    path("", include("felles.guidelines.urls")),
    path("", include("felles.notices.urls")),
    path("", include("felles.rooms.urls")),
    path("", include("felles.hr.urls")),
]

handler400 = "felles.web.views.bad_request"
handler403 = "felles.web.views.forbidden"
handler404 = "felles.web.views.not_found"
handler500 = "felles.web.views.server_error"
