"""Portfolio pages and API as their users meet them."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from felles.core.actor import Actor
from felles.portfolio import services
from felles.portfolio.models import BaselineMeasure, Project
from felles.testing import client_for


@pytest.fixture
def portfolio(shop, actor) -> Any:
    services.seed_evaluations(actor=actor)
    services.seed_portfolio(actor=actor)
    return shop


def test_overview_filters_by_area_and_puts_red_first(portfolio) -> None:
    services.update_status(
        actor=Actor.system("t"),
        project=Project.objects.get(code="informasjonsforvaltning"),
        status="red",
        reason="DIO er ikke klar",
    )
    client = client_for(portfolio.employee)
    page = client.get(reverse("portfolio")).content.decode()
    first = page.index("Informasjonsforvaltning: helhetlig i DIO")
    assert first < page.index("Ny styringsmodell for fellestjenestene")
    assert "Tidslinje for prosjektene" in page and "Holder planen?" in page
    page = client.get(reverse("portfolio"), {"omrade": "sikkerhet"}).content.decode()
    assert "Sikkerhet og beredskap: fellestjeneste i DSS" in page
    assert (
        "HR: samhandlingsmodell"
        not in page.split('<h2 class="ds-heading" data-size="md">Tidslinje')[0]
    )


def test_overview_exports_every_part_to_excel(portfolio) -> None:
    response = client_for(portfolio.governance).get(reverse("portfolio"), {"format": "xlsx"})
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "Prosjekter",
        "Milepæler",
        "Risiko",
        "Gevinster",
        "Pukkelkostnader",
    ]
    projects = list(workbook["Prosjekter"].values)
    assert projects[0][:2] == ("Kode", "Prosjekt") and len(projects) == 1 + Project.objects.count()
    assert len(list(workbook["Risiko"].values)) == 1 + 5
    # In English, the sheets and headings are English; the review's data stays as written.
    client = client_for(portfolio.governance)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("portfolio"), {"format": "xlsx"}).content)
    )
    assert workbook.sheetnames == [
        "Projects",
        "Milestones",
        "Risk",
        "Benefits",
        "Transition costs",
    ]
    assert next(iter(workbook["Projects"].values))[:3] == ("Code", "Project", "Area")


def test_project_page_takes_status_and_risk_from_dfd_only(portfolio) -> None:
    url = reverse("project", args=["sikkerhet"])
    # The service refuses a valid change from anyone else.
    valid = {"action": "status", "status": "green", "status_reason": ""}
    assert client_for(portfolio.employee).post(url, valid).status_code == 403
    dfd = client_for(portfolio.governance)
    response = dfd.post(url, {"action": "status", "status": "red", "status_reason": ""})
    assert (
        response.status_code == 422
        and "Gul og rød status må begrunnes." in response.content.decode()
    )
    dfd.post(
        url,
        {
            "action": "risk",
            "title": "Mangel på klarerte medarbeidere",
            "likelihood": 4,
            "consequence": 5,
            "residual_likelihood": 2,
            "residual_consequence": 4,
        },
    )
    page = dfd.get(url).content.decode()
    assert "Mangel på klarerte medarbeidere" in page and "4 × 5 = 20" in page
    assert "Risikokart før tiltak" in page and "Risikokart etter tiltak" in page


def test_evaluation_what_if_and_saving_weights(portfolio) -> None:
    url = reverse("evaluation", args=["hr"])
    employee = client_for(portfolio.employee)
    page = employee.get(url).content.decode()
    assert page.index("Modell 1: samhandlingsmodell") < page.index("Modell 2: samordningsmodell")
    assert "Vi anser derfor at dagens organisering ikke møter utfordringene" in page
    # The stored weights, except that quality no longer counts.
    weights = {
        "kvalitet": 0,
        "kostnad": 0.2,
        "ressursbruk": 0.2,
        "innovasjon": 0.1,
        "areal": 0.1,
        "risiko": 0.1,
    }
    what_if = employee.get(url, weights).content.decode()
    assert "Du ser en beregning med egne vekter" in what_if
    ranking = what_if[what_if.index("Rangering") :]
    assert ranking.index("Modell 2: samordningsmodell") < ranking.index(
        "Modell 1: samhandlingsmodell"
    )
    assert employee.post(url, weights).status_code == 403
    bad = employee.get(url, {**weights, "kvalitet": "x"})
    assert bad.status_code == 422
    client_for(portfolio.governance).post(url, {**weights, "kvalitet": "0.5"})
    assert portfolio_weight("hr", "kvalitet") == 0.5


def portfolio_weight(evaluation: str, criterion: str) -> float:
    from felles.portfolio.models import Criterion

    return float(Criterion.objects.get(evaluation__code=evaluation, code=criterion).weight)


BASELINE = (
    "departement;område;måltall;navn;enhet;verdi;dato\n"
    "KUD;service;areal;;m²;40;31.12.2025\n"
    "FIN;service;areal;;m²;55;31.12.2025\n"
).encode()


def test_baseline_import_on_the_web_and_who_sees_what(portfolio) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    dfd = client_for(portfolio.governance)
    page = dfd.post(
        reverse("baseline"), {"file": SimpleUploadedFile("kartlegging.csv", BASELINE)}
    ).content.decode()
    assert "Filen er gyldig: 2 nye måltall" in page and not BaselineMeasure.objects.exists()
    token = page.split('name="confirm" value="')[1].split('"')[0]
    dfd.post(reverse("baseline"), {"confirm": token})
    assert BaselineMeasure.objects.count() == 2
    # FIN's adviser sees FIN's figures, not KUD's.
    page = client_for(portfolio.outsider).get(reverse("baseline")).content.decode()
    assert "FIN" in page and ">KUD<" not in page
    upload = SimpleUploadedFile("kartlegging.csv", BASELINE)
    employee = client_for(portfolio.employee)
    assert employee.post(reverse("baseline"), {"file": upload}).status_code == 403


def test_api_baseline_dry_run_then_import(portfolio) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    dfd = client_for(portfolio.governance)
    dry = dfd.post(
        "/api/v1/portfolio/baseline", {"file": SimpleUploadedFile("k.csv", BASELINE)}
    ).json()
    assert dry == {"ok": True, "applied": False, "creates": 2, "existing": 0, "errors": []}
    done = dfd.post(
        "/api/v1/portfolio/baseline",
        {"file": SimpleUploadedFile("k.csv", BASELINE), "dry_run": "false"},
    ).json()
    assert done["applied"] and BaselineMeasure.objects.count() == 2
    bad = dfd.post(
        "/api/v1/portfolio/baseline",
        {"file": SimpleUploadedFile("k.csv", BASELINE + b"XX;service;areal;;;1;1.1.2026\n")},
    ).json()
    assert not bad["ok"] and bad["errors"][0]["column"] == "departement"


def test_api_evaluation_with_weights(portfolio) -> None:
    client = client_for(portfolio.employee)
    body = client.get("/api/v1/portfolio/evaluations/sikkerhet").json()
    assert body["ranking"][0]["name"].startswith("Modell 3")
    assert {w["code"] for w in body["weights"]} >= {"kvalitet", "risiko"}
    bad = client.get("/api/v1/portfolio/evaluations/sikkerhet", {"weights": "kvalitet:x"})
    assert bad.status_code == 422
    # With only risk counting, the status quo (no implementation risk) wins.
    only_risk = "kvalitet:0,kostnad:0,ressursbruk:0,innovasjon:0,areal:0,risiko:1"
    body = client.get("/api/v1/portfolio/evaluations/sikkerhet", {"weights": only_risk}).json()
    assert body["ranking"][0]["name"].startswith("0-alternativet")


def test_project_page_records_milestones_costs_transfers_and_benefits(portfolio) -> None:
    url = reverse("project", args=["servicetjenester"])
    dfd = client_for(portfolio.governance)
    dfd.post(url, {"action": "milestone", "name": "Servicetorg åpner", "due_on": "2026-09-01"})
    dfd.post(url, {"action": "hump", "year": 2026, "kind": "transition", "amount": "1800000"})
    dfd.post(
        url,
        {
            "action": "transfer",
            "ministry": portfolio.kud.pk,
            "provider": portfolio.dss.pk,
            "fte": "1.5",
            "transfer_on": "2026-09-01",
            "status": "agreed",
        },
    )
    benefit = {
        "action": "benefit",
        "kind": "floor_space",
        "ministry": portfolio.kud.pk,
        "measure": "Areal til servicefunksjoner",
        "baseline_value": "40",
        "target_value": "25",
        "target_on": "2027-06-30",
    }
    dfd.post(url, benefit)
    project = Project.objects.get(code="servicetjenester")
    assert project.milestones.get().name == "Servicetorg åpner"
    assert project.hump_costs.get().amount == 1800000
    assert project.transfers.get().fte == Decimal("1.5")
    assert project.benefits.count() == 1
    # The same benefit claimed again (even by another project) is refused, with the reason.
    again = dfd.post(reverse("project", args=["hr"]), benefit)
    assert again.status_code == 422
    assert "allerede planlagt i prosjektet «Servicetjenester" in again.content.decode()
    dfd.post(url, {"action": "reached", "milestone": project.milestones.get().uuid})
    assert project.milestones.get().done_on is not None
    # The transfer feeds the cost model's resource mapping.
    from felles.costing import services as costing_services
    from felles.costing.models import ResourceMapping

    costing_services.mapping_from_transfers(actor=Actor.system("t"), year=2026)
    assert ResourceMapping.objects.get(ministry=portfolio.kud).fte == Decimal("1.5")


def test_portfolio_lists_run_a_constant_number_of_queries(
    portfolio, django_assert_max_num_queries
) -> None:
    client = client_for(portfolio.governance)
    with django_assert_max_num_queries(60) as page_few:
        client.get(reverse("portfolio"))
    with django_assert_max_num_queries(40) as api_few:
        client.get("/api/v1/portfolio/projects")
    for i in range(6):  # more risks and milestones on every project
        for project in Project.objects.all():
            services.save_milestone(
                actor=Actor.system("t"), project=project, name=f"M{i}", due_on=project.ends_on
            )
            services.save_risk(
                actor=Actor.system("t"),
                project=project,
                values={
                    "title": f"R{i}",
                    "likelihood": 2,
                    "consequence": 2,
                    "residual_likelihood": 1,
                    "residual_consequence": 1,
                },
            )
    with django_assert_max_num_queries(len(page_few.captured_queries)):
        client.get(reverse("portfolio"))
    with django_assert_max_num_queries(len(api_few.captured_queries)):
        client.get("/api/v1/portfolio/projects")
