"""Core write operations: API tokens. Each runs in one transaction and is audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from felles.core import audit, tokens
from felles.core.actor import Actor
from felles.core.models import ApiToken


class ServiceError(Exception):
    """A business rule refused the operation; `message` is for the user, `field_errors`
    maps field names to messages. Views show it; the API answers 400/409/422 with it."""

    status = 400

    def __init__(self, message: str, field_errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}


class Conflict(ServiceError):
    """The operation clashes with the current state (e.g. a duplicate or a stale update)."""

    status = 409


class Forbidden(ServiceError):
    """The acting user may not take this step on this object (views and the API: 403)."""

    status = 403


def check_allowed(actor: Actor, allowed: Callable[[Any], bool], message: str) -> None:
    """Refuse with `Forbidden` unless the acting user passes `allowed`. For services whose
    permission depends on the object (a case's level, a project's manager): the page that
    shows no button and the API call that tries anyway get the same answer. System actors
    (demo, commands, jobs) act without a user and are not checked."""
    if actor.user is not None and not allowed(actor.user):
        raise Forbidden(message)


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str


def create_api_token(
    *,
    actor: Actor,
    user: User,
    name: str,
    scope: str = ApiToken.Scope.READ,
    days: int | None = None,
) -> IssuedToken:
    """Issue a token for `user`. The returned secret is shown once and never stored."""
    name = name.strip()
    if not name:
        raise ServiceError("Gi nøkkelen et navn.", {"name": ["Feltet må fylles ut."]})
    if scope not in ApiToken.Scope.values:
        raise ServiceError("Ukjent tilgangsnivå.", {"scope": ["Velg lese eller lese og skrive."]})
    days = days or settings.FELLES_API_TOKEN_DAYS
    if not 1 <= days <= 366:
        raise ServiceError(
            "Gyldighet må være mellom 1 og 366 dager.", {"days": ["Velg mellom 1 og 366 dager."]}
        )
    secret = tokens.new_secret()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name,
            scope=scope,
            prefix=tokens.display_prefix(secret),
            digest=tokens.digest(secret),
            expires_at=timezone.now() + dt.timedelta(days=days),
        )
        audit.record(
            actor=actor,
            action="core.api_token.create",
            obj=token,
            changes={
                "name": [None, name],
                "scope": [None, scope],
                "user": [None, user.get_username()],
            },
        )
    return IssuedToken(token=token, secret=secret)


def revoke_api_token(*, actor: Actor, token: ApiToken) -> ApiToken:
    """Revoke a token at once; later requests with it answer 401."""
    with transaction.atomic():
        updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        token.refresh_from_db()
        if updated:
            audit.record(
                actor=actor,
                action="core.api_token.revoke",
                obj=token,
                changes={"revoked_at": [None, audit.to_json_value(token.revoked_at)]},
            )
    return token


def authenticate_token(secret: str) -> ApiToken | None:
    """The active token for `secret`, with its last use stamped (at most once a minute, so
    reads do not turn into a write per request)."""
    try:
        # The user's person (organisations.Person.user) comes along in the same query, so
        # organisations.selectors.access_for needs no query of its own for it. The digest
        # is unique: get(), no ordering to compile.
        token = ApiToken.objects.select_related("user__person__organisation").get(
            digest=tokens.digest(secret),
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            user__is_active=True,
        )
    except ApiToken.DoesNotExist:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
