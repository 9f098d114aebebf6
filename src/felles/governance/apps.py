from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "felles.governance"
    label = "governance"
    verbose_name = "Styring"

    def ready(self) -> None:
        from felles.governance import selectors  # noqa: F401 - registers who sees what
