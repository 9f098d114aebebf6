"""The ministry boundary: people, units and absences of other ministries stay hidden."""

from __future__ import annotations

import datetime as dt

from django.test import Client

from felles.organisations import selectors, services
from felles.organisations.models import Absence, Person


def visible_emails(user) -> set[str]:
    return set(Person.objects.visible_to(user).values_list("email", flat=True))


def test_ministry_employee_sees_only_own_ministry(personas) -> None:
    emails = visible_emails(personas.employee.user)
    assert personas.manager.email in emails
    assert personas.outsider.email not in emails
    assert personas.agent.email not in emails


def test_provider_agent_sees_own_provider_and_served_ministries_only(personas) -> None:
    emails = visible_emails(personas.agent.user)
    assert {personas.employee.email, personas.agent.email} <= emails
    assert personas.outsider.email not in emails  # FIN is not served by this agent


def test_cross_ministry_roles_see_everyone(personas) -> None:
    for persona in (personas.governance, personas.auditor, personas.admin):
        assert personas.outsider.email in visible_emails(persona.user)


def test_user_without_person_sees_nothing(personas, django_user_model) -> None:
    stranger = django_user_model.objects.create_user("stranger", password="x" * 12)
    assert visible_emails(stranger) == set()
    assert selectors.units_for(stranger).count() == 0


def test_absences_are_visible_to_person_manager_and_coordinator_only(personas, actor) -> None:
    services.register_absence(
        actor=actor,
        person=personas.employee,
        starts_on=dt.date(2026, 12, 21),
        ends_on=dt.date(2027, 1, 1),
        substitute=personas.coordinator,
    )
    visible = {
        name: Absence.objects.visible_to(user).count() for name, user in personas.users().items()
    }
    assert visible == {
        "employee": 1,
        "manager": 1,
        "coordinator": 1,
        "outsider": 0,
        "agent": 0,
        "governance": 0,
        "auditor": 1,
        "admin": 1,
    }


def test_api_lists_filter_by_ministry_and_role(personas, client: Client) -> None:
    client.force_login(personas.governance.user)
    response = client.get("/api/v1/people", {"organisation": "KUD", "role": "line_manager"})
    assert response.status_code == 200
    assert [p["email"] for p in response.json()["items"]] == [personas.manager.email]
    client.force_login(personas.employee.user)
    response = client.get("/api/v1/people", {"organisation": "FIN"})
    assert response.json()["count"] == 0


def test_foreign_person_is_404_on_web_and_api(personas, client: Client) -> None:
    client.force_login(personas.employee.user)
    assert client.get(f"/personer/{personas.outsider.uuid}/").status_code == 404
    response = client.get(f"/api/v1/people/{personas.outsider.uuid}")
    assert response.status_code == 404
    assert response.json()["message"] == "Fant ikke objektet."
    assert client.get(f"/api/v1/people/{personas.manager.uuid}").status_code == 200


def test_people_list_query_count_does_not_grow_with_rows(
    personas, client: Client, django_assert_max_num_queries
) -> None:
    client.force_login(personas.admin.user)
    with django_assert_max_num_queries(12):
        response = client.get("/personer/")
    assert response.status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/api/v1/people").status_code == 200


def test_people_list_exports_xlsx(personas, client: Client) -> None:
    import io

    from openpyxl import load_workbook

    client.force_login(personas.manager.user)
    response = client.get("/personer/", {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Etternavn", "Fornavn", "E-post")
    emails = {r[2] for r in rows[1:]}
    assert personas.employee.email in emails and personas.outsider.email not in emails
