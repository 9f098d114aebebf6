"""Build a fixture's rows once per test process, then copy them into each later test.

The standing personas (and the shop on top of them) take some 400 queries through the
service layer, audit chain included, and a thousand tests ask for them. `cached` runs the
fixture's builder the first time, inside that test's transaction, and notes every row it
wrote (new rows, pre-existing rows it changed, such as the audit chain's head, and rows it
deleted). A later
test that starts from the same state of those tables gets the same rows, column for column
and with the same primary keys, in a few multi-row INSERTs, and the fixture's objects are
fetched afresh from the database. The copy is only used when it is exact:

- only in a test that runs inside a transaction (`db`); transactional tests (live server,
  worker processes) always build, since their rows are committed and flushed;
- only if the tables the builder wrote hold what they held before the first build (row
  count, highest key, the changed rows' content); otherwise the builder runs again;
- a builder that wrote a table without an integer key is never copied;
- one copy per day (`timezone.localdate()`), so a frozen clock gets rows of its own day;
- FELLES_TEST_SNAPSHOTS=0 turns copying off (every test builds), to compare or to debug.

A test therefore sees what the builder would have written, except the timestamps of the
first build (same day, a little earlier). Each test still rolls back what it changes.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.db import connection, models
from django.utils import timezone

JSON_OIDS = {114: "json", 3802: "jsonb"}  # PostgreSQL type codes of json and jsonb

_SNAPSHOTS: dict[tuple[str, Any], _Snapshot | None] = {}


@dataclasses.dataclass
class _Table:
    name: str
    pk: str
    columns: list[str]
    inserted: list[tuple[Any, ...]]
    updated: list[tuple[Any, ...]]  # pre-existing rows as the builder left them
    before_updated: list[tuple[Any, ...]]  # … and as they were
    deleted: list[tuple[Any, ...]]  # pre-existing rows the builder deleted, as they were
    count: int  # rows before the build
    max_pk: Any


@dataclasses.dataclass
class _Snapshot:
    tables: list[_Table]
    refs: dict[str, Any]


def _tables() -> dict[str, str]:
    """Every table with an integer primary key → that key's column."""
    found: dict[str, str] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table in found:
            continue
        if isinstance(meta.pk, models.AutoField | models.BigAutoField | models.IntegerField):
            found[meta.db_table] = meta.pk.column
        else:
            found[meta.db_table] = ""
    return found


