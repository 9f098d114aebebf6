"""Per-action permissions, declared next to the endpoint.

A `Rule` is a named predicate over the user. Views use `@requires(rule)`, API operations
`@api_requires(rule)`; public views say so with `@public`. The access-matrix test walks
every URL and API route and fails for any endpoint that declares nothing.

Rules decide whether a user may perform an *action*. Whether a user may see a particular
*object* is decided by the model's `visible_to(user)` queryset, and an object outside it is
always a 404 (never a 403 that would leak its existence).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from felles.core.errors import Forbidden, RefusedByService
from felles.core.types import AnyUser

UserCheck = Callable[[Any], bool]


class Rule:
    """A named permission predicate. Combine with `|` and `&`."""

    def __init__(self, name: str, check: UserCheck) -> None:
        self.name = name
        self._check = check

    def __call__(self, user: AnyUser) -> bool:
        return bool(
            user is not None and user.is_authenticated and user.is_active and self._check(user)
        )

    def __or__(self, other: Rule) -> Rule:
        return Rule(f"({self.name} | {other.name})", lambda u: self(u) or other(u))

    def __and__(self, other: Rule) -> Rule:
        return Rule(f"({self.name} & {other.name})", lambda u: self(u) and other(u))

    def __repr__(self) -> str:
        return f"Rule({self.name})"


authenticated = Rule("authenticated", lambda user: True)

PUBLIC = Rule("public", lambda user: True)


def public(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a view as open to anonymous users (login page, health check)."""
    view.felles_rule = PUBLIC  # type: ignore[attr-defined]
    return view


def requires(rule: Rule) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Web views: anonymous users go to the login page; users the rule refuses get 403."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not rule(request.user):
                raise PermissionDenied(rule.name)
            try:
                return view(request, *args, **kwargs)
            except Forbidden as exc:  # a service refused this user: the one place → 403
                raise RefusedByService(exc.message) from exc

        wrapper.felles_rule = rule  # type: ignore[attr-defined]
        return wrapper

    return decorate


def api_requires(rule: Rule) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """API operations: authentication is the router's job (401); a refused rule is 403."""
    from ninja.errors import HttpError

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if not rule(request.user):
                raise HttpError(403, "Du har ikke tilgang til denne handlingen.")
            return view(request, *args, **kwargs)

        wrapper.felles_rule = rule  # type: ignore[attr-defined]
        return wrapper

    return decorate


M = TypeVar("M", bound=Model)


def get_visible_or_404(queryset: QuerySet[M], **lookup: Any) -> M:
    """Resolve one object from an already user-restricted queryset; 404 if absent.

    Malformed ids (e.g. a bad UUID) are treated as missing, not as server errors.
    """
    try:
        return queryset.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise Http404 from exc


def signed_in_user(request: HttpRequest) -> User:
    """The request's user, typed as a real user: for code behind `@requires`/`@api_requires`
    (which already refused anonymous users)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied("not signed in")
    return user
