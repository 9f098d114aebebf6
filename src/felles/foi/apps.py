from django.apps import AppConfig


class FoiConfig(AppConfig):
    name = "felles.foi"
    label = "foi"
    verbose_name = "Innsyn"
