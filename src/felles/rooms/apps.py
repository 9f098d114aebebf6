from django.apps import AppConfig


class RoomsConfig(AppConfig):
    name = "felles.rooms"
    label = "rooms"
    verbose_name = "Møterom"
