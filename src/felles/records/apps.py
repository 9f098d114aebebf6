from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "felles.records"
    label = "records"
    verbose_name = "Arkiv og informasjonsforvaltning"
