"""Core write operations: API tokens, e-mail preferences and sending failed e-mail again.
Each runs in one transaction and is audited."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from felles.core import audit, mail, prepared, tokens
from felles.core.actor import Actor
from felles.core.errors import Conflict, Forbidden, ServiceError
from felles.core.models import ApiToken, Job, MailPreference, OutboundMail
from felles.core.permissions import Rule

__all__ = ["SYSTEM_ONLY", "Conflict", "Forbidden", "ServiceError", "allowed"]


# Every service with a side effect declares who may call it with `@allowed(check, message)`.
# `check` is a `Rule` (a question about the user alone) or a function called with the user
# and the service's keyword arguments (a question about the object too, e.g. whether the
# user may decide this case). A refused call raises `Forbidden`, which the pages answer with
# 403 (`core.permissions.requires`) and the API with 403 (`core.api`). System actors
# (demo data, commands, jobs) act without a user and are not checked. Views and API
# functions decide nothing beyond "signed in"; they may *ask* the same rule to hide a
# button, but the service is where it is enforced.

P = ParamSpec("P")
R = TypeVar("R")
ServiceCheck = Rule | Callable[..., bool]
SERVICES_WITH_RULES: dict[str, ServiceCheck] = {}


def allowed(
    check: ServiceCheck, message: str | Promise
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Declare and enforce who may call a keyword-only service taking `actor`. A function
    check receives the acting user first (make that parameter positional-only, `me, /`,
    when the service itself has a `user` argument) and the service's keyword arguments."""

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(func)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            actor = kwargs.get("actor")
            if not isinstance(actor, Actor):
                raise TypeError(f"{func.__qualname__} must be called with actor=Actor(...)")
            if actor.user is not None:
                user = actor.user
                ok = check(user) if isinstance(check, Rule) else check(user, **kwargs)
                if not ok:
                    raise Forbidden(message)
            return func(*args, **kwargs)

        wrapper.felles_rule = check  # type: ignore[attr-defined]
        SERVICES_WITH_RULES[f"{func.__module__}.{func.__qualname__}"] = check
        return wrapper

    return decorate


SYSTEM_ONLY = Rule("system only", lambda user: False)
"""For services only commands, jobs and seeding call: every signed-in user is refused."""


def _own_account(me: Any, /, *, user: User, **_: Any) -> bool:
    return bool(me.pk == user.pk)


def _own_token(me: Any, /, *, token: ApiToken, **_: Any) -> bool:
    return bool(me.pk == token.user_id)


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str


@allowed(_own_account, gettext_lazy("Du kan bare lage API-nøkler for deg selv."))
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
        raise ServiceError(_("Gi nøkkelen et navn."), {"name": [_("Feltet må fylles ut.")]})
    if scope not in ApiToken.Scope.values:
        raise ServiceError(
            _("Ukjent tilgangsnivå."), {"scope": [_("Velg lese eller lese og skrive.")]}
        )
    days = days or settings.FELLES_API_TOKEN_DAYS
    if not 1 <= days <= 366:
        raise ServiceError(
            _("Gyldighet må være mellom 1 og 366 dager."),
            {"days": [_("Velg mellom 1 og 366 dager.")]},
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


@allowed(_own_token, gettext_lazy("Du kan bare trekke tilbake dine egne API-nøkler."))
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


# Timestamps no API request reads of its token, user, person and ministry (each parsed
# timestamp costs; deferred, one is still read on demand).
_UNREAD = (
    "created_at",
    "user__last_login",
    "user__date_joined",
    "user__person__created_at",
    "user__person__updated_at",
    "user__person__organisation__created_at",
    "user__person__organisation__updated_at",
)


def _active_token(digest: str, now: dt.datetime) -> QuerySet[ApiToken]:
    return (
        ApiToken.objects.select_related("user__person__organisation")
        .filter(digest=digest, revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)
        .defer(*_UNREAD)
        .order_by()
    )


def authenticate_token(secret: str) -> ApiToken | None:
    """The active token for `secret`, with its last use stamped (at most once a minute, so
    reads do not turn into a write per request)."""
    # The user's person (organisations.Person.user) comes along in the same query, so
    # organisations.selectors.access_for needs no query of its own for it. Every API
    # request asks: compiled once per connection (core.prepared).
    now = timezone.now()
    found = prepared.run("core.token", _active_token, digest=tokens.digest(secret), now=now)
    if len(found) != 1:  # the digest is unique
        return None
    token = found[0]
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


# --- e-mail (felles.core.mail) ----------------------------------------------------------------


@allowed(_own_account, gettext_lazy("Du kan bare endre dine egne varslingsvalg."))
def save_mail_preferences(
    *, actor: Actor, user: User, language: str, muted: Iterable[str]
) -> MailPreference:
    """A person's e-mail language and the topics they do not want by e-mail. Topics that
    always go out (approvals) cannot be turned off."""
    if language not in mail.LANGUAGES:
        raise ServiceError(
            _("Velg bokmål eller engelsk."), {"language": [_("Velg bokmål eller engelsk.")]}
        )
    known = {t.key: t for t in mail.topics()}
    chosen = sorted(set(muted))
    unknown = [key for key in chosen if key not in known]
    if unknown:
        raise ServiceError(_("Ukjent varseltype."), {"muted": [_("Ukjent varseltype.")]})
    if any(known[key].always for key in chosen):
        raise ServiceError(
            _("Varsler om godkjenning sendes alltid på e-post."),
            {"muted": [_("Varsler om godkjenning kan ikke slås av.")]},
        )
    with transaction.atomic():
        preference = MailPreference.objects.select_for_update().get_or_create(user=user)[0]
        before = {"language": preference.language, "muted": sorted(preference.muted or [])}
        preference.language, preference.muted = language, chosen
        after = {"language": language, "muted": chosen}
        if before != after:
            preference.save()
            audit.record(
                actor=actor,
                action="core.mail_preference.change",
                obj=preference,
                changes={k: [before[k], after[k]] for k in before if before[k] != after[k]},
            )
    return preference


def _may_operate_mail(me: Any, /, **_: Any) -> bool:
    return bool(mail.operators(user=me))


@allowed(_may_operate_mail, gettext_lazy("Bare administratorer kan sende e-post på nytt."))
def retry_mail(*, actor: Actor, message: OutboundMail) -> OutboundMail:
    """Send a failed e-mail again: a fresh send job with all its attempts. Refused for mail
    already sent or still being tried, so one click never makes two copies."""
    with transaction.atomic():
        current = OutboundMail.objects.select_related("job").get(pk=message.pk)
        if current.sent_at is not None:
            raise Conflict("E-posten er allerede sendt.")
        old_job = current.job
        if old_job is not None and old_job.status != Job.Status.FAILED:
            raise Conflict("E-posten venter allerede på å bli sendt.")
        job = mail.new_send_job(current, created_by=actor.label)
        if not OutboundMail.objects.filter(pk=current.pk, job=old_job, sent_at__isnull=True).update(
            job=job, last_error=""
        ):
            raise Conflict("E-posten er allerede sendt på nytt.")
        current.refresh_from_db()
        audit.record(
            actor=actor,
            action="core.mail.retry",
            obj=current,
            changes={"to": [None, current.to], "subject": [None, current.subject]},
        )
    return current
