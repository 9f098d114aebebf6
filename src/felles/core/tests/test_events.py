"""The event and query hooks that carry facts up the layers."""

from __future__ import annotations

from felles.core.events import Event, Query


def test_an_event_calls_each_handler_once_with_the_facts() -> None:
    seen: list[tuple[str, int]] = []
    event = Event("test.happened", "A test event.")

    def first(*, order: int) -> None:
        seen.append(("first", order))

    event.subscribe(first)
    event.subscribe(first)  # registering again changes nothing
    event.subscribe(lambda *, order: seen.append(("second", order)))
    event.publish(order=7)
    assert seen == [("first", 7), ("second", 7)]


def test_a_query_answers_with_the_default_until_an_app_answers() -> None:
    price = Query("test.price", "A test question.", default=lambda *, service: None)
    assert price(service=1) is None
    price.answer_with(lambda *, service: service * 10)
    assert price(service=2) == 20