def _read(table: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {qn(table)}")  # noqa: S608 - our own table names
        columns = [c[0] for c in cursor.description]
        types = [getattr(c, "type_code", None) for c in cursor.description]
        json_columns = {i for i, code in enumerate(types) if code in JSON_OIDS}
        rows = cursor.fetchall()
    if json_columns:
        from psycopg.types.json import Jsonb

        # Django has psycopg hand json/jsonb over as text (JSONField parses it): parse it
        # here too, or the copy would store the text as one JSON string.
        rows = [
            tuple(
                Jsonb(json.loads(v) if isinstance(v, str) else v)
                if i in json_columns and v is not None
                else v
                for i, v in enumerate(r)
            )
            for r in rows
        ]
    return columns, [tuple(r) for r in rows]


def _state(tables: dict[str, str]) -> dict[str, tuple[list[str], dict[Any, tuple[Any, ...]]]]:
    state = {}
    for table, pk in tables.items():
        columns, rows = _read(table)
        if pk:
            index = columns.index(pk)
            state[table] = (columns, {r[index]: r for r in rows})
        else:
            state[table] = (columns, {i: r for i, r in enumerate(sorted(rows, key=repr))})
    return state


def _comparable(row: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(getattr(v, "obj", v) for v in row)  # Jsonb wraps the value in .obj


def _diff(before: dict, after: dict, tables: dict[str, str]) -> list[_Table] | None:
    changed = []
    for table, (columns, rows) in after.items():
        old = before[table][1]
        deleted = [old[k] for k in old.keys() - rows.keys()]
        inserted = [rows[k] for k in rows.keys() - old.keys()]
        kept = rows.keys() & old.keys()
        updated = [k for k in kept if _comparable(rows[k]) != _comparable(old[k])]
        if not inserted and not updated and not deleted:
            continue
        if not tables[table]:
            return None  # no integer key to copy by
        changed.append(
            _Table(
                name=table,
                pk=tables[table],
                columns=columns,
                inserted=sorted(inserted, key=lambda r: r[columns.index(tables[table])]),
                updated=[rows[k] for k in updated],
                before_updated=[old[k] for k in updated],
                deleted=deleted,
                count=len(old),
                max_pk=max(old) if old else None,
            )
        )
    return changed


def _matches(table: _Table) -> bool:
    """Whether `table` now holds what it held before the first build."""
    qn = connection.ops.quote_name
    pk = qn(table.pk)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*), MAX({pk}) FROM {qn(table.name)}")  # noqa: S608
        count, max_pk = cursor.fetchone()
    if (count, max_pk) != (table.count, table.max_pk):
        return False
    expected = table.before_updated + table.deleted
    if not expected:
        return True
    index = table.columns.index(table.pk)
    keys = [r[index] for r in expected]
    _, rows = _read(table.name)
    now = {r[index]: _comparable(r) for r in rows if r[index] in keys}
    return all(now.get(r[index]) == _comparable(r) for r in expected)


def _restore(snapshot: _Snapshot) -> None:
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in snapshot.tables:
            if not table.inserted:
                continue
            columns = ", ".join(qn(c) for c in table.columns)
            marks = ", ".join(["%s"] * len(table.columns))
            cursor.executemany(
                f"INSERT INTO {qn(table.name)} ({columns}) VALUES ({marks})",  # noqa: S608
                table.inserted,
            )
        for table in snapshot.tables:
            if not table.updated:
                continue
            index = table.columns.index(table.pk)
            others = [c for c in table.columns if c != table.pk]
            assignments = ", ".join(f"{qn(c)} = %s" for c in others)
            cursor.executemany(
                f"UPDATE {qn(table.name)} SET {assignments} WHERE {qn(table.pk)} = %s",  # noqa: S608
                [
                    [v for i, v in enumerate(row) if i != index] + [row[index]]
                    for row in table.updated
                ],
            )
        for table in snapshot.tables:
            if table.deleted:
                index = table.columns.index(table.pk)
                cursor.executemany(
                    f"DELETE FROM {qn(table.name)} WHERE {qn(table.pk)} = %s",  # noqa: S608
                    [[row[index]] for row in table.deleted],
                )


def _cached_paths(instance: models.Model, prefix: str = "", depth: int = 2) -> list[str]:
    """The related objects `instance` holds loaded (`person.user`, `person.unit`), as
    select_related paths, so the copy asks the database no more than the build's object."""
    paths = []
    for name, related in instance._state.fields_cache.items():
        if related is None or depth == 0:
            continue
        paths.append(prefix + name)
        paths += _cached_paths(related, f"{prefix}{name}__", depth - 1)
    return paths


def _refs(value: Any) -> Any:
    """Model instances in `value` (an object's attributes, a dict, a list) as (model, pk)."""
    if isinstance(value, models.Model):
        return ("model", type(value), value.pk, _cached_paths(value))
    if isinstance(value, dict):
        kinds = {type(v) for v in value.values()}
        if len(kinds) == 1 and issubclass(next(iter(kinds)), models.Model):
            paths = sorted({p for v in value.values() for p in _cached_paths(v)})
            return ("models", next(iter(kinds)), {k: v.pk for k, v in value.items()}, paths)
        return ("dict", {k: _refs(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return ("list", [_refs(v) for v in value])
    return ("value", value)


def _fetch(ref: Any) -> Any:
    kind, *rest = ref
    if kind == "model":
        model, pk, paths = rest
        return model._default_manager.select_related(*paths).get(pk=pk)
    if kind == "models":  # a dict of one model's rows, in one query
        model, keys, paths = rest
        rows = model._default_manager.select_related(*paths).in_bulk(list(keys.values()))
        return {k: rows[pk] for k, pk in keys.items()}
    if kind == "dict":
        return {k: _fetch(v) for k, v in rest[0].items()}
    if kind == "list":
        return [_fetch(v) for v in rest[0]]
    return rest[0]


def cached(name: str, build: Callable[[], Any], into: Callable[[dict[str, Any]], Any]) -> Any:
    """`build()`'s object, built in this test or copied from its first build (see the
    module's docstring). `build` returns an object whose attributes (`vars`) are model
    instances, dicts or lists of them, or plain values; `into(attributes)` makes the same
    kind of object again from attributes fetched afresh."""
    if not connection.in_atomic_block or os.environ.get("FELLES_TEST_SNAPSHOTS") == "0":
        return build()  # a transactional test: committed rows are not ours to copy
    key = (name, timezone.localdate())
    snapshot = _SNAPSHOTS.get(key)
    if snapshot is not None and all(_matches(t) for t in snapshot.tables):
        _restore(snapshot)
        return into({k: _fetch(v) for k, v in snapshot.refs.items()})
    if key in _SNAPSHOTS and snapshot is None:
        return build()  # not copyable
    tables = _tables()
    before = _state(tables)
    result = build()
    changed = _diff(before, _state(tables), tables)
    _SNAPSHOTS[key] = (
        None
        if changed is None
        else _Snapshot(tables=changed, refs={k: _refs(v) for k, v in vars(result).items()})
    )
    return result
