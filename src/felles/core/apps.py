from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "felles.core"
    label = "core"
    verbose_name = "Felles core"
