from django.apps import AppConfig


class SigninConfig(AppConfig):
    name = "felles.signin"
    label = "signin"
    verbose_name = "Felles sign-in"
