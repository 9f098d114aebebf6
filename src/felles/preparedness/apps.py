from django.apps import AppConfig


class PreparednessConfig(AppConfig):
    name = "felles.preparedness"
    label = "preparedness"
    verbose_name = "Sikkerhet og beredskap"

    def ready(self) -> None:
        from django.urls import reverse

        from felles.governance.events import ActionSubject, action_subjects
        from felles.preparedness import jobs, selectors  # noqa: F401 - visibility, reminders
        from felles.preparedness.models import Analysis, Exercise, Incident

        # Follow-up actions, measures and lessons are governance's action items: who sees
        # them is who sees the record (and the owner her own); who handles the record adds
        # and completes them.
        action_subjects.register(
            Incident,
            ActionSubject(
                visible=selectors.incidents_for,
                handles=selectors.handles_incident,
                url=lambda i: reverse("preparedness_incident", args=[i.uuid]),
            ),
        )
        action_subjects.register(
            Analysis,
            ActionSubject(
                visible=selectors.analyses_for,
                handles=selectors.works_on_analysis,
                url=lambda a: reverse("preparedness_analysis", args=[a.uuid]),
            ),
        )
        action_subjects.register(
            Exercise,
            ActionSubject(
                visible=selectors.exercises_for,
                handles=lambda user, e: selectors.plans_exercise(user, list(e.ministries.all())),
                url=lambda e: reverse("preparedness_exercise", args=[e.uuid]),
            ),
        )
