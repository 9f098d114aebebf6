"""Felles's PostgreSQL engine compiles exactly the SQL Django's own would."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.backends.postgresql.operations import DatabaseOperations as DjangoOperations
from django.db.models.functions import Cast

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")


def _sql(queryset) -> str:
    return str(queryset.query.get_compiler(using="default").as_sql()[0])


def test_joins_compile_as_with_djangos_operations(db) -> None:
    from felles.orders.models import ApprovalStep, Order

    querysets = [
        Order.objects.select_related("service", "ministry", "orderer", "assignee").filter(
            steps__approver__organisation__abbreviation="KUD"
        ),
        ApprovalStep.objects.select_related("approver", "decided_by", "order__service"),
    ]
    ours = [_sql(q) for q in querysets]
    ours_again = [_sql(q) for q in querysets]  # from what the connection remembered
    stock = connection.ops
    connection.ops = DjangoOperations(connection)
    try:
        django = [_sql(q) for q in querysets]
    finally:
        connection.ops = stock
    assert ours == ours_again == django


def test_columns_of_different_types_are_still_cast(db) -> None:
    from felles.orders.models import Order

    number, quantity = Order._meta.get_field("number"), Order._meta.get_field("quantity")
    for _ in range(2):  # the second answer is the remembered one
        _lhs, rhs = connection.ops.prepare_join_on_clause("a", number, "b", quantity)
        assert isinstance(rhs, Cast)
        _lhs, rhs = connection.ops.prepare_join_on_clause("a", number, "b", number)
        assert not isinstance(rhs, Cast)


def test_psycopg_keeps_the_conversion_of_the_long_order_read(db) -> None:
    """The setting raised in felles.core.postgresql exists in this psycopg (an upgrade that
    renames it fails here rather than quietly converting the order read every time)."""
    from psycopg import _queries

    assert _queries.MAX_CACHED_STATEMENT_LENGTH == 16384


def test_timestamps_load_as_djangos_loader_loads_them(db) -> None:
    """psycopg's C loader behind `UtcTimestamptzLoader` gives what Django's loader gives:
    the same aware datetimes in `datetime.timezone.utc`, for every kind of value, on every
    cursor Django makes (no cursor goes back to Django's loader)."""
    import datetime as dt

    from django.db.backends.postgresql.psycopg_any import BaseTzLoader

    from felles.core.postgresql.base import UtcTimestamptzLoader

    values = [
        "2026-12-04 02:44:35.346319+00",
        "2026-03-29 00:59:59.999999+00",  # the spring night in Oslo
        "2026-10-25 01:30:00+02",
        "1969-12-31 23:59:59.5-05",
        "0001-01-01 00:00:00+00",
        "9999-12-31 23:59:59.999999+00",
    ]
    sql = "SELECT " + ", ".join(f"'{v}'::timestamptz" for v in values) + ", NULL::timestamptz"
    with connection.cursor() as cursor:
        assert cursor.cursor.adapters.get_loader(1184, 0) is UtcTimestamptzLoader
        cursor.execute(sql)
        ours = cursor.fetchone()

        class DjangosLoader(BaseTzLoader):
            timezone = dt.UTC

        cursor.cursor.adapters.register_loader("timestamptz", DjangosLoader)
        cursor.execute(sql)
        djangos = cursor.fetchone()
    assert ours == djangos
    assert ours[-1] is None
    assert all(value.tzinfo is dt.UTC for value in ours[:-1])
    assert ours[0] == dt.datetime(2026, 12, 4, 2, 44, 35, 346319, tzinfo=dt.UTC)


def test_djangos_shared_adapters_keep_djangos_loader(db) -> None:
    """The C-backed loader is registered on a copy: the template Django caches for every
    PostgreSQL connection of the process (another database alias, a stock engine) keeps
    Django's own loader."""
    import datetime as dt

    from django.db.backends.postgresql.psycopg_any import BaseTzLoader, get_adapters_template

    connection.ensure_connection()
    assert issubclass(get_adapters_template(True, dt.UTC).get_loader(1184, 0), BaseTzLoader)
