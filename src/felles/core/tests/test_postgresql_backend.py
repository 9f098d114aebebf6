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
