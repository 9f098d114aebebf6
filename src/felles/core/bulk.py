"""Set-based writes for imports of thousands of rows.

Django's `bulk_update` builds a `CASE WHEN id = … THEN …` expression per field and row,
and compiling it costs more than the database's work (about a millisecond per row for a
person). `update_rows` sends one `UPDATE … FROM (VALUES …)` per batch instead, which both
PostgreSQL and SQLite (3.33+) run as a join. The values go through each field's
`get_db_prep_save`, as the ORM would send them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models

# SQLite allows 32 766 bound parameters per statement (3.32+); PostgreSQL 65 535.
MAX_PARAMETERS = 30_000
# On PostgreSQL each column is one array parameter (`unnest`): rows per statement.
PG_ROWS = 5_000


# Fields whose Python values (str, int, bool, None) the drivers take as they are: no
# `get_db_prep_save` per value for them (it is most of the Python time of a bulk write).
PLAIN_TYPES = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "IntegerField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SlugField",
        "SmallAutoField",
        "SmallIntegerField",
        "TextField",
    }
)


def _preparer(field: Any) -> Any:
    """A function preparing a value of `field` for the database."""
    target = field.target_field if field.is_relation else field
    if target.get_internal_type() in PLAIN_TYPES:
        return lambda value: value
    last: list[Any] = [object(), None]

    def prepare(value: Any) -> Any:
        # A bulk write often repeats one value (the same timestamp on every row).
        if value is not last[0]:
            last[:] = [value, field.get_db_prep_save(value, connection)]
        return last[1]

    return prepare


def _array_placeholder() -> str:
    """`%b` (binary) for the arrays when the connection binds on the server: psycopg's
    text array dumper escapes every element in Python, the binary one does not. A client-side
    binding connection (FELLES_PG_PREPARE_THRESHOLD=off) takes text only."""
    options = connection.settings_dict.get("OPTIONS", {})
    return "%b" if options.get("server_side_binding") else "%s"


def update_rows(objs: Sequence[models.Model], fields: Sequence[str]) -> int:
    """Write `fields` of each saved object in `objs` (one model) in as few statements as the
    parameter limit allows. Like `bulk_update`: no signals, no `auto_now` (set it yourself).
    Returns how many rows were updated."""
    if not objs:
        return 0
    model = type(objs[0])
    meta = model._meta
    columns: list[Any] = [meta.get_field(name) for name in fields]
    pk: Any = meta.pk
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    postgres = connection.vendor == "postgresql"

    def value_sql(field: Any) -> str:
        # PostgreSQL types a VALUES column by its first row and refuses to guess from a
        # NULL; SQLite needs no casts (and CAST would change text dates into numbers).
        return f"CAST(%s AS {field.db_type(connection)})" if postgres else "%s"

    names = ["pk", *(f"c{i}" for i in range(len(columns)))]
    row_sql = "(" + ", ".join(value_sql(f) for f in [pk, *columns]) + ")"
    assignments = ", ".join(
        f"{quote(field.column)} = v.{name}" for field, name in zip(columns, names[1:], strict=True)
    )
    per_statement = max(1, MAX_PARAMETERS // (len(columns) + 1))
    key, preps = _preparer(pk), [_preparer(field) for field in columns]
    updated = 0
    if postgres:
        arrays = ", ".join(
            f"{_array_placeholder()}::{f.db_type(connection)}[]" for f in [pk, *columns]
        )
        with connection.cursor() as cursor:
            for start in range(0, len(objs), PG_ROWS):
                chunk = objs[start : start + PG_ROWS]
                params: list[Any] = [[key(obj.pk) for obj in chunk]]
                params += [
                    [prep(field.pre_save(obj, False)) for obj in chunk]
                    for field, prep in zip(columns, preps, strict=True)
                ]
                cursor.execute(
                    f"UPDATE {table} SET {assignments} "  # noqa: S608
                    f"FROM unnest({arrays}) AS v({', '.join(names)}) "
                    f"WHERE {table}.{quote(pk.column)} = v.pk",
                    params,
                )
                updated += cursor.rowcount
        return updated
    with connection.cursor() as cursor:
        for start in range(0, len(objs), per_statement):
            chunk = objs[start : start + per_statement]
            flat: list[Any] = []
            for obj in chunk:
                flat.append(key(obj.pk))
                for field, prep in zip(columns, preps, strict=True):
                    flat.append(prep(field.pre_save(obj, False)))
            values = ", ".join([row_sql] * len(chunk))
            if postgres:
                source = f"(VALUES {values}) AS v({', '.join(names)})"
            else:
                # SQLite names VALUES columns column1, column2, …: rename them in a subquery.
                renamed = ", ".join(f"column{i + 1} AS {name}" for i, name in enumerate(names))
                source = f"(SELECT {renamed} FROM (VALUES {values})) AS v"  # noqa: S608
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM {source} "  # noqa: S608
                f"WHERE {table}.{quote(pk.column)} = v.pk",
                flat,
            )
            updated += cursor.rowcount
    return updated


def insert_values(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    returning: bool = False,
) -> list[Any]:
    """Insert `rows` (Python values for `fields`, in that order) into `model`'s table with
    multi-row INSERTs, each value prepared by its field as the ORM would. With `returning`,
    the new primary keys in row order (RETURNING, on PostgreSQL and SQLite 3.35+). Nothing
    is filled in: give every column without a database default."""
    if not rows:
        return []
    meta = model._meta
    columns: list[Any] = [meta.get_field(name) for name in fields]
    pk: Any = meta.pk
    quote = connection.ops.quote_name
    row_sql = "(" + ", ".join(["%s"] * len(columns)) + ")"
    head = (
        f"INSERT INTO {quote(meta.db_table)} "
        f"({', '.join(quote(field.column) for field in columns)})"
    )
    tail = f" RETURNING {quote(pk.column)}" if returning else ""
    preps = [_preparer(field) for field in columns]
    per_statement = max(1, MAX_PARAMETERS // len(columns))
    keys: list[Any] = []
    if connection.vendor == "postgresql":
        # One array per column, whatever the number of rows: PostgreSQL parses and plans a
        # statement of a few parameters instead of one with tens of thousands.
        arrays = ", ".join(
            f"{_array_placeholder()}::{field.db_type(connection)}[]" for field in columns
        )
        with connection.cursor() as cursor:
            for start in range(0, len(rows), PG_ROWS):
                chunk = rows[start : start + PG_ROWS]
                params = [[prep(row[i]) for row in chunk] for i, prep in enumerate(preps)]
                query = f"{head} SELECT * FROM unnest({arrays}){tail}"  # noqa: S608
                cursor.execute(query, params)
                if returning:
                    keys.extend(row[0] for row in cursor.fetchall())
        return keys
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            flat = [prep(value) for row in chunk for prep, value in zip(preps, row, strict=True)]
            cursor.execute(f"{head} VALUES {', '.join([row_sql] * len(chunk))}{tail}", flat)
            if returning:
                keys.extend(row[0] for row in cursor.fetchall())
    return keys


def insert_objects(objs: Sequence[models.Model]) -> None:
    """Insert new (unsaved) objects of one model, like `bulk_create`, and set their
    primary keys: every concrete field but the automatic key, each through its `pre_save`
    (so `auto_now` and `auto_now_add` are filled). No signals, no `save()`."""
    if not objs:
        return
    meta = objs[0]._meta
    fields = [f for f in meta.concrete_fields if f is not meta.auto_field]
    rows = [[field.pre_save(obj, True) for field in fields] for obj in objs]
    keys = insert_values(type(objs[0]), [f.name for f in fields], rows, returning=True)
    for obj, key in zip(objs, keys, strict=True):
        obj.pk = key
        obj._state.adding = False
        obj._state.db = connection.alias
