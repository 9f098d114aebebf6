from django.urls import path

from felles.organisations import views

urlpatterns = [
    path("organisasjoner/", views.organisation_list, name="organisations"),
    path("organisasjoner/<uuid:organisation_id>/", views.organisation_detail, name="organisation"),
    path("personer/", views.people_list, name="people"),
    path("personer/<uuid:person_id>/", views.person_detail, name="person"),
    path("fravaer/<uuid:absence_id>/slett/", views.absence_cancel, name="absence_cancel"),
    path("import/", views.import_people, name="import"),
]
