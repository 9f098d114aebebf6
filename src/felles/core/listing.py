"""Lists: every list page paginates the same way and keeps its filters in the URL, so a
filtered, sorted page can be linked to and exported."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PAGE_PARAM = "side"


def paginate(request: HttpRequest, items: Any, per_page: int = 50) -> dict[str, Any]:
    """Context for `web/pagination.html`: the page and the query string without the page."""
    page: Page[Any] = Paginator(items, per_page).get_page(request.GET.get(PAGE_PARAM))
    query = request.GET.copy()
    query.pop(PAGE_PARAM, None)
    return {"page": page, "query": query.urlencode()}
