from django.apps import AppConfig


class RoomsConfig(AppConfig):
    name = "felles.rooms"
    label = "rooms"
    verbose_name = "Møterom"

    def ready(self) -> None:
        from felles.orders import events as order_events
        from felles.rooms import selectors  # visibility rules

        # A meeting room is booked in the room search, not on the ordinary order form.
        order_events.order_form_url.answer_with(selectors.room_order_url, key="rooms.booking")
