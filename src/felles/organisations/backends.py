"""The password sign-in backend: Django's, except that the user of a session comes with
its person (organisation and unit) in the same query.

Every signed-in request loads its user; almost every one then asks who the person is
(`selectors.access_for`). Loading both at once saves a query on each of those requests;
`selectors._person_of` uses the person loaded here."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend


def user_with_person(user_id: Any) -> Any:
    """The user with this id and its person (None when there is no such user)."""
    return (
        get_user_model()
        ._default_manager.select_related("person__organisation", "person__unit")
        .filter(pk=user_id)
        .first()
    )


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id: Any) -> Any:
        user = user_with_person(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
