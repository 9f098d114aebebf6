from django.apps import AppConfig


class FoiConfig(AppConfig):
    name = "felles.foi"
    label = "foi"
    verbose_name = "Innsyn"

    def ready(self) -> None:
        from felles.foi import jobs, selectors  # noqa: F401 - visibility rule, retention job
