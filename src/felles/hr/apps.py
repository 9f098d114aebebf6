from django.apps import AppConfig


class HrConfig(AppConfig):
    name = "felles.hr"
    label = "hr"
    verbose_name = "HR"
