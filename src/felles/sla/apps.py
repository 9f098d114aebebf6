from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "felles.sla"
    label = "sla"
    verbose_name = "Tjenestenivå (SLA)"

    def ready(self) -> None:
        from felles.sla import jobs  # noqa: F401 - registers the scan job
