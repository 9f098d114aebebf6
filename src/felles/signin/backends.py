"""Authentication through the identity provider: mozilla-django-oidc's authorization-code
flow (with PKCE and nonce), and Felles's rule for who the signed-in identity is.

A refused sign-in leaves its reason on the request (`request.signin_refusal`), for the
callback view to show the person a page that says why."""

from __future__ import annotations

import enum
import logging
from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from felles.core.actor import Actor
from felles.core.errors import Conflict
from felles.organisations.backends import user_with_person
from felles.signin import config, selectors, services

logger = logging.getLogger(__name__)


class Refusal(enum.Enum):
    UNKNOWN = "unknown"  # no person in Felles for this identity
    DISABLED = "disabled"  # the person has left or is disabled in the HR import
    LINKED = "linked"  # the person is already linked to another identity at the provider
    MISSING_CLAIMS = "missing_claims"  # the provider sent no stable identifier
    INVALID = "invalid"  # the token could not be verified (expired, wrong issuer, …)
    UNAVAILABLE = "unavailable"  # the provider did not answer


def refuse(request: HttpRequest, reason: Refusal, detail: str) -> None:
    logger.warning("sign-in refused (%s): %s", reason.value, detail)
    request.signin_refusal = reason  # type: ignore[attr-defined]


def provider_attempt(request: HttpRequest, credentials: Any = None) -> bool:
    """Axes (AXES_WHITELIST_CALLABLE): a sign-in through the provider is no password guess.
    Its refusals carry no username, so counting them would lock out everyone behind the
    same address after a few unknown people; the provider limits its own attempts."""
    return request.path == reverse("signin_callback")


class OidcBackend(OIDCAuthenticationBackend):
    """Endpoints are resolved when a sign-in needs them (config.endpoint), so the backend
    costs nothing on the requests that only load the session's user."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.UserModel = get_user_model()

    get_settings = staticmethod(config.setting)

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self) -> str:
        return config.endpoint("OIDC_OP_TOKEN_ENDPOINT")

    @property
    def OIDC_OP_USER_ENDPOINT(self) -> str:
        return config.endpoint("OIDC_OP_USER_ENDPOINT", required=False)

    @property
    def OIDC_OP_JWKS_ENDPOINT(self) -> str:
        return config.endpoint("OIDC_OP_JWKS_ENDPOINT")

    @property
    def OIDC_RP_CLIENT_ID(self) -> str:
        return str(settings.OIDC_RP_CLIENT_ID)

    @property
    def OIDC_RP_CLIENT_SECRET(self) -> str:
        return str(settings.OIDC_RP_CLIENT_SECRET)

    @property
    def OIDC_RP_SIGN_ALGO(self) -> str:
        return str(settings.OIDC_RP_SIGN_ALGO)

    @property
    def OIDC_RP_IDP_SIGN_KEY(self) -> str | None:
        return getattr(settings, "OIDC_RP_IDP_SIGN_KEY", None) or None

    # --- the flow ---------------------------------------------------------------------

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:
        if request is None or not config.enabled() or "code" not in request.GET:
            return None  # a password sign-in, or none at all: not ours
        try:
            return super().authenticate(request, **kwargs)
        except jwt.ExpiredSignatureError as exc:
            refuse(request, Refusal.INVALID, f"expired id token: {exc}")
        except (jwt.InvalidTokenError, SuspiciousOperation) as exc:
            refuse(request, Refusal.INVALID, f"id token not accepted: {exc}")
        except (requests.RequestException, ValueError, config.ProviderUnavailable) as exc:
            refuse(request, Refusal.UNAVAILABLE, f"provider: {exc}")
        return None

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """The library checks the signature, expiry and nonce; the issuer and audience are
        checked here too (a token for another application is refused)."""
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        issuer = config.endpoint("OIDC_OP_ISSUER", required=False)
        if issuer and payload.get("iss") != issuer:
            raise SuspiciousOperation(f"issuer {payload.get('iss')!r} is not {issuer!r}")
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if "aud" in payload and self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation(f"audience {audience!r} is not this client")
        return payload

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        """The ID token's claims, completed from the userinfo endpoint when there is one.
        The signed ID token wins where both name a claim (Entra ID puts `oid` there only)."""
        claims: dict[str, Any] = {}
        if self.OIDC_OP_USER_ENDPOINT:
            claims = dict(super().get_userinfo(access_token, id_token, payload))
            if claims.get("sub", payload.get("sub")) != payload.get("sub"):
                raise SuspiciousOperation("userinfo is about another subject than the id token")
        claims.update(payload)
        return claims

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        """Match the person; never create one (OIDC_CREATE_USER is ignored)."""
        request = self.request
        try:
            claims = self.get_userinfo(access_token, id_token, payload)
        except (jwt.InvalidTokenError, SuspiciousOperation) as exc:
            refuse(request, Refusal.INVALID, f"userinfo not accepted: {exc}")
            return None
        subject = str(claims.get(settings.FELLES_OIDC_ID_CLAIM) or "")
        if not subject:
            refuse(request, Refusal.MISSING_CLAIMS, f"no {settings.FELLES_OIDC_ID_CLAIM} claim")
            return None
        email = str(claims.get(settings.FELLES_OIDC_EMAIL_CLAIM) or "").strip()
        if claims.get("email_verified") is False:
            email = ""  # an address the provider has not verified names nobody
        number_claim = settings.FELLES_OIDC_EMPLOYEE_NUMBER_CLAIM
        number = str(claims.get(number_claim) or "").strip() if number_claim else ""
        issuer = str(payload.get("iss") or "")
        match = selectors.match_person(
            issuer=issuer, subject=subject, email=email, employee_number=number
        )
        if match is None:
            refuse(request, Refusal.UNKNOWN, f"no person for {issuer} {subject}")
            return None
        person = match.person
        if not selectors.may_sign_in(person):
            refuse(request, Refusal.DISABLED, f"person {person.uuid} is not active")
            return None
        if match.identity is None:
            if match.linked_elsewhere:
                refuse(request, Refusal.LINKED, f"person {person.uuid} has another identity")
                return None
            actor = Actor.from_request(request)
            actor = Actor(user=person.user, request_id=actor.request_id)
            try:
                services.link_identity(actor=actor, person=person, issuer=issuer, subject=subject)
            except Conflict:  # a sign-in in another tab linked it a moment ago
                refuse(request, Refusal.LINKED, f"person {person.uuid} was linked meanwhile")
                return None
        return person.user

    def get_user(self, user_id: Any) -> Any:
        """Every request: the session's user with its person in one query, refused as soon
        as the HR import (or an administrator) has made the person or the login inactive.
        The person is kept on the user, so `organisations.selectors.access_for` reads it
        from there."""
        user = user_with_person(user_id)
        if user is None or not user.is_active:
            return None
        person = getattr(user, "person", None)
        if person is not None and not person.active:
            return None
        return user
