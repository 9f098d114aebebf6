from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "felles.portfolio"
    label = "portfolio"
    verbose_name = "Gjennomføringsportefølje"
