"""People, management chains and absences through the service layer and the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from felles.core.models import AuditEvent
from felles.core.services import Conflict, ServiceError
from felles.organisations import services
from felles.organisations.models import Absence


def test_line_manager_loop_is_refused(personas, actor) -> None:
    with pytest.raises(ServiceError, match="Nærmeste leder"):
        services.save_person(
            actor=actor,
            organisation=personas.kud,
            values={"line_manager": personas.employee},
            person=personas.manager,
        )
    personas.manager.refresh_from_db()
    assert personas.manager.line_manager is None


def test_person_update_is_audited_with_before_and_after(personas, actor) -> None:
    services.save_person(
        actor=actor,
        organisation=personas.kud,
        values={"title": "Seniorrådgiver"},
        person=personas.employee,
    )
    event = AuditEvent.objects.filter(action="organisations.person.update").latest("sequence")
    assert event.changes == {"title": ["Rådgiver", "Seniorrådgiver"]}
    assert event.object_id == str(personas.employee.uuid)


def test_duplicate_employee_number_is_a_conflict(personas, actor) -> None:
    with pytest.raises(Conflict):
        services.save_person(
            actor=actor,
            organisation=personas.kud,
            values={
                "first_name": "X",
                "last_name": "Y",
                "email": "ny@kud.dep.no",
                "employee_number": personas.employee.employee_number,
            },
        )


def test_absence_rules(personas, actor) -> None:
    start, end = dt.date(2026, 7, 1), dt.date(2026, 7, 20)
    with pytest.raises(ServiceError) as exc:
        services.register_absence(
            actor=actor,
            person=personas.employee,
            starts_on=end,
            ends_on=start,
            substitute=personas.outsider,
        )
    assert set(exc.value.field_errors) == {"ends_on", "substitute"}
    services.register_absence(
        actor=actor,
        person=personas.employee,
        starts_on=start,
        ends_on=end,
        substitute=personas.manager,
    )
    with pytest.raises(Conflict):
        services.register_absence(
            actor=actor,
            person=personas.employee,
            starts_on=dt.date(2026, 7, 20),
            ends_on=dt.date(2026, 7, 25),
        )


def test_employee_registers_own_absence_on_her_page(personas, client: Client) -> None:
    client.force_login(personas.employee.user)
    url = f"/personer/{personas.employee.uuid}/"
    response = client.post(
        url,
        {
            "starts_on": "2026-12-21",
            "ends_on": "2026-12-31",
            "substitute": str(personas.manager.uuid),
            "note": "Juleferie",
        },
        follow=True,
    )
    assert "Fraværet er registrert." in response.content.decode()
    absence = Absence.objects.get()
    assert absence.substitute == personas.manager
    response = client.post(url, {"starts_on": "2026-12-24", "ends_on": "2026-12-20"})
    assert response.status_code == 422
    assert "Sluttdato kan ikke være før startdato." in response.content.decode()
    client.post(f"/fravaer/{absence.uuid}/slett/")
    assert not Absence.objects.exists()


def test_colleague_cannot_register_absence_for_someone_else(personas, client: Client) -> None:
    client.force_login(personas.coordinator.user)
    response = client.post(
        f"/personer/{personas.employee.uuid}/", {"starts_on": "2026-12-21", "ends_on": "2026-12-31"}
    )
    assert response.status_code == 403
    assert not Absence.objects.exists()


def test_manager_registers_absence_for_report_via_api(personas, client: Client) -> None:
    client.force_login(personas.manager.user)
    response = client.post(
        "/api/v1/absences",
        {
            "person_id": str(personas.employee.uuid),
            "starts_on": "2026-08-01",
            "ends_on": "2026-08-10",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["person"]["name"] == personas.employee.full_name


def test_api_validation_errors_are_422_with_field_messages(personas, client: Client) -> None:
    client.force_login(personas.employee.user)
    response = client.post(
        "/api/v1/absences",
        {
            "person_id": str(personas.employee.uuid),
            "starts_on": "ikke-en-dato",
            "ends_on": "2026-08-10",
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "starts_on" in response.json()["errors"]
    response = client.post(
        "/api/v1/absences",
        {
            "person_id": str(personas.employee.uuid),
            "starts_on": "2026-08-10",
            "ends_on": "2026-08-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"]["ends_on"] == ["Sluttdato kan ikke være før startdato."]


def test_overlapping_absence_via_api_is_409(personas, client: Client) -> None:
    client.force_login(personas.employee.user)
    body = {
        "person_id": str(personas.employee.uuid),
        "starts_on": "2026-08-01",
        "ends_on": "2026-08-10",
    }
    assert client.post("/api/v1/absences", body, content_type="application/json").status_code == 201
    assert client.post("/api/v1/absences", body, content_type="application/json").status_code == 409


def test_administrator_gives_and_removes_a_scoped_provider_role(personas, client: Client) -> None:
    from felles.organisations import selectors
    from felles.organisations.models import RoleAssignment

    client.force_login(personas.admin.user)
    other = personas.agent
    client.post(
        f"/personer/{other.uuid}/roller/", {"role": "customer_contact", "served": ["FIN", "KUD"]}
    )
    assignment = RoleAssignment.objects.get(person=other, role="customer_contact")
    assert {o.abbreviation for o in assignment.served_organisations.all()} == {"FIN", "KUD"}
    other.user.refresh_from_db()
    assert personas.outsider.email in set(
        selectors.people_for(other.user).values_list("email", flat=True)
    )
    assert AuditEvent.objects.filter(
        action="organisations.role.assign", object_id=str(assignment.uuid)
    ).exists()
    client.post(f"/roller/{assignment.uuid}/fjern/")
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert AuditEvent.objects.filter(action="organisations.role.remove").exists()
