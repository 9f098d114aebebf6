from django.apps import AppConfig


class PreparednessConfig(AppConfig):
    name = "felles.preparedness"
    label = "preparedness"
    verbose_name = "Sikkerhet og beredskap"
