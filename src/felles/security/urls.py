from django.urls import path

from felles.security import views

urlpatterns = [
    path("sikkerhet/personell/", views.register, name="security_register"),
    path("sikkerhet/personell/autoriserte/", views.authorised, name="security_authorised"),
    path("sikkerhet/personell/autoriserte/utsted/", views.issue, name="security_issue"),
    path(
        "sikkerhet/personell/autoriserte/utstedte/",
        views.issued_lists,
        name="security_issued_lists",
    ),
    path(
        "sikkerhet/personell/autoriserte/utstedte/<uuid:list_id>/",
        views.issued_list,
        name="security_issued_list",
    ),
    path("sikkerhet/personell/ny/<slug:kind>/", views.add, name="security_add"),
    path(
        "sikkerhet/personell/<slug:kind>/<uuid:row_id>/avslutt/",
        views.end,
        name="security_end",
    ),
    path(
        "sikkerhet/personell/autorisasjon/<uuid:row_id>/samtale/",
        views.conversation,
        name="security_conversation",
    ),
    path(
        "sikkerhet/personell/klarering/<uuid:clearance_id>/forny/",
        views.prepare,
        name="security_prepare",
    ),
    path(
        "sikkerhet/personell/fornyelse/<uuid:renewal_id>/",
        views.reclearance,
        name="security_reclearance",
    ),
    path(
        "sikkerhet/personell/fornyelse/<uuid:renewal_id>/vedtak/",
        views.decision,
        name="security_decision",
    ),
    path("sikkerhet/personell/lesinger/", views.reads, name="security_reads"),
    path("sikkerhet/personell/kassasjon/", views.disposal, name="security_disposal"),
]
