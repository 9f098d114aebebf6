from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "felles.records"
    label = "records"
    verbose_name = "Arkiv og informasjonsforvaltning"

    def ready(self) -> None:
        from felles.records import selectors  # noqa: F401  (registers the visibility rules)
