from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "felles.security"
    label = "security"
    verbose_name = "Personellsikkerhet"
