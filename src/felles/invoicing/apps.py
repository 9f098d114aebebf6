from django.apps import AppConfig


class InvoicingConfig(AppConfig):
    name = "felles.invoicing"
    label = "invoicing"
    verbose_name = "Fakturering"
