from django.urls import path

from felles.tasks import views

urlpatterns = [
    path("tjenester/<uuid:service_id>/oppgavemal/", views.task_templates, name="task_templates"),
    path(
        "bestillinger/<uuid:order_id>/oppgaver/<uuid:task_id>/",
        views.task_action,
        name="task_action",
    ),
]
