from django.apps import AppConfig


class GuidelinesConfig(AppConfig):
    name = "felles.guidelines"
    label = "guidelines"
    verbose_name = "Retningslinjer"

    def ready(self) -> None:
        from felles.guidelines import selectors  # noqa: F401 - registers who sees versions
