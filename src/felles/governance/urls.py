from django.urls import path

from felles.governance import views

urlpatterns = [
    path("styring/", views.case_list, name="governance_cases"),
    path("styring/saker/ny/", views.case_new, name="case_new"),
    path("styring/saker/<uuid:case_id>/", views.case_detail, name="case"),
    path("styring/vedtak/", views.decision_log, name="decisions"),
    path("styring/vedtak/atom/", views.decisions_feed, name="decisions_feed"),
    path("styring/fullmakter/", views.rights, name="decision_rights"),
    path("styring/fullmakter/<slug:code>/", views.right_edit, name="decision_right"),
    path("styring/rad/", views.council, name="council"),
    path("dialog/", views.dialogue, name="dialogue"),
    path("dialog/<uuid:series_id>/", views.series_detail, name="series"),
    path("dialog/<uuid:series_id>/pakke/", views.meeting_pack, name="meeting_pack"),
    path("dialog/tiltak/", views.my_actions, name="my_actions"),
    path("dialog/tiltak/<uuid:action_id>/utfort/", views.action_done, name="action_done"),
]
