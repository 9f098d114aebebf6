from django.urls import path

from felles.core import views

urlpatterns = [
    path("revisjon/", views.audit_log, name="audit"),
    path("jobber/", views.job_list, name="jobs"),
    path("api-nokler/", views.token_list, name="tokens"),
    path("api-nokler/<uuid:token_id>/trekk-tilbake/", views.token_revoke, name="token_revoke"),
]
