from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "felles.organisations"
    label = "organisations"
    verbose_name = "Organisasjoner og personer"
