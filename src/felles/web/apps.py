from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "felles.web"
    label = "web"
    verbose_name = "Felles web"
