"""Events a lower app publishes and higher apps handle: how things flow up the layers
without an upward import (docs/architecture.md).

The lower app owns the event (`orders/events.py`: `order_resolved = Event(...)`) and
publishes it where the thing happens; a higher app subscribes in its `AppConfig.ready()`.
Handlers run synchronously, inside the publisher's transaction, so what they write commits
or rolls back with it (a resolved order and its usage record); work that must wait for the
commit (e-mail, jobs) is deferred by the handler with `transaction.on_commit`. A `Query` is
the same idea for a read: the lower app asks, the one higher app that knows answers (the
full-cost price of a service for showback), and without an answerer the default stands;
`FirstAnswer` and `AllAnswers` are queries several apps answer, each about its own things.
Not Django model signals: these are named, few, and documented where they are defined."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")
Handler = Callable[..., None]


class Event:
    """Something that happened in a lower app. `publish(**facts)` calls every handler."""

    def __init__(self, name: str, doc: str) -> None:
        self.name = name
        self.__doc__ = doc
        self._handlers: dict[str, Handler] = {}

    def subscribe(self, handler: Handler, *, key: str | None = None) -> Handler:
        """Register `handler(**facts)` under `key` (default: its module and name). A second
        registration under the same key replaces the first, so an app's `ready()` running
        again never subscribes twice."""
        name = key or f"{handler.__module__}.{handler.__qualname__}"
        self._handlers[name] = handler
        return handler

    def publish(self, **facts: Any) -> None:
        for handler in list(self._handlers.values()):
            handler(**facts)

    def __repr__(self) -> str:
        return f"Event({self.name})"


class Query(Generic[T]):
    """A question a lower app asks that one higher app answers; `default` without one."""

    def __init__(self, name: str, doc: str, default: Callable[..., T]) -> None:
        self.name = name
        self.__doc__ = doc
        self._default = default
        self._answer: Callable[..., T] | None = None

    def answer_with(self, func: Callable[..., T]) -> Callable[..., T]:
        self._answer = func
        return func

    def __call__(self, **question: Any) -> T:
        return (self._answer or self._default)(**question)

    def __repr__(self) -> str:
        return f"Query({self.name})"


class FirstAnswer(Query[T | None]):
    """A Query several higher apps answer, each about its own things (e.g. the services
    whose code it owns): asked in turn, the first answer that is not None stands; None
    without one. Each answerer registers under `key` (default: its module and name), so an
    app's `ready()` running again never answers twice."""

    def __init__(self, name: str, doc: str) -> None:
        super().__init__(name, doc, default=lambda **_: None)
        self._answers: dict[str, Callable[..., T | None]] = {}

    def answer_with(
        self, func: Callable[..., T | None], *, key: str | None = None
    ) -> Callable[..., T | None]:
        self._answers[key or f"{func.__module__}.{func.__qualname__}"] = func
        self._answer = self._first
        return func

    def _first(self, **question: Any) -> T | None:
        for func in list(self._answers.values()):
            answer = func(**question)
            if answer is not None:
                return answer
        return None


class AllAnswers(Query[list[T]]):
    """A Query several higher apps answer, each with its part (why an order cannot be
    resolved: tasks for open required tasks, security for a re-clearance without its
    decision): every answerer is asked and the answers are joined in registration order;
    an empty list without one. Each registers under `key`, as for `FirstAnswer`."""

    def __init__(self, name: str, doc: str) -> None:
        super().__init__(name, doc, default=lambda **_: [])
        self._answers: dict[str, Callable[..., list[T]]] = {}

    def answer_with(
        self, func: Callable[..., list[T]], *, key: str | None = None
    ) -> Callable[..., list[T]]:
        self._answers[key or f"{func.__module__}.{func.__qualname__}"] = func
        self._answer = self._all
        return func

    def _all(self, **question: Any) -> list[T]:
        return [part for func in list(self._answers.values()) for part in func(**question)]
