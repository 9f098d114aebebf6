"""Helpers every app's tests share (imported by tests only)."""

from __future__ import annotations

from typing import Any

from django.test import Client


def client_for(person: Any) -> Client:
    """A test client signed in as `person` (a Person, or anything with a `.user`)."""
    client = Client()
    client.force_login(person.user)
    return client
