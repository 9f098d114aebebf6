"""Import of units and people: validate everything first, write nothing on error,
update by employee number on re-import."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from felles.core.models import AuditEvent
from felles.organisations import importing
from felles.organisations.models import Person, Role, Unit

UNITS_CSV = """enhetskode;enhetsnavn;type;overordnet_enhetskode
ADM;Administrasjonsavdelingen;avdeling;
ADM-HR;Seksjon for personal;seksjon;ADM
KA;Kulturavdelingen;avdeling;
KA-1;Seksjon for kunst;seksjon;KA
"""

PEOPLE_CSV = """ansattnummer;fornavn;etternavn;epost;enhetskode;stilling;leder_ansattnummer;aktiv
100;Hanne;Leder;hanne.leder@kud.dep.no;KA;Ekspedisjonssjef;;ja
101;Siv;Seksjon;siv.seksjon@kud.dep.no;KA-1;Avdelingsdirektør;100;ja
102;Tor;Rådgiver;tor.radgiver@kud.dep.no;KA-1;Rådgiver;101;ja
103;Åse;Ærlig;ase.aerlig@kud.dep.no;KA-1;Seniorrådgiver;101;ja
"""


def run(personas, kind: str, text: str, filename: str = "fil.csv", actor=None):
    plan = importing.plan_import(kind, personas.kud, text.encode("utf-8"), filename)
    if plan.ok:
        importing.apply_plan(actor=actor, plan=plan)
    return plan


def test_good_files_import_units_then_people(personas, actor) -> None:
    plan = run(personas, "units", UNITS_CSV, actor=actor)
    assert plan.ok and plan.creates == 4
    assert Unit.objects.get(organisation=personas.kud, code="KA-1").parent.code == "KA"
    plan = run(personas, "people", PEOPLE_CSV, actor=actor)
    assert plan.ok and plan.creates == 4
    tor = Person.objects.get(organisation=personas.kud, employee_number="102")
    assert tor.line_manager.employee_number == "101"
    assert tor.line_manager.line_manager.first_name == "Hanne"
    assert tor.user.username == "tor.radgiver@kud.dep.no"
    assert tor.roles.filter(role=Role.EMPLOYEE).exists()
    assert tor.line_manager.roles.filter(role=Role.LINE_MANAGER).exists()


def test_reimport_is_idempotent_and_updates_in_place(personas, actor) -> None:
    run(personas, "units", UNITS_CSV, actor=actor)
    run(personas, "people", PEOPLE_CSV, actor=actor)
    people, events = Person.objects.count(), AuditEvent.objects.count()
    again = run(personas, "people", PEOPLE_CSV, actor=actor)
    assert (again.creates, again.updates, again.unchanged) == (0, 0, 4)
    assert Person.objects.count() == people
    assert AuditEvent.objects.count() == events  # nothing changed, nothing audited
    changed = PEOPLE_CSV.replace(
        "Tor;Rådgiver;tor.radgiver@kud.dep.no;KA-1;Rådgiver",
        "Tor;Rådgiver;tor.radgiver@kud.dep.no;KA-1;Seniorrådgiver",
    )
    plan = run(personas, "people", changed, actor=actor)
    assert (plan.creates, plan.updates) == (0, 1)
    assert Person.objects.get(employee_number="102").title == "Seniorrådgiver"
    assert Person.objects.count() == people


def test_one_bad_row_rejects_the_whole_file(personas, actor) -> None:
    run(personas, "units", UNITS_CSV, actor=actor)
    before_people, before_events = Person.objects.count(), AuditEvent.objects.count()
    bad = PEOPLE_CSV + "104;Per;Feil;ikke-en-epost;KA-1;Rådgiver;999;kanskje\n"
    plan = run(personas, "people", bad, actor=actor)
    assert not plan.ok
    assert {(e.row, e.column) for e in plan.errors} == {
        (6, "epost"),
        (6, "leder_ansattnummer"),
        (6, "aktiv"),
    }
    assert Person.objects.count() == before_people
    assert AuditEvent.objects.count() == before_events
    with pytest.raises(importing.ServiceError):
        importing.apply_plan(actor=actor, plan=plan)


def test_duplicates_unknown_units_and_manager_loops_are_reported(personas, actor) -> None:
    run(personas, "units", UNITS_CSV, actor=actor)
    text = (
        "ansattnummer;fornavn;etternavn;epost;enhetskode;leder_ansattnummer\n"
        "1;A;A;a@kud.dep.no;KA;2\n"
        "2;B;B;b@kud.dep.no;XX;1\n"
        "2;C;C;a@kud.dep.no;KA;1\n"
        "3;;D;d@kud.dep.no;KA;3\n"
    )
    plan = run(personas, "people", text, actor=actor)
    messages = {(e.row, e.column): e.message for e in plan.errors}
    assert "finnes ikke" in messages[(3, "enhetskode")]
    assert "også på rad 3" in messages[(4, "ansattnummer")]
    assert "også på rad 2" in messages[(4, "epost")]
    assert messages[(5, "fornavn")] == "Må fylles ut."
    assert "sin egen leder" in messages[(5, "leder_ansattnummer")]
    assert any("sirkel" in e.message for e in plan.errors)


def test_missing_required_column_is_reported_on_the_header(personas) -> None:
    plan = importing.plan_import("people", personas.kud, b"fornavn;etternavn\nA;B\n", "x.csv")
    assert [(e.row, e.column) for e in plan.errors] == [(1, "ansattnummer"), (1, "epost")]


def test_unreadable_files_get_a_clear_error(personas) -> None:
    with pytest.raises(importing.ImportFileError, match="CSV"):
        importing.plan_import("people", personas.kud, b"x", "people.pdf")
    with pytest.raises(importing.ImportFileError, match="skadet"):
        importing.plan_import("people", personas.kud, b"not a zip", "people.xlsx")
    with pytest.raises(importing.ImportFileError, match="tom"):
        importing.plan_import("people", personas.kud, b"", "people.csv")


def test_xlsx_and_windows_1252_csv_are_read(personas, actor) -> None:
    run(personas, "units", UNITS_CSV, actor=actor)
    workbook = Workbook()
    sheet = workbook.active
    for line in PEOPLE_CSV.strip().splitlines():
        sheet.append([int(v) if v.isdigit() else v for v in line.split(";")])
    buffer = io.BytesIO()
    workbook.save(buffer)
    plan = importing.plan_import("people", personas.kud, buffer.getvalue(), "hr.xlsx")
    assert plan.ok and plan.creates == 4
    assert plan.rows[0]["employee_number"] == "100"
    plan = importing.plan_import("people", personas.kud, PEOPLE_CSV.encode("cp1252"), "hr.csv")
    assert plan.ok and plan.rows[3]["first_name"] == "Åse"


def test_unit_swap_in_one_file_applies(personas, actor) -> None:
    run(personas, "units", UNITS_CSV, actor=actor)
    swapped = UNITS_CSV.replace(
        "KA;Kulturavdelingen;avdeling;", "KA;Kulturavdelingen;avdeling;KA-1"
    ).replace("KA-1;Seksjon for kunst;seksjon;KA", "KA-1;Seksjon for kunst;seksjon;")
    plan = run(personas, "units", swapped, actor=actor)
    assert plan.ok
    assert Unit.objects.get(organisation=personas.kud, code="KA").parent.code == "KA-1"


def test_import_page_dry_run_then_confirm(personas, client: Client) -> None:
    client.force_login(personas.admin.user)
    upload = SimpleUploadedFile("enheter.csv", UNITS_CSV.encode(), content_type="text/csv")
    response = client.post("/import/", {"organisation": "KUD", "kind": "units", "file": upload})
    assert response.status_code == 200
    assert "4 nye" in response.content.decode()
    assert not Unit.objects.filter(code="KA-1").exists()  # dry run wrote nothing
    token = response.context["token"]
    response = client.post("/import/", {"confirm": token}, follow=True)
    assert "Importert: 4 nye" in response.content.decode()
    assert Unit.objects.filter(organisation=personas.kud, code="KA-1").exists()
    # The same confirmation cannot be replayed.
    response = client.post("/import/", {"confirm": token}, follow=True)
    assert "utløpt" in response.content.decode()


def test_import_page_shows_row_errors(personas, client: Client) -> None:
    client.force_login(personas.admin.user)
    upload = SimpleUploadedFile("p.csv", b"ansattnummer;fornavn;etternavn;epost\n1;A;B;x\n")
    response = client.post("/import/", {"organisation": "KUD", "kind": "people", "file": upload})
    assert response.status_code == 422
    body = response.content.decode()
    assert "1 feil" in body and "ikke en gyldig e-postadresse" in body


def test_only_administrators_may_import(personas, client: Client) -> None:
    client.force_login(personas.coordinator.user)
    assert client.get("/import/").status_code == 403


def test_damaged_files_and_huge_fields_are_clear_errors(personas) -> None:
    import zipfile

    huge = "ansattnummer;fornavn;etternavn;epost\n1;" + "x" * 200_000 + ";B;b@kud.dep.no\n"
    plan = importing.plan_import("people", personas.kud, huge.encode(), "hr.csv")
    assert [(e.row, e.column) for e in plan.errors] == [(2, "fornavn")]
    assert "Cellen har 200\u202f000 tegn" in plan.errors[0].message
    workbook = Workbook()
    workbook.active.append(["ansattnummer", "fornavn"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    damaged = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(damaged, "w") as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = data[: len(data) // 2]  # cut the sheet XML in half
            target.writestr(item, data)
    with pytest.raises(importing.ImportFileError, match="skadet"):
        importing.plan_import("people", personas.kud, damaged.getvalue(), "hr.xlsx")


def test_emails_are_compared_without_case_and_logins_are_never_taken_over(
    personas, actor, django_user_model
) -> None:
    django_user_model.objects.create_superuser("sjef@kud.dep.no", password="x" * 16)
    text = (
        "ansattnummer;fornavn;etternavn;epost\n"
        f"9;Per;Kopi;{personas.manager.email.upper()}\n"
        "10;Sjef;Sjefesen;sjef@kud.dep.no\n"
        f"11;Lang;Adresse;{'a' * 250}@kud.dep.no\n"
    )
    plan = importing.plan_import("people", personas.kud, text.encode(), "hr.csv")
    errors = {(e.row, e.column) for e in plan.errors}
    assert errors == {(2, "epost"), (3, "epost"), (4, "epost")}
    admin = django_user_model.objects.get(username="sjef@kud.dep.no")
    assert admin.is_superuser and not hasattr(admin, "person")


def test_confirmation_refused_when_data_changed_since_the_dry_run(
    personas, actor, client: Client
) -> None:
    client.force_login(personas.admin.user)
    upload = SimpleUploadedFile(
        "p.csv", b"ansattnummer;fornavn;etternavn;epost\n77;Ny;Person;ny.person@kud.dep.no\n"
    )
    token = client.post(
        "/import/", {"organisation": "KUD", "kind": "people", "file": upload}
    ).context["token"]
    # Someone else takes the address before the import is confirmed.
    from felles.organisations.tests.factories import make_person

    make_person(personas.fin, "tyv", email="ny.person@kud.dep.no")
    response = client.post("/import/", {"confirm": token})
    assert response.status_code == 422
    assert "E-postadressen tilhører en annen person" in response.content.decode()
    assert not Person.objects.filter(employee_number="77").exists()


def test_leavers_are_deactivated_with_their_logins_and_counted(personas, actor) -> None:
    run(personas, "units", UNITS_CSV, actor=actor)
    run(personas, "people", PEOPLE_CSV, actor=actor)
    leaving = PEOPLE_CSV.replace("Rådgiver;101;ja", "Rådgiver;101;nei").replace(
        "Seniorrådgiver;101;ja", "Fagdirektør;101;nei"
    )
    plan = importing.plan_import("people", personas.kud, leaving.encode(), "hr.csv")
    assert plan.ok and plan.deactivates == 2
    importing.apply_plan(actor=actor, plan=plan)
    assert (plan.updates, plan.deactivates, plan.unchanged) == (2, 2, 2)
    tor = Person.objects.get(organisation=personas.kud, employee_number="102")
    ase = Person.objects.get(organisation=personas.kud, employee_number="103")
    assert not tor.active and not tor.user.is_active
    assert not ase.active and ase.title == "Fagdirektør" and not ase.user.is_active
    event = AuditEvent.objects.filter(object_id=str(ase.uuid)).order_by("-sequence").first()
    assert event.changes == {"active": [True, False], "title": ["Seniorrådgiver", "Fagdirektør"]}
