from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "felles.orders"
    label = "orders"
    verbose_name = "Bestillinger"

    def ready(self) -> None:
        from felles.catalog import events as catalog_events
        from felles.orders import (
            jobs,  # noqa: F401 - registers the job handlers
            popular,
            selectors,  # registers who sees which order
        )

        # The service page shows the ratings orders collect.
        catalog_events.service_satisfaction.answer_with(
            lambda *, service_id: selectors.satisfaction(service_id=service_id)
        )
        # The catalogue shows what the user's ministry orders most.
        catalog_events.most_ordered.answer_with(popular.most_ordered)
