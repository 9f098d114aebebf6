from django.apps import AppConfig


class InvoicingConfig(AppConfig):
    name = "felles.invoicing"
    label = "invoicing"
    verbose_name = "Fakturering"

    def ready(self) -> None:
        from felles.invoicing import selectors  # noqa: F401 - registers who sees which invoice
