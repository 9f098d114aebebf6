from django.apps import AppConfig


class GuidelinesConfig(AppConfig):
    name = "felles.guidelines"
    label = "guidelines"
    verbose_name = "Retningslinjer"
