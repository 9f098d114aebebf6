from django.apps import AppConfig


class RoomsConfig(AppConfig):
    name = "felles.rooms"
    label = "rooms"
    verbose_name = "Møterom"

    def ready(self) -> None:
        from felles.rooms import selectors  # noqa: F401 - visibility rules
