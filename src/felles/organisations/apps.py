from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "felles.organisations"
    label = "organisations"
    verbose_name = "Organisasjoner og personer"

    def ready(self) -> None:
        # selectors registers who sees whom; importing registers the background import.
        from felles.organisations import importing, selectors  # noqa: F401
