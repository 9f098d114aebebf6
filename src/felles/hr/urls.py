from django.urls import path

from felles.hr import views

urlpatterns = [
    path("hr/", views.index, name="hr"),
    path("hr/sammenligning/", views.compare, name="hr-compare"),
    path("hr/import/", views.import_statistics, name="hr-import"),
    path("hr/undersokelse/import/", views.import_survey, name="hr-survey-import"),
    path("hr/statistikk/<str:abbreviation>/", views.ministry, name="hr-ministry"),
    path("hr/undersokelse/<str:abbreviation>/", views.survey, name="hr-survey"),
    path("hr/rekruttering/", views.recruitments, name="hr-recruitments"),
    path("hr/rekruttering/<uuid:order_id>/", views.recruitment, name="hr-recruitment"),
    path("hr/lonnsendring/", views.salary_changes, name="hr-salary-changes"),
    path("hr/lonnsendring/<uuid:change_id>/", views.salary_change, name="hr-salary-change"),
]
