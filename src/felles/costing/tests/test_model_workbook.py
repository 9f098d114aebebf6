"""A cost model as a workbook: download, edit (drivers per period), upload — all checked
before anything is saved."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from felles.core.tabular import ImportFileError
from felles.costing import demo, selectors, workbook_import
from felles.costing.models import CostModel

D = Decimal


@pytest.fixture
def finance(shop, actor) -> Any:
    from felles.organisations.models import Role
    from felles.organisations.tests.factories import make_person

    shop.siri = make_person(shop.dss, "siri", roles=[Role.PROVIDER_MANAGER])
    shop.model = demo.load(actor=actor, year=2026)
    return shop


def workbook(sheets: dict[str, tuple[list[str], list[list[Any]]]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, (headers, rows) in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append(headers)
        for row in rows:
            sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_download_then_upload_reproduces_the_model(finance) -> None:
    client = Client()
    client.force_login(finance.siri.user)
    response = client.get(reverse("cost_model", args=[finance.model.uuid]), {"format": "modell"})
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Kostnadssteder", "Fordelingsnøkler", "Tjenester"]
    plan = workbook_import.plan_model(finance.dss, response.content, "modell.xlsx")
    assert plan.ok, plan.errors
    assert len(plan.centres) == 5 and len(plan.services) == 5
    before = {
        line["centre"].code: line["full_cost"] for line in selectors.compute(finance.model).lines
    }
    upload = SimpleUploadedFile("modell.xlsx", response.content)
    page = client.post(
        reverse("cost_models"),
        {"provider": "DSS", "year": 2026, "name": finance.model.name, "file": upload},
    ).content.decode()
    assert "Modellen går opp" in page
    token = page.split('name="confirm" value="')[1].split('"')[0]
    client.post(reverse("cost_models"), {"confirm": token})
    model = CostModel.objects.get()
    assert {
        line["centre"].code: line["full_cost"] for line in selectors.compute(model).lines
    } == before
    assert model.quantities.count() == 8


def test_the_newest_period_gives_the_shares(finance) -> None:
    sheets = workbook_import.model_workbook_sheets(finance.model)
    headers, rows = sheets["Fordelingsnøkler"]
    older = [["2025-12", *row[1:]] for row in rows]
    # In March IKT served only the service lines, by users.
    newer = [row for row in rows if row[1] == "ADM"] + [
        ["2026-03", "IKT", "SIK", "brukere", 300],
        ["2026-03", "IKT", "KTS", "brukere", 100],
    ]
    newer = [["2026-03", *row[1:]] if row[0] != "2026-03" else row for row in newer]
    sheets["Fordelingsnøkler"] = (headers, older + newer)
    plan = workbook_import.plan_model(finance.dss, workbook(sheets), "modell.xlsx")
    assert plan.ok, plan.errors
    assert plan.period.isoformat() == "2026-03-01"
    assert ("IKT", "SIK", D("0.75"), "brukere") in plan.shares
    assert len(plan.quantities) == len(older) + len(newer)


@pytest.mark.parametrize("period", [9999, "9999", "0999", "2101-01", "1999-12"])
def test_a_period_outside_2000_to_2100_is_a_row_error(finance, period: Any) -> None:
    """The newest period sets the shares: year 9999 would outrank every real one for ever."""
    from felles.core.validators import DATE_RANGE_MESSAGE

    sheets = workbook_import.model_workbook_sheets(finance.model)
    headers, rows = sheets["Fordelingsnøkler"]
    sheets["Fordelingsnøkler"] = (headers, [*rows, [period, *rows[0][1:]]])
    plan = workbook_import.plan_model(finance.dss, workbook(sheets), "modell.xlsx")
    assert [(e.column, e.message) for e in plan.errors] == [
        ("Fordelingsnøkler: periode", DATE_RANGE_MESSAGE)
    ]
    assert plan.period is None and not plan.shares


def test_every_error_is_reported_and_nothing_saved(finance) -> None:
    sheets = workbook_import.model_workbook_sheets(finance.model)
    headers, centres = sheets["Kostnadssteder"]
    sheets["Kostnadssteder"] = (headers, [*centres, ["XX", "Ukjent", "tull", -5, 0]])
    headers, drivers = sheets["Fordelingsnøkler"]
    sheets["Fordelingsnøkler"] = (headers, [*drivers, ["mars", "SIK", "ADM", "m²", 1]])
    headers, services = sheets["Tjenester"]
    sheets["Tjenester"] = (headers, [*services, ["SIK", "finnes-ikke", 2, 0, None]])
    plan = workbook_import.plan_model(finance.dss, workbook(sheets), "modell.xlsx")
    columns = {e.column for e in plan.errors}
    assert {
        "Kostnadssteder: type",
        "Kostnadssteder: direkte kostnad",
        "Fordelingsnøkler: periode",
        "Fordelingsnøkler: fra",
        "Tjenester: tjeneste",
        "Tjenester: andel",
        "Tjenester: planlagt volum",
    } <= columns
    unbalanced = workbook_import.model_workbook_sheets(finance.model)
    headers, drivers = unbalanced["Fordelingsnøkler"]
    # ADM and IKT serve only each other: their costs can never reach a service line.
    unbalanced["Fordelingsnøkler"] = (
        headers,
        [["2026", "ADM", "IKT", "årsverk", 1], ["2026", "IKT", "ADM", "brukere", 1]],
    )
    plan = workbook_import.plan_model(finance.dss, workbook(unbalanced), "modell.xlsx")
    assert plan.errors and "går ikke opp" in plan.errors[0].message
    missing = getattr(workbook_import.plan_model, "__wrapped__", None)
    assert missing is None
    assert CostModel.objects.get().quantities.count() == 0  # the demo model is untouched
    del unbalanced["Tjenester"]
    with pytest.raises(ImportFileError, match="«Tjenester»"):
        workbook_import.plan_model(finance.dss, workbook(unbalanced), "modell.xlsx")


def test_duplicate_rows_and_huge_amounts_are_row_errors_not_crashes(finance) -> None:
    sheets = workbook_import.model_workbook_sheets(finance.model)
    headers, services_rows = sheets["Tjenester"]
    sheets["Tjenester"] = (headers, [*services_rows, services_rows[0]])
    headers, drivers = sheets["Fordelingsnøkler"]
    sheets["Fordelingsnøkler"] = (headers, [*drivers, drivers[0]])
    headers, centres = sheets["Kostnadssteder"]
    sheets["Kostnadssteder"] = (headers, [[*centres[0][:3], 10**15, 0], *centres[1:]])
    plan = workbook_import.plan_model(finance.dss, workbook(sheets), "modell.xlsx")
    messages = " ".join(e.message for e in plan.errors)
    assert "står to ganger på linjen" in messages
    assert "Samme periode, fra og til står to ganger" in messages
    assert "999 999 999 999" in messages


def test_the_model_page_states_the_step_down_order(finance) -> None:
    from felles.costing import allocation, selectors

    order = allocation.step_down_order(selectors.network(finance.model))
    client = Client()
    client.force_login(finance.siri.user)
    page = client.get(reverse("cost_model", args=[finance.model.uuid])).content.decode()
    assert "lukker støttefunksjonene i denne rekkefølgen: " + " → ".join(order) in page
