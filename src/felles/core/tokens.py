"""API token secrets: generation and digest. Pure functions (no database)."""

from __future__ import annotations

import hashlib
import secrets

TOKEN_PREFIX = "fel_"  # noqa: S105 - a public marker, not a secret


def new_secret() -> str:
    """A fresh token: a recognisable prefix plus 256 random bits, URL-safe."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def display_prefix(secret: str) -> str:
    """The first characters, enough to recognise a token in lists without revealing it."""
    return secret[: len(TOKEN_PREFIX) + 6]
