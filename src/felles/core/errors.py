"""The errors services raise. Views show them on the form or as a message (a `Forbidden`
becomes a 403 page); the API answers with their status and `{"message", "errors"}`."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied
from django.utils.functional import Promise


class ServiceError(Exception):
    """A business rule refused the operation; `message` is for the user, `field_errors`
    maps field names to messages. Views show it; the API answers 400/409/422 with it."""

    status = 400

    def __init__(
        self, message: str | Promise, field_errors: Mapping[str, list[str]] | None = None
    ) -> None:
        # A lazy (translatable) message becomes text in the language active when raised.
        super().__init__(str(message))
        self.message = str(message)
        self.field_errors = {
            name: [str(error) for error in errors] for name, errors in (field_errors or {}).items()
        }


class Conflict(ServiceError):
    """The operation clashes with the current state (e.g. a duplicate or a stale update)."""

    status = 409


class Forbidden(ServiceError):
    """The acting user may not take this step on this object (views and the API: 403)."""

    status = 403


class RefusedByService(PermissionDenied):
    """A page's 403 for a service's `Forbidden`: its bokmål message is for the user and the
    403 page shows it (a `PermissionDenied` from a route's rule carries only the rule's
    internal name, which is never shown)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
