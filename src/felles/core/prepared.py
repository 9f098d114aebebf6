"""Querysets compiled once per connection and run again with new values.

Building and compiling a queryset costs Django 0.1–1 ms (more with joins and
`select_related`); on the reads every request makes (an API token, a person's roles, an
order behind its visibility rule) that was most of the request. `run(key, build, **values)`
compiles `build(**values)` once per database connection and shape, with stand-in values
of the same types, and later calls put the new values into the compiled statement and build
the model objects the way Django's `ModelIterable` does. The statement text stays the same,
so PostgreSQL also plans it once (prepared statements, settings `prepare_threshold`).

The contract for `build`: it returns a plain model queryset (no `values()`, no
`prefetch_related`), and the *shape* of its statement depends only on `key` and on the
arguments that are not replaced — never on the value of a replaced one (`str`, `int`,
`uuid.UUID`, aware `datetime`, `date`). A replaced value goes straight into a lookup, never
a value worked out from it (`day + timedelta(days=1)` cannot be told apart). What Django
reads from the request's state when it compiles (the active time zone for `__date`, the
language) is fixed at the first compile: none of the callers depends on it. Arguments of
other types (None, bool, a model object, a tuple) are part of the shape: they go into the
cache key as they are and must be hashable. A stand-in that does not come out as exactly
one parameter by one known conversion, and nowhere else in another form (a `LIKE` pattern,
an `iexact`, a value that vanished into an `IN ()`), makes that shape run through the ORM
every time: slower, not wrong. Tests: core/tests/test_prepared.py."""

from __future__ import annotations

import copy
import datetime as dt
import secrets
import uuid
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable
from django.db.models.sql.compiler import SQLCompiler

M = TypeVar("M", bound=Model)

#: Compiled shapes kept per connection (least recently used dropped first). An order read's
#: entry (keyed by a reader's visibility rule) holds ≈ 170 KB of compiler objects.
LIMIT = 128

_UTC = dt.UTC
_EPOCH = dt.datetime(1901, 1, 1, tzinfo=_UTC)


def _replaced(value: Any) -> bool:
    """Whether a value of this type is put into the compiled statement (else it is part of
    the shape)."""
    kind = type(value)
    return kind in (str, int, uuid.UUID, dt.date) or (
        kind is dt.datetime and value.tzinfo is not None
    )


def _stand_in(value: Any) -> Any:
    """A value of the same type that no real argument will have (random, far from real
    ones). A text one mixes cases, LIKE's special characters and spaces, so that any
    rewriting of it (lower case, an escaped or wrapped pattern, stripping) no longer
    matches its parameter, and the shape then goes through the ORM."""
    kind = type(value)
    if kind is str:
        return "Felles_%\\ Stand-In " + secrets.token_hex(12)
    if kind is int:
        return (1 << 30) + secrets.randbelow(1 << 30)  # inside a 32-bit integer column
    if kind is uuid.UUID:
        return uuid.uuid4()
    if kind is dt.datetime and value.tzinfo is not None:
        return _EPOCH + dt.timedelta(microseconds=secrets.randbelow(10**15))
    return dt.date(1901, 1, 1) + dt.timedelta(days=secrets.randbelow(20_000))


def _conversions(connection: Any) -> tuple[Callable[[Any], Any], ...]:
    """How Django may turn a value into its parameter on this database."""
    ops = connection.ops
    return (
        lambda v: v,
        lambda v: v.hex,  # UUID on SQLite
        str,
        ops.adapt_datetimefield_value,  # naive UTC text on SQLite
        ops.adapt_datefield_value,
    )


class _Query:
    """What a `QuerySet` needs of its query to be iterated: a compiler."""

    def __init__(self, compiler: SQLCompiler) -> None:
        self.compiler = compiler

    def get_compiler(self, using: str | None = None, **kwargs: Any) -> SQLCompiler:
        return self.compiler


