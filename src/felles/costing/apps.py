from django.apps import AppConfig


class CostingConfig(AppConfig):
    name = "felles.costing"
    label = "costing"
    verbose_name = "Kostnadsmodell og priser"
