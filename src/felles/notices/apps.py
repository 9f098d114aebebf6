from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "felles.notices"
    label = "notices"
    verbose_name = "Kunngjøringer"
