from django.urls import path

from felles.records import views

urlpatterns = [
    path("arkiv/", views.home, name="records_home"),
    path("arkiv/<uuid:ministry_id>/", views.ministry, name="records_ministry"),
    path("arkiv/<uuid:ministry_id>/perioder/", views.periods, name="records_periods"),
    path("arkiv/<uuid:ministry_id>/plan/<int:year>/", views.plan, name="records_plan"),
    path("arkiv/<uuid:ministry_id>/oppdrag/nytt/", views.job_new, name="records_job_new"),
    path("arkiv/<uuid:ministry_id>/stikkprover/", views.checks, name="records_checks"),
    path("arkiv/<uuid:ministry_id>/tilsyn/", views.inspections, name="records_inspections"),
    path("arkiv/oppdrag/<uuid:job_id>/", views.job, name="records_job"),
    path("arkiv/oppdrag/<uuid:job_id>/testrapport/", views.job_report, name="records_job_report"),
    path("arkiv/stikkprover/<uuid:check_id>/", views.check, name="records_check"),
    path("arkiv/tilsyn/<uuid:inspection_id>/", views.inspection, name="records_inspection"),
]
