from django.urls import path

from felles.organisations import views

urlpatterns = [
    path("organisasjoner/", views.organisation_list, name="organisations"),
    path("organisasjoner/<uuid:organisation_id>/", views.organisation_detail, name="organisation"),
    path("personer/", views.people_list, name="people"),
    path("personer/<uuid:person_id>/", views.person_detail, name="person"),
    path("personer/<uuid:person_id>/roller/", views.role_add, name="role_add"),
    path("roller/<uuid:role_id>/fjern/", views.role_remove, name="role_remove"),
    path("fravaer/<uuid:absence_id>/slett/", views.absence_cancel, name="absence_cancel"),
    path("import/", views.import_people, name="import"),
    path("import/jobb/<uuid:job_id>/", views.import_job, name="import_job"),
]
