from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "felles.governance"
    label = "governance"
    verbose_name = "Styring"
