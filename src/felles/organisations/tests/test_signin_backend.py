"""The password backend loads a session's user together with its person."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from felles.organisations import selectors
from felles.organisations.backends import ModelBackend


def test_the_session_user_comes_with_person_organisation_and_unit(
    personas, django_assert_num_queries
) -> None:
    with django_assert_num_queries(1):
        user = ModelBackend().get_user(personas.employee.user.pk)
        person = user.person
        assert (person.organisation.abbreviation, person.unit.name) == ("KUD", "Kulturavdelingen")
    # Who the person is needs no query of its own; only the roles are read.
    with django_assert_num_queries(1):
        assert selectors.person_for(user) == personas.employee


def test_inactive_users_and_people_get_no_session_person(personas, actor) -> None:
    user = personas.outsider.user
    user.is_active = False
    user.save()
    assert ModelBackend().get_user(user.pk) is None
    assert ModelBackend().get_user(10**9) is None
    person = personas.employee
    person.active = False
    person.save()
    loaded = ModelBackend().get_user(person.user.pk)
    assert loaded is not None and selectors.person_for(loaded) is None


def test_a_signed_in_request_reads_no_person_of_its_own(personas) -> None:
    client = Client()
    client.force_login(personas.employee.user)
    assert client.session["_auth_user_backend"] == "felles.organisations.backends.ModelBackend"
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/me")
    assert response.status_code == 200 and response.json()["person"] is not None
    by_user = [q["sql"] for q in queries if '"organisations_person"."user_id" =' in q["sql"]]
    assert not by_user