class _Compiled:
    __slots__ = ("compiler", "converters", "model", "params", "slots", "sql")

    def __init__(
        self,
        model: type[Model],
        compiler: SQLCompiler,
        sql: str,
        params: list[Any],
        slots: list[tuple[int, str, Callable[[Any], Any]]],
    ) -> None:
        self.model, self.compiler, self.sql = model, compiler, sql
        self.params, self.slots = params, slots
        # The value converters of the selected columns (Django works them out for every
        # run; they depend only on the columns).
        self.converters = compiler.get_converters(
            [column[0] for column in compiler.select[0 : compiler.col_count]]
        )

    def rows(self, values: dict[str, Any], using: str) -> list[Any]:
        params = list(self.params)
        for position, name, convert in self.slots:
            params[position] = convert(values[name])
        compiler = copy.copy(self.compiler)
        statement = self.sql
        converters = self.converters
        compiler.as_sql = lambda *args, **kwargs: (statement, tuple(params))  # type: ignore[method-assign]
        compiler.get_converters = lambda expressions: converters  # type: ignore[method-assign]
        return list(QuerySet(model=self.model, query=_Query(compiler), using=using))  # type: ignore[arg-type]


def _compile(
    build: Callable[..., QuerySet[Any]], values: dict[str, Any], using: str
) -> _Compiled | None:
    """The compiled shape of `build`, or None when it cannot be run with new values."""
    replaced = {name: _stand_in(v) for name, v in values.items() if _replaced(v)}
    queryset = build(**{**values, **replaced})
    prefetch: tuple[Any, ...] = queryset._prefetch_related_lookups  # type: ignore[attr-defined]
    if queryset._iterable_class is not ModelIterable or prefetch:
        raise TypeError("prepared.run takes a plain model queryset (no values(), no prefetch)")
    connection = connections[using]
    compiler = queryset.query.get_compiler(using=using)
    try:
        sql, params = compiler.as_sql()
    except (EmptyResultSet, FullResultSet):  # the ORM decides without a statement
        return None
    params = list(params)
    slots: list[tuple[int, str, Callable[[Any], Any]]] = []
    for name, stand_in in replaced.items():
        found = [
            (position, convert)
            for position, param in enumerate(params)
            for convert in _conversions(connection)
            if _same(_try(convert, stand_in), param)
        ]
        if len({position for position, _ in found}) != 1:
            return None
        position, convert = found[0]
        # Nowhere else either, in another form (inside an escaped pattern, an array, upper
        # case): its random part, in any case.
        marks = {str(stand_in)[-24:], str(convert(stand_in))[-24:]}
        if isinstance(stand_in, uuid.UUID):
            marks.add(stand_in.hex[-24:])
        marks = {mark.lower() for mark in marks}
        if any(
            mark in str(param).lower()
            for i, param in enumerate(params)
            if i != position
            for mark in marks
        ):
            return None
        slots.append((position, name, convert))
    return _Compiled(queryset.model, compiler, sql, params, slots)


def _try(convert: Callable[[Any], Any], value: Any) -> Any:
    try:
        return convert(value)
    except (AttributeError, TypeError, ValueError):
        return _NOTHING


_NOTHING = object()


def _same(converted: Any, param: Any) -> bool:
    return converted is not _NOTHING and type(converted) is type(param) and converted == param


def run(
    key: Hashable,
    build: Callable[..., QuerySet[M]],
    *,
    using: str = DEFAULT_DB_ALIAS,
    **values: Any,
) -> list[M]:
    """The rows of `build(**values)`, compiled once per connection for `key` and the shape
    of `values` (see the module's contract)."""
    shape = (
        key,
        tuple(
            (name, type(v)) if _replaced(v) else (name, type(v), v)
            for name, v in sorted(values.items())
        ),
    )
    connection = connections[using]
    cache: OrderedDict[Hashable, _Compiled | None] | None = getattr(
        connection, "_felles_prepared", None
    )
    if cache is None:
        cache = OrderedDict()
        setattr(connection, "_felles_prepared", cache)  # noqa: B010 - one per connection
    if shape in cache:
        compiled = cache[shape]
        cache.move_to_end(shape)
    else:
        compiled = cache[shape] = _compile(build, values, using)
        if len(cache) > LIMIT:
            cache.popitem(last=False)
    if compiled is None:
        return list(build(**values))
    rows: list[M] = compiled.rows(values, using)
    return rows
