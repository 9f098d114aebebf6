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
every time: slower, not wrong.

`insert(obj)` is the same for a new row: its `INSERT … RETURNING` statement is built once
per model and database instead of by Django's insert compiler on every `save()`.
Tests: core/tests/test_prepared.py."""

from __future__ import annotations

import datetime as dt
import inspect
import secrets
import uuid
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar, cast

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Model, QuerySet, signals
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query import (  # type: ignore[attr-defined]  # not in the stubs
    ModelIterable,
    get_related_populators,
)
from django.db.models.query_utils import DeferredAttribute
from django.db.models.sql.compiler import SQLCompiler

from felles.core.bulk import PLAIN_TYPES

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


def _maker(model: type[Model], init_list: list[str], db: str) -> Callable[[Any], Any]:
    """How to make a `model` object from a row's values for the columns `init_list`, as
    `model.from_db` does: the values straight into the new object's `__dict__`, which is
    what `Model.__init__` comes to for a new object (its `setattr` per field goes to the
    instance dictionary, or through a foreign key's descriptor that only clears a cache a
    new object does not have), at a fifth of the cost. `from_db` itself for a model that
    overrides it or `__init__`, whose fields have other descriptors, or with `pre_init` or
    `post_init` receivers (asked when the statement is compiled: a receiver connected
    later, which no app does, is not seen by statements compiled before it)."""
    plain = (
        model.from_db.__func__ is Model.from_db.__func__  # type: ignore[attr-defined]
        and not any("__init__" in vars(c) for c in model.__mro__ if c not in (Model, object))
        and not signals.pre_init.has_listeners(model)
        and not signals.post_init.has_listeners(model)
        and all(
            type(inspect.getattr_static(model, name, None)) in _PLAIN_DESCRIPTORS
            for name in init_list
        )
    )
    if not plain:
        return lambda values: model.from_db(db, init_list, values)
    new, names = model.__new__, tuple(init_list)

    def make(values: Any) -> Any:
        obj = new(model)
        state = obj.__dict__["_state"] = ModelState()
        state.adding, state.db = False, db
        obj.__dict__.update(zip(names, values, strict=True))
        return obj

    return make


_PLAIN_DESCRIPTORS = (DeferredAttribute, ForeignKeyDeferredAttribute)


class _Populator:
    """Django's `RelatedPopulator` (a `select_related` row's joined object), making its
    objects with `_maker`."""

    __slots__ = ("children", "make", "source")

    def __init__(self, source: Any) -> None:
        self.source = source
        self.make = _maker(source.model_cls, source.init_list, source.db)
        self.children = [_Populator(child) for child in source.related_populators]

    def populate(self, row: Any, from_obj: Any) -> None:
        source = self.source
        if source.reorder_for_init:
            values = source.reorder_for_init(row)
        else:
            values = row[source.cols_start : source.cols_end]
        if values[source.pk_idx] is None:
            obj = None
        else:
            obj = self.make(values)
            for child in self.children:
                child.populate(row, obj)
        source.local_setter(from_obj, obj)
        if obj is not None:
            source.remote_setter(obj, from_obj)


class _Compiled:
    """A compiled shape: its statement, where the replaced values go, and what Django's
    `ModelIterable` works out anew on every run to build the objects (the columns' value
    converters, the `select_related` populators), worked out once."""

    __slots__ = (
        "annotations",
        "converters",
        "end",
        "make",
        "params",
        "populators",
        "slots",
        "sql",
        "start",
    )

    def __init__(
        self,
        compiler: SQLCompiler,
        columns: list[Any],
        sql: str,
        params: list[Any],
        slots: list[tuple[int, str, Callable[[Any], Any]]],
        using: str,
    ) -> None:
        self.sql, self.params, self.slots = sql, params, slots
        select, klass_info = compiler.select, compiler.klass_info
        assert klass_info is not None  # a model queryset selects its model's columns
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        init_list = [column[0].target.attname for column in select[self.start : self.end]]
        self.make = _maker(klass_info["model"], init_list, using)
        self.populators = [
            _Populator(populator) for populator in get_related_populators(klass_info, select, using)
        ]
        self.annotations = list(compiler.annotation_col_map.items())
        self.converters = list(compiler.get_converters(columns).items())

    def rows(self, values: dict[str, Any], connection: Any) -> list[Any]:
        params = list(self.params)
        for position, name, convert in self.slots:
            params[position] = convert(values[name])
        converters, start, end, make = self.converters, self.start, self.end, self.make
        found = []
        for fetched in _fetch(connection, self.sql, params):
            row = list(fetched) if converters else fetched
            for position, (functions, expression) in converters:
                value = row[position]
                for function in functions:
                    value = function(value, expression, connection)
                row[position] = value
            obj = make(row[start:end])
            for populator in self.populators:
                populator.populate(row, obj)
            for name, position in self.annotations:
                setattr(obj, name, row[position])
            found.append(obj)
        return found


def execute(
    sql: str, params: list[Any] | None = None, *, rows: bool = True, using: str = DEFAULT_DB_ALIAS
) -> list[Any]:
    """Run one hand-written statement (placeholders `%s`) through the connection's kept
    cursor and return its rows (`rows=False`: a statement that returns none, e.g. an
    UPDATE without RETURNING): for the plain statements of hot paths (the audit chain's
    head, order numbers, the catalogue's revision), for which Django's cursor wrapper would
    otherwise be made afresh."""
    return _fetch(connections[using], sql, params, rows)


def _fetch(connection: Any, sql: str, params: list[Any] | None, fetch: bool = True) -> list[Any]:
    """The rows of a statement, through one cursor kept for the connection: Django's
    cursor wrapper is made afresh for every statement. Django's own path is taken whenever
    it does more than run the statement: when statements are logged or counted (debug,
    tests), wrapped (`execute_wrapper`) or the connection is to be health-checked."""
    kept = getattr(connection, "_felles_cursor", None)
    stale = kept is None or kept[0] is not connection.connection
    if (
        stale
        or connection.queries_logged
        or connection.execute_wrappers
        or (connection.health_check_enabled and not connection.health_check_done)
    ):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows: list[Any] = cursor.fetchall() if fetch else []
        if stale and not connection.queries_logged and not connection.execute_wrappers:
            # The database API's own cursor (psycopg's; Django's SQLite one, which also
            # converts the placeholders), made as Django makes it (time zone loader).
            with connection.wrap_database_errors:
                raw = connection.create_cursor()
            setattr(connection, "_felles_cursor", (connection.connection, raw))  # noqa: B010
        return rows
    cursor = kept[1]  # type: ignore[index]  # not stale: kept
    connection.validate_no_broken_transaction()
    with connection.wrap_database_errors:
        cursor.execute(sql, params)
        fetched: list[Any] = cursor.fetchall() if fetch else []
        return fetched


def _compile(
    build: Callable[..., QuerySet[Any]], values: dict[str, Any], using: str
) -> _Compiled | None:
    """The compiled shape of `build`, or None when it cannot be run with new values."""
    replaced = {name: _stand_in(v) for name, v in values.items() if _replaced(v)}
    queryset = build(**{**values, **replaced})
    prefetch: tuple[Any, ...] = queryset._prefetch_related_lookups  # type: ignore[attr-defined]
    if queryset._iterable_class is not ModelIterable or prefetch:
        raise TypeError("prepared.run takes a plain model queryset (no values(), no prefetch)")
    if queryset._known_related_objects:  # type: ignore[attr-defined]
        return None  # a related manager's queryset: Django sets the known objects
    connection = connections[using]
    compiler = queryset.query.get_compiler(using=using)
    try:
        sql, params = compiler.as_sql()
    except (EmptyResultSet, FullResultSet):  # the ORM decides without a statement
        return None
    columns = [column[0] for column in compiler.select[0 : compiler.col_count]]
    if compiler.has_composite_fields(columns):
        return None  # composite keys: rows need Django's tuple conversion
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
    return _Compiled(compiler, columns, sql, params, slots, using)


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
    cache: OrderedDict[Hashable, object] | None = getattr(connection, "_felles_prepared", None)
    if cache is None:
        cache = OrderedDict()
        setattr(connection, "_felles_prepared", cache)  # noqa: B010 - one per connection
    found = cache.get(shape, _NOTHING)
    if found is _NOTHING:
        compiled = cache[shape] = _compile(build, values, using)
        if len(cache) > LIMIT:
            cache.popitem(last=False)
    else:
        compiled = cast("_Compiled | None", found)
        cache.move_to_end(shape)
    if compiled is None:
        return list(build(**values))
    rows: list[M] = compiled.rows(values, connection)
    return rows


_INSERTS: dict[tuple[str, type[Model]], tuple[str, list[tuple[Any, frozenset[type]]]]] = {}


def insert(obj: M, *, using: str = DEFAULT_DB_ALIAS) -> M:
    """Insert the new object `obj` as `obj.save()` would (`Model.objects.create`), with a
    statement built once per model and database: every concrete field but the automatic
    key through its `pre_save` (`auto_now`, `auto_now_add`) and `get_db_prep_save`, the new
    key read back with `RETURNING`. No `save()` override and no save signal runs: for the
    rows of hot paths whose models have neither (an order submission writes seven)."""
    model = type(obj)
    if not obj._state.adding or (model._meta.auto_field is not None and obj.pk is not None):
        raise TypeError("prepared.insert writes new objects only (no key of their own)")
    connection = connections[using]
    statement = _INSERTS.get((using, model))
    if statement is None:
        statement = _INSERTS[(using, model)] = _insert_statement(model, connection)
    sql, fields = statement
    obj._prepare_related_fields_for_save(operation_name="save")  # type: ignore[attr-defined]
    params = []
    for field, as_is in fields:
        value = field.pre_save(obj, True)
        # A value the driver takes as it is (a str for a text column, an int for an integer
        # one); anything else (a lazy translation, an int for a text column, …) as the ORM
        # prepares it.
        if type(value) not in as_is:
            value = field.get_db_prep_save(value, connection)
        params.append(value)
    with transaction.mark_for_rollback_on_error(using):  # as save() does
        [(key,)] = _fetch(connection, sql, params)
    if model._meta.auto_field is not None:
        obj.pk = key
    obj._state.adding, obj._state.db = False, using
    return obj


_NONE = type(None)
# The Python types each plain kind of column takes without preparing (bulk.PLAIN_TYPES).
_AS_IS: dict[str, set[type]] = {
    "CharField": {str},
    "SlugField": {str},
    "TextField": {str},
    "BooleanField": {bool},
}


def _insert_statement(
    model: type[Model], connection: Any
) -> tuple[str, list[tuple[Any, frozenset[type]]]]:
    meta = model._meta
    fields: list[Any] = [f for f in meta.concrete_fields if f is not meta.auto_field]
    if meta.parents or any(f.generated or f.has_db_default() for f in fields):
        raise TypeError(f"prepared.insert: {meta.label} has parents or database defaults")
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {quote(meta.pk.column)}"
    )
    as_is: list[frozenset[type]] = []
    for field in fields:
        kind = (field.target_field if field.is_relation else field).get_internal_type()
        plain = kind in PLAIN_TYPES
        as_is.append(frozenset({*_AS_IS.get(kind, {int}), _NONE}) if plain else frozenset())
    return sql, list(zip(fields, as_is, strict=True))
