from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "felles.agreements"
    label = "agreements"
    verbose_name = "Leveranseavtaler"

    def ready(self) -> None:
        from felles.agreements import selectors  # noqa: F401 - registers the visibility rule
