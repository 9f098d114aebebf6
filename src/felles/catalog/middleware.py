"""Within a read request (GET or HEAD) a person's handling teams are read once: the menu
asks `selectors.handling_reach` once per area (records, FOI, HR, security, rooms), the home
page's cards and the page's own rows ask again, each for the same person. A read request
changes no team, so the first answer holds for the rest of it; a write request (and code
outside a request) reads them every time."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from felles.catalog.selectors import handling_teams_read_once

READS = ("GET", "HEAD")


class HandlingTeamsOncePerReadMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in READS:
            return self.get_response(request)
        with handling_teams_read_once():
            return self.get_response(request)
