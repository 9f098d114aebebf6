"""Template context shared by every page: the signed-in person and the navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from felles.organisations import selectors
from felles.web.menu import menu_for
from felles.web.search import MAX_QUERY_LENGTH


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)  # absent on error pages before authentication ran
    if user is None or not user.is_authenticated:
        return {"nav_groups": []}
    return {
        "nav_groups": menu_for(user, request.path),
        "me": selectors.person_for(user),
        "search_max_length": MAX_QUERY_LENGTH,
    }
