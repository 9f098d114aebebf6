from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "felles.sla"
    label = "sla"
    verbose_name = "Tjenestenivå (SLA)"

    def ready(self) -> None:
        from felles.orders import events as order_events
        from felles.organisations import events as organisation_events
        from felles.sla import (
            agreed,
            jobs,  # noqa: F401 - registers the scan job
            services,
        )

        # The SLA is a function of the order's history: follow it, and show its pauses.
        order_events.history_changed.subscribe(
            lambda *, order: services.refresh(order), key="sla.refresh"
        )
        order_events.sla_pauses.answer_with(lambda *, order: services.compute_for(order).pauses)
        # The ministry's page shows its delivery agreements, agreed against delivered.
        organisation_events.organisation_sections.answer_with(agreed.organisation_section)
