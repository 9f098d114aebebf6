"""Language selection: bokmål unless the user chose otherwise with the language switch.

Django's LocaleMiddleware also follows the browser's Accept-Language, which would show
English to every civil servant whose browser happens to be installed in English. Felles is
a Norwegian service: the choice is the user's (a cookie set by the switch), never the
browser's."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


class LanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.available = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            # The thread goes back to bokmål: code that runs outside a request (jobs, tests,
            # the next request before this middleware) never inherits a reader's English.
            translation.deactivate()
        response.headers.setdefault("Content-Language", language)
        return response


def localized(obj: object, field: str) -> str:
    """The value of a field kept in both languages (`name_nb`/`name_en`) in the active
    language; bokmål when the English text is missing. A field whose bokmål has no suffix
    (`opening_hours`/`opening_hours_en`) works the same way."""
    if translation.get_language() == "en":
        english = getattr(obj, f"{field}_en", "")
        if english:
            return str(english)
    if hasattr(obj, f"{field}_nb"):
        return str(getattr(obj, f"{field}_nb"))
    return str(getattr(obj, field, ""))
