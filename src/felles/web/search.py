"""The header's search: services, orders by number and people, each through the visible
queryset of its app, so a search never shows what the user may not open."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from felles.catalog import selectors as catalog_selectors
from felles.core.types import AnyUser
from felles.orders import selectors as order_selectors
from felles.organisations import selectors as org_selectors

# Longer queries are cut here (the inputs say so with maxlength too); gunicorn's request
# line limit (conf/gunicorn.py) leaves room for this many characters even fully encoded.
MAX_QUERY_LENGTH = 200
PER_SECTION = 10
_HAS_DIGIT = re.compile(r"\d")


@dataclass
class Results:
    query: str = ""
    truncated: bool = False
    services: list[Any] = field(default_factory=list)
    orders: list[Any] = field(default_factory=list)
    people: list[Any] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.services) + len(self.orders) + len(self.people)


def clean_query(raw: str) -> tuple[str, bool]:
    """The query as searched (spaces collapsed, at most MAX_QUERY_LENGTH characters) and
    whether it was cut."""
    query = " ".join(raw.split())
    if len(query) > MAX_QUERY_LENGTH:
        return query[:MAX_QUERY_LENGTH].rstrip(), True
    return query, False


def search(user: AnyUser, raw: str) -> Results:
    query, truncated = clean_query(raw)
    results = Results(query=query, truncated=truncated)
    if not query:
        return results
    results.services = list(catalog_selectors.services_for(user).search(query)[:PER_SECTION])
    if _HAS_DIGIT.search(query):
        results.orders = list(
            order_selectors.orders_for(user)
            .filter(number__icontains=query)
            .select_related("service", "ministry")
            .order_by("-submitted_at")[:PER_SECTION]
        )
    results.people = list(
        org_selectors.filter_people(org_selectors.people_for(user), q=query).order_by(
            "last_name", "first_name"
        )[:PER_SECTION]
    )
    return results
