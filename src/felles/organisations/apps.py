from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "felles.organisations"
    label = "organisations"
    verbose_name = "Organisasjoner og personer"

    def ready(self) -> None:
        from felles.organisations import selectors  # noqa: F401 - registers who sees whom
