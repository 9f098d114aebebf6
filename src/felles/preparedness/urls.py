from django.urls import path

from felles.preparedness import views

urlpatterns = [
    path("beredskap/", views.home, name="preparedness"),
    path("beredskap/hendelser/", views.incidents, name="preparedness_incidents"),
    path(
        "beredskap/hendelser/<uuid:incident_id>/",
        views.incident_detail,
        name="preparedness_incident",
    ),
    path(
        "beredskap/hendelser/<uuid:incident_id>/avslutt/",
        views.incident_close,
        name="preparedness_incident_close",
    ),
    path(
        "beredskap/tiltak/<uuid:item_id>/utfort/",
        views.follow_up_done,
        name="preparedness_follow_up_done",
    ),
    path("beredskap/statistikk/", views.statistics, name="preparedness_statistics"),
    path("beredskap/ros/", views.analyses, name="preparedness_analyses"),
    path("beredskap/ros/<uuid:analysis_id>/", views.analysis_detail, name="preparedness_analysis"),
    path(
        "beredskap/ros/<uuid:analysis_id>/godkjenn/",
        views.analysis_sign,
        name="preparedness_analysis_sign",
    ),
    path("beredskap/ovelser/", views.exercises, name="preparedness_exercises"),
    path(
        "beredskap/ovelser/<uuid:exercise_id>/",
        views.exercise_detail,
        name="preparedness_exercise",
    ),
    path("beredskap/lager/", views.stock, name="preparedness_stock"),
    path(
        "beredskap/lager/<uuid:item_id>/kontroll/",
        views.stock_check,
        name="preparedness_stock_check",
    ),
    path("beredskap/anskaffelser/", views.contracts, name="preparedness_contracts"),
    path("beredskap/egenrapportering/", views.self_report, name="preparedness_self_report"),
]
