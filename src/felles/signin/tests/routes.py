"""Access-matrix rows for sign-in: every route is public. With no identity provider
configured (the test settings, like a fresh install) its two legs answer 404."""

from __future__ import annotations

from felles.testing.matrix import PERSONAS, Case

NOT_CONFIGURED = dict.fromkeys(PERSONAS[1:], 404)

WEB: dict[str, Case] = {
    "login": Case("GET", dict.fromkeys(PERSONAS[1:], 302), anonymous=200),
    "logout": Case("POST", dict.fromkeys(PERSONAS[1:], 302), anonymous=302),
    "signin_start": Case("GET", NOT_CONFIGURED, anonymous=404),
    "signin_callback": Case("GET", NOT_CONFIGURED, anonymous=404),
}

API: dict[str, Case] = {}

# (customer contact serving FIN, provider manager serving FIN), see SCOPED_PERSONAS.
SCOPED_WEB: dict[str, tuple[int, int]] = {
    "login": (302, 302),
    "logout": (302, 302),
    "signin_start": (404, 404),
    "signin_callback": (404, 404),
}

SCOPED_API: dict[str, tuple[int, int]] = {}
