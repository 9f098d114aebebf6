from django.apps import AppConfig


class InvoicingConfig(AppConfig):
    name = "felles.invoicing"
    label = "invoicing"
    verbose_name = "Fakturering"

    def ready(self) -> None:
        from felles.invoicing import (
            selectors,  # noqa: F401 - registers who sees which invoice
            services,
        )
        from felles.orders import events as order_events

        # What a resolved order delivered is usage, written in the resolution's transaction.
        order_events.order_resolved.subscribe(
            lambda *, actor, order: services.record_order_usage(actor=actor, order=order),
            key="invoicing.record_order_usage",
        )
