"""What the governance pages share."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from felles.core.permissions import Rule, requires

UNKNOWN_ACTION = Rule("unknown action", lambda user: False)
"""The gate of a POST naming an action the page does not have: refused (403) like any
action the user may not take."""


@requires(UNKNOWN_ACTION)
def unknown_action(request: HttpRequest, *args: Any) -> HttpResponse:  # pragma: no cover
    raise AssertionError("refused by its rule")
