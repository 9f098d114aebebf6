"""Types every app uses for its most central parameters."""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser, User

AnyUser: TypeAlias = User | AnonymousUser
"""The user a request carries: signed in or anonymous. Selectors and rules take it."""
