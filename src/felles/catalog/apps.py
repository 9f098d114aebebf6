from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "felles.catalog"
    label = "catalog"
    verbose_name = "Tjenestekatalog"
