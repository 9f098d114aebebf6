"""The login page (password and/or the identity provider), logout, and the two legs of
the provider's authorization-code flow (mozilla-django-oidc's views, with Felles's
answers when something is refused)."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode

from django.contrib import auth, messages
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth import views as auth_views
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from felles.core.permissions import public
from felles.signin import config
from felles.signin.backends import Refusal

logger = logging.getLogger(__name__)

# What the person is told when the provider sign-in is refused, and the page's status.
REFUSALS: dict[Refusal, tuple[int, Any, Any]] = {
    Refusal.UNKNOWN: (
        403,
        gettext_lazy("Du finnes ikke i Felles"),
        gettext_lazy(
            "Du er logget inn hos departementenes innlogging, men Felles finner deg ikke "
            "blant de ansatte. Personer kommer inn i Felles gjennom personalimporten fra "
            "virksomheten din. Kontakt administratoren eller bestillerkoordinatoren i "
            "virksomheten din."
        ),
    ),
    Refusal.DISABLED: (
        403,
        gettext_lazy("Tilgangen din er stengt"),
        gettext_lazy(
            "Personalsystemet viser at du ikke lenger er aktiv i virksomheten, så du har ikke "
            "tilgang til Felles. Mener du at dette er feil, kontakt administratoren i "
            "virksomheten din."
        ),
    ),
    Refusal.LINKED: (
        403,
        gettext_lazy("Personen er knyttet til en annen innlogging"),
        gettext_lazy(
            "Personen i Felles med denne e-postadressen er allerede knyttet til en annen "
            "brukerkonto hos departementenes innlogging. Kontakt brukerstøtte."
        ),
    ),
    Refusal.MISSING_CLAIMS: (
        403,
        gettext_lazy("Innloggingen manglet opplysninger"),
        gettext_lazy(
            "Departementenes innlogging sendte ikke opplysningene Felles trenger for å kjenne "
            "deg igjen. Kontakt brukerstøtte."
        ),
    ),
    Refusal.INVALID: (
        400,
        gettext_lazy("Innloggingen kunne ikke bekreftes"),
        gettext_lazy(
            "Innloggingen var utløpt eller kunne ikke bekreftes. Prøv å logge inn på nytt."
        ),
    ),
    Refusal.UNAVAILABLE: (
        503,
        gettext_lazy("Innloggingstjenesten svarer ikke"),
        gettext_lazy(
            "Departementenes innlogging svarer ikke akkurat nå. Vent litt og prøv igjen, "
            "eller kontakt brukerstøtte hvis det varer."
        ),
    ),
}

# Provider errors that mean "sign in again" (the silent renewal found no session there).
SIGN_IN_AGAIN = {"login_required", "interaction_required", "consent_required"}


def _refused(request: HttpRequest, reason: Refusal) -> HttpResponse:
    if request.user.is_authenticated:  # a renewal that was refused ends the session too
        auth.logout(request)
    status, title, text = REFUSALS[reason]
    retry = reason in {Refusal.INVALID, Refusal.UNAVAILABLE}
    context = {"title": title, "text": text, "retry": retry}
    return render(request, "signin/refused.html", context, status=status)


def _sign_in_again(request: HttpRequest, text: str) -> HttpResponse:
    if request.user.is_authenticated:
        auth.logout(request)
    messages.warning(request, text)
    return HttpResponseRedirect(reverse("login"))


@method_decorator(never_cache, name="dispatch")
class LoginView(auth_views.LoginView):
    """Offers the provider first when it is configured; the password form while password
    sign-in is on (FELLES_PASSWORD_LOGIN). A password post while it is off is refused."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        next_url = self.get_redirect_url()
        start = reverse("signin_start")
        context.update(
            oidc=config.enabled(),
            password_login=config.password_login(),
            signin_start=start + ("?" + urlencode({"next": next_url}) if next_url else ""),
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not config.password_login():
            context = self.get_context_data(password_refused=True)
            return self.render_to_response(context, status=403)
        return super().post(request, *args, **kwargs)


class LogoutView(auth_views.LogoutView):
    """Ends the Felles session; after a provider sign-in, goes on to the provider's
    end-session endpoint, which ends the sign-in there and sends the person back to the
    login page."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        provider = request.session.get(BACKEND_SESSION_KEY) == config.BACKEND_PATH
        end_session = self._end_session_url(request) if provider else ""
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("Du er logget ut."))
        return HttpResponseRedirect(end_session) if end_session else response

    def _end_session_url(self, request: HttpRequest) -> str:
        if not config.enabled():
            return ""
        try:
            endpoint = config.endpoint("OIDC_OP_END_SESSION_ENDPOINT", required=False)
        except config.ProviderUnavailable:
            return ""
        if not endpoint:
            return ""
        params = {
            "client_id": config.setting("OIDC_RP_CLIENT_ID"),
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
        }
        id_token = request.session.get("oidc_id_token")
        if id_token:
            params["id_token_hint"] = id_token
        separator = "&" if "?" in endpoint else "?"
        return f"{endpoint}{separator}{urlencode(params)}"


class StartView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider (state, nonce and PKCE challenge kept in the
    session)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    get_settings = staticmethod(config.setting)

    @property
    def OIDC_OP_AUTH_ENDPOINT(self) -> str:
        return config.endpoint("OIDC_OP_AUTHORIZATION_ENDPOINT")

    @property
    def OIDC_RP_CLIENT_ID(self) -> str:
        return str(config.setting("OIDC_RP_CLIENT_ID"))

    def get(self, request: HttpRequest) -> HttpResponse:
        if not config.enabled():
            raise Http404
        try:
            return super().get(request)  # type: ignore[no-any-return]
        except config.ProviderUnavailable as exc:
            logger.warning("sign-in could not start: %s", exc)
            return _refused(request, Refusal.UNAVAILABLE)

    def get_extra_params(self, request: HttpRequest) -> dict[str, str]:
        """`?konto=ny` (from a refusal page): the provider asks for the account again
        instead of reusing the one it is signed in with (`prompt=login`)."""
        params = dict(super().get_extra_params(request))
        if request.GET.get("konto") == "ny":
            params["prompt"] = "login"
        return params


class CallbackView(OIDCAuthenticationCallbackView):
    """The provider's answer. A refusal is a page saying why (backends.Refusal); a lapsed
    or interrupted sign-in goes back to the login page with a sentence."""

    get_settings = staticmethod(config.setting)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not config.enabled():
            raise Http404
        error = request.GET.get("error", "")
        if error:
            states = request.session.get("oidc_states", {})
            if states.pop(request.GET.get("state", ""), None) is not None:
                request.session.modified = True  # the state cannot be replayed
            if error in SIGN_IN_AGAIN:
                return _sign_in_again(request, _("Økten din er utløpt. Logg inn på nytt."))
            logger.warning("provider refused sign-in: %s", error[:100])
            if error == "access_denied":
                return _sign_in_again(request, _("Innloggingen ble avbrutt. Logg inn på nytt."))
            return _refused(request, Refusal.INVALID)
        try:
            return super().get(request)  # type: ignore[no-any-return]
        except SuspiciousOperation as exc:  # a state this browser never started
            logger.warning("sign-in callback refused: %s", exc)
            return _sign_in_again(request, _("Innloggingen ble avbrutt. Logg inn på nytt."))

    def login_failure(self) -> HttpResponse:
        reason = getattr(self.request, "signin_refusal", None)
        if reason is None:  # no code, or a state this session no longer holds
            return _sign_in_again(self.request, _("Innloggingen ble avbrutt. Logg inn på nytt."))
        return _refused(self.request, reason)


login = public(LoginView.as_view())
logout = public(LogoutView.as_view())
start = public(never_cache(StartView.as_view()))
callback = public(never_cache(CallbackView.as_view()))
