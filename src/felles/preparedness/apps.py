from django.apps import AppConfig


class PreparednessConfig(AppConfig):
    name = "felles.preparedness"
    label = "preparedness"
    verbose_name = "Sikkerhet og beredskap"

    def ready(self) -> None:
        from felles.preparedness import jobs, selectors  # noqa: F401 - visibility, reminders
