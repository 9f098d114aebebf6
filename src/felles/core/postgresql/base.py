"""Django's PostgreSQL backend with the type comparison of joins remembered.

For every join it compiles, Django's PostgreSQL operations compare the database types of
the two columns (to cast one when they differ), and a foreign key to an auto field answers
by building a new field object each time: about 35 µs a join, a millisecond for an order
read with its approver, service, ministry and people joined. The answer depends only on
the two fields, so it is kept per connection. `DATABASE_URL=postgres://…` selects this
engine (conf/settings.py); the connection's vendor stays "postgresql".

It also lets psycopg keep the conversion of longer statements, and reads `timestamptz`
values with psycopg's C loader (both below)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.backends.postgresql import base, operations
from django.db.models.functions import Cast
from psycopg import _queries, adapters
from psycopg.adapt import AdaptersMap, Loader
from psycopg.pq import Format

# psycopg turns a statement's `%s` placeholders into `$n` on every run and keeps the result
# (an LRU of 128) only for statements up to 4 KB with at most 50 parameters, to keep long
# generated INSERTs of varying length out of it. The order reads (core.prepared) send the
# same 5–6 KB statement on every request: converting it was 3 % of a read. The parameter
# limit still keeps bulk INSERTs out. A psycopg without the setting is left as it is.
if hasattr(_queries, "MAX_CACHED_STATEMENT_LENGTH"):
    _queries.MAX_CACHED_STATEMENT_LENGTH = 16384


class DatabaseOperations(operations.DatabaseOperations):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._join_casts: dict[tuple[Any, Any], bool] = {}

    def prepare_join_on_clause(
        self, lhs_table: Any, lhs_field: Any, rhs_table: Any, rhs_field: Any
    ) -> tuple[Any, Any]:
        lhs_expr, rhs_col = BaseDatabaseOperations.prepare_join_on_clause(
            self, lhs_table, lhs_field, rhs_table, rhs_field
        )
        key = (lhs_field, rhs_field)
        cast = self._join_casts.get(key)
        if cast is None:
            cast = lhs_field.db_type(self.connection) != rhs_field.db_type(self.connection)
            self._join_casts[key] = cast
        return lhs_expr, Cast(rhs_col, lhs_field) if cast else rhs_col


# Django reads every `timestamptz` with its own loader, a subclass of psycopg's pure-Python
# one (≈ 5 µs a value; an order detail reads a few dozen): it relabels the value with the
# connection's time zone, and `create_cursor` compares that zone with the loader's
# `timezone`. psycopg's C loader (≈ 0.3 µs) cannot be subclassed, so a thin loader with
# the same `timezone` hands each value to it. Only for UTC, which Felles always uses
# (USE_TZ, no TIME_ZONE for the database): the session's zone is then UTC too (Django sets
# it on connecting), and the C loader gives the same aware datetime, in
# `datetime.timezone.utc`, as Django's.
_C_TIMESTAMPTZ: Any = adapters.get_loader(adapters.types["timestamptz"].oid, Format.TEXT)


class UtcTimestamptzLoader(Loader):
    timezone = dt.UTC

    def __init__(self, oid: int, context: Any = None) -> None:
        super().__init__(oid, context)
        self.load = _C_TIMESTAMPTZ(oid, context).load  # type: ignore[method-assign]

    def load(self, data: Any) -> Any:  # replaced per instance by the C loader's
        raise NotImplementedError


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def get_connection_params(self) -> dict[str, Any]:
        params: dict[str, Any] = super().get_connection_params()
        # A C loader (psycopg_binary's or psycopg_c's), not the pure-Python one.
        if self.timezone == dt.UTC and not _C_TIMESTAMPTZ.__module__.startswith("psycopg."):
            params["context"] = _with_c_loader(params["context"])
        return params


_WITH_C_LOADER: dict[AdaptersMap, AdaptersMap] = {}


def _with_c_loader(template: AdaptersMap) -> AdaptersMap:
    """Django's adapters for new connections (a template it caches and shares with every
    PostgreSQL connection of the process) extended by the C-backed loader: a copy, made
    once per template, so the shared one stays Django's."""
    extended = _WITH_C_LOADER.get(template)
    if extended is None:
        extended = AdaptersMap(template)
        extended.register_loader("timestamptz", UtcTimestamptzLoader)
        _WITH_C_LOADER[template] = extended
    return extended
