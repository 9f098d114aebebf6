from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "felles.orders"
    label = "orders"
    verbose_name = "Bestillinger"

    def ready(self) -> None:
        from felles.orders import (
            jobs,  # noqa: F401 - registers the job handlers
            selectors,  # noqa: F401 - registers who sees which order
        )
