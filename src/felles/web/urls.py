from django.urls import path

from felles.web import operations, views

urlpatterns = [
    path("", views.home, name="home"),
    path("sprak/", views.set_language, name="set_language"),
    path("healthz", views.healthz, name="healthz"),
    path("sok/", views.search, name="search"),
    # Operations: the audit log, background jobs, personal API tokens.
    path("revisjon/", operations.audit_log, name="audit"),
    path("jobber/", operations.job_list, name="jobs"),
    path("jobber/e-post/<uuid:mail_id>/send-igjen/", operations.mail_retry, name="mail_retry"),
    path("api-nokler/", operations.token_list, name="tokens"),
    path("api-nokler/<uuid:token_id>/trekk-tilbake/", operations.token_revoke, name="token_revoke"),
]
