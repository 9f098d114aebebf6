from django.apps import AppConfig


class CostingConfig(AppConfig):
    name = "felles.costing"
    label = "costing"
    verbose_name = "Kostnadsmodell og priser"

    def ready(self) -> None:
        from felles.costing import selectors
        from felles.invoicing import events as invoicing_events

        # Showback values appropriation-funded usage at the cost model's full-cost prices.
        invoicing_events.full_cost_prices.answer_with(
            lambda *, year: selectors.full_cost_prices(year)
        )
