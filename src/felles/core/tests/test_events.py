"""The event and query hooks that carry facts up the layers."""

from __future__ import annotations

from felles.core.events import AllAnswers, Event, Query


def test_an_event_calls_each_handler_once_with_the_facts() -> None:
    seen: list[tuple[str, int]] = []
    event = Event("test.happened", "A test event.")

    def first(*, order: int) -> None:
        seen.append(("first", order))

    event.subscribe(first)
    event.subscribe(first)  # registering again changes nothing
    for _ in range(2):  # an app's ready() running twice: the key keeps one subscription
        event.subscribe(lambda *, order: seen.append(("second", order)), key="app.second")
    event.publish(order=7)
    assert seen == [("first", 7), ("second", 7)]


def test_a_query_answers_with_the_default_until_an_app_answers() -> None:
    price = Query("test.price", "A test question.", default=lambda *, service: None)
    assert price(service=1) is None
    price.answer_with(lambda *, service: service * 10)
    assert price(service=2) == 20


def test_all_answers_joins_every_apps_part_once() -> None:
    blockers = AllAnswers("test.blockers", "A test question.")
    assert blockers(order=1) == []
    blockers.answer_with(lambda *, order: [f"oppgave {order}"], key="tasks")
    blockers.answer_with(lambda *, order: [], key="security")
    blockers.answer_with(lambda *, order: ["vedtak"], key="security")  # ready() ran again
    assert blockers(order=2) == ["oppgave 2", "vedtak"]


def test_every_hook_in_felles_is_handled_and_answered_once() -> None:
    """Each event the apps publish has its handler, once; each query is answered (the
    apps' ready() has run in the test process)."""
    from felles.catalog import events as catalog_events
    from felles.costing import events as costing_events
    from felles.invoicing import events as invoicing_events
    from felles.orders import events as order_events

    assert list(order_events.history_changed._handlers) == ["sla.refresh"]
    assert list(order_events.order_resolved._handlers) == [
        "invoicing.record_order_usage",
        "security.renewal",  # a resolved re-clearance order writes the register's new row
    ]
    assert list(order_events.status_changed._handlers) == [
        "bundles.follow_child",
        "security.offboard",
    ]
    assert list(order_events.container_cancelled._handlers) == ["bundles.cancel_children"]
    assert list(order_events.order_form_url._answers) == [
        "bundles.form",
        "rooms.booking",
        "hr.salary_change",
    ]
    assert list(order_events.resolve_blockers._answers) == [
        "tasks.required",
        "security.reclearance",
    ]
    from felles.guidelines import events as guideline_events

    assert list(guideline_events.version_adopted._handlers) == ["notices.announce_guideline"]
    for query in (
        order_events.sla_pauses,
        order_events.order_form_url,
        catalog_events.service_satisfaction,
        invoicing_events.full_cost_prices,
        costing_events.decided_cases,
    ):
        assert query._answer is not None, query
