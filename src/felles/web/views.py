"""Pages that belong to no single domain: start page, health and error pages (the
login page is felles.signin's)."""

from __future__ import annotations

import sys
from typing import Any

from django.db import DataError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.i18n import set_language as django_set_language

from felles.core.errors import RefusedByService
from felles.core.middleware import data_error_message, error_response
from felles.core.permissions import authenticated, public, requires
from felles.orders import selectors as order_selectors
from felles.organisations import selectors
from felles.web import dashboards
from felles.web import search as web_search


@requires(authenticated)
def home(request: HttpRequest) -> HttpResponse:
    """The start page answers "who am I here, and what needs me now?": a card per question
    the reader's roles ask first (felles.web.dashboards)."""
    person = selectors.person_for(request.user)
    today = timezone.localdate()
    context: dict[str, Any] = {"person": person, "today": today}
    if person is not None:
        context.update(
            dashboards.cards_for(request.user, person),
            my_open=dashboards.my_open_orders(request.user, person),
            notifications=order_selectors.unread_notifications(request.user)[:8],
            roles=person.roles.select_related("organisation").prefetch_related(
                "served_organisations"
            ),
            reports=person.reports.filter(active=True).select_related("unit"),
            my_absences=person.absences.filter(ends_on__gte=today).select_related("substitute"),
            substituting=person.substitute_for.filter(
                starts_on__lte=today, ends_on__gte=today
            ).select_related("person"),
        )
    return render(request, "web/home.html", context)


@requires(authenticated)
def search(request: HttpRequest) -> HttpResponse:
    """The header's search: services, orders by number and people the user may see."""
    results = web_search.search(request.user, request.GET.get("q", ""))
    template = "web/_search_results.html" if request.htmx else "web/search.html"
    return render(request, template, {"results": results})


set_language = public(django_set_language)


@public
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness and database check for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # the point is to answer, whatever the database says
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


# The error handlers answer JSON under /api/ and a page elsewhere, and need nothing that
# middleware provides (a request refused for its Host header never reaches the session,
# the language or authentication): `core.middleware.error_response`.


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Requests Django refuses before any view runs (an unknown Host, too many fields, a
    body too large): JSON for API clients, a page for people."""
    return error_response(
        request,
        400,
        _("Forespørselen kunne ikke leses"),
        _(
            "Forespørselen kunne ikke leses (for stor, med for mange felt eller til en ukjent "
            "adresse). Del den opp, eller kontakt brukerstøtte."
        ),
    )


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RefusedByService):  # the service said why, in bokmål
        return error_response(request, 403, _("Du har ikke tilgang"), exception.message)
    return error_response(
        request,
        403,
        _("Du har ikke tilgang"),
        _(
            "Denne siden krever en rolle du ikke har. Kontakt bestillerkoordinatoren eller "
            "administratoren i virksomheten din hvis du mener du skal ha tilgang."
        ),
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django's CSRF check refused a form post (CSRF_FAILURE_VIEW)."""
    return error_response(
        request,
        403,
        _("Skjemaet er utløpt"),
        _(
            "Skjemaet kunne ikke sendes fordi sikkerhetsnøkkelen manglet eller var utløpt. "
            "Last siden på nytt og prøv igjen. Ingenting er lagret."
        ),
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return error_response(
            request, 404, "", "Fant ikke adressen i API-et. Se /api/v1/docs for operasjonene."
        )
    return error_response(
        request,
        404,
        _("Fant ikke siden"),
        _(
            "Siden finnes ikke, eller du har ikke tilgang til den. Sjekk adressen, eller gå "
            "tilbake til forsiden."
        ),
    )


DATABASE_DOWN = gettext_lazy(
    "Felles får ikke kontakt med databasen akkurat nå. Ingenting av det du sendte er lagret. "
    "Vent et øyeblikk og prøv igjen."
)


def server_error(request: HttpRequest) -> HttpResponse:
    """500, or 503 when the database is unreachable. That page needs no database (no
    navigation, no user), so it renders even while the database is down."""
    failure = sys.exc_info()[1]
    if isinstance(failure, OperationalError | InterfaceError):
        if request.path.startswith("/api/"):
            response: HttpResponse = JsonResponse(
                {"message": str(DATABASE_DOWN), "errors": {}}, status=503
            )
        else:
            response = HttpResponse(
                render_to_string("web/unavailable.html", {"text": DATABASE_DOWN}), status=503
            )
        response["Retry-After"] = "30"
        return response
    if isinstance(failure, DataError):
        # A value the database cannot hold (raised outside a view, e.g. in middleware).
        return error_response(
            request, 422, _("Verdiene kunne ikke lagres"), data_error_message(failure)
        )
    return error_response(
        request,
        500,
        _("Noe gikk galt hos oss"),
        _(
            "Ingenting av det du gjorde, er lagret halvveis. Prøv igjen om litt. Hvis feilen "
            "fortsetter, kontakt brukerstøtte og oppgi tidspunktet."
        ),
    )
