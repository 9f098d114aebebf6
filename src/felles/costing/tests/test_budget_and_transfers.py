"""Budgets against the ledger, appropriation-transfer scenarios, recovery, funding advice,
and price approval resting on a decision in the governance register."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from felles.catalog.models import ServiceArea
from felles.core.actor import Actor
from felles.core.services import ServiceError
from felles.costing import demo, importing, selectors, services
from felles.costing.models import LedgerImport
from felles.testing import client_for

D = Decimal
YEAR = 2026


@pytest.fixture
def finance(shop, actor) -> Any:
    from felles.organisations.models import Role
    from felles.organisations.tests.factories import make_person

    shop.siri = make_person(shop.dss, "siri", roles=[Role.PROVIDER_MANAGER])
    demo.load(actor=actor, year=YEAR)
    demo.load_budget(actor=actor, year=YEAR, as_of=dt.date(YEAR, 6, 30))
    return shop


def ledger(*rows: str) -> bytes:
    return "\n".join(["kapittel;post;beløp;dato", *rows]).encode()


def test_budget_view_applies_merinntekt_and_carry_over(finance) -> None:
    view = selectors.budget_view(finance.dss, YEAR)
    post01 = next(p for p in view.summary.expense if p.post == "01")
    # Two revenue posts fund post 01; their difference to budget moves its headroom.
    assert len(post01.revenue) == 2
    assert post01.headroom == post01.appropriation + post01.revenue_difference
    assert view.as_of == dt.date(YEAR, 6, 30)
    post45 = next(p for p in view.summary.expense if p.post == "45")
    assert post45.transferable and post45.carry_over == post45.remaining


def test_ledger_import_checks_every_row_and_sums_transactions(finance) -> None:
    bad = importing.plan_ledger(
        finance.dss,
        YEAR,
        ledger(
            "1510;01;100;30.09.2026",
            "1510;99;100;30.09.2026",  # not in the budget
            "1510;21;tusen;30.09.2026",
            "1510;22;5;30.09.2025",  # another year
        ),
        "regnskap.csv",
    )
    assert [(e.row, e.column) for e in bad.errors] == [(3, "post"), (4, "beløp"), (5, "dato")]
    mixed = importing.plan_ledger(
        finance.dss, YEAR, ledger("1510;01;1;30.09.2026", "1510;21;1;29.09.2026"), "r.csv"
    )
    assert "flere datoer" in mixed.errors[0].message
    plan = importing.plan_ledger(
        finance.dss,
        YEAR,
        ledger("1510;1;600 000 000;30.09.2026", "1510;01;50 000 000,50;30.09.2026"),
        "r.csv",
    )
    assert plan.ok and plan.rows[0]["amount"] == D("650000000.50")
    importing.apply_ledger(actor=Actor.system("t"), provider=finance.dss, year=YEAR, plan=plan)
    view = selectors.budget_view(finance.dss, YEAR)
    assert view.as_of == dt.date(YEAR, 9, 30)
    assert next(p for p in view.summary.expense if p.post == "01").spent == D("650000000.50")
    again = importing.plan_ledger(
        finance.dss,
        YEAR,
        ledger("1510;1;600 000 000;30.09.2026", "1510;01;50 000 000,50;30.09.2026"),
        "r.csv",
    )
    assert again.ok and again.creates == 0 and again.existing == 1
    assert LedgerImport.objects.count() == 2


def test_budget_page_is_read_by_all_and_written_by_provider_finance(finance) -> None:
    url = reverse("budget") + "?leverandor=DSS&ar=2026"
    page = client_for(finance.employee).get(url).content.decode()
    assert "1510 post 01 Driftsutgifter" in page and "regnskap per 30.06.2026" in page
    assert "Importer regnskap" not in page
    # The service refuses a valid post from anyone but the provider's managers, and an
    # upload already at the dry run.
    valid = {"save_post": "1", "chapter": 1510, "post": "01", "name": "Drift", "kind": "expense"}
    employee = client_for(finance.employee)
    assert employee.post(url, {**valid, "amount": 1}).status_code == 403
    upload = SimpleUploadedFile("r.csv", ledger("1510;01;1;30.09.2026"))
    assert employee.post(url, {"file": upload}).status_code == 403
    siri = client_for(finance.siri)
    response = siri.post(
        url,
        {
            "save_post": "1",
            "chapter": 1510,
            "post": "1",
            "name": "Feil",
            "kind": "expense",
            "amount": 1,
        },
    )
    assert response.status_code == 422 and "Posten er to sifre" in response.content.decode()
    page = siri.post(
        url, {"file": SimpleUploadedFile("r.csv", ledger("1510;01;1;30.09.2026"))}
    ).content.decode()
    assert "regnskap per 30.09.2026 for 1 post." in page


def test_transfer_scenarios_side_by_side_from_the_mapping(finance) -> None:
    demo.load_transfers(actor=Actor.system("t"), year=YEAR)
    results = {
        r.scenario.name: r.result
        for r in selectors.transfer_results(finance.dss, YEAR, finance.governance.user)
    }
    assert results["Med frigjort areal"].total == D("7190640.00")
    assert {r.ministry: r.amount for r in results["Med frigjort areal"].rows}["FIN"] == D(
        "2996100.00"
    )
    assert results["Uten areal, 0,5 % gevinstuttak"].total == D("6617386.80")
    # FIN's adviser sees the totals and FIN's own row, not KD's or LMD's.
    page = client_for(finance.outsider).get(reverse("transfers")).content.decode()
    assert "kr\u00a07\u202f190\u202f640,00" in page and "kr\u00a02\u202f996\u202f100,00" in page
    assert "2\u202f396\u202f880,00" not in page and ">KD<" not in page
    xlsx = client_for(finance.outsider).get(reverse("transfers"), {"format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    with pytest.raises(ServiceError, match="andel"):
        services.save_scenario(
            actor=Actor.system("t"),
            provider=finance.dss,
            year=YEAR,
            name="Feil",
            values={"average_salary": D(1), "pension_rate": D(12)},
            areas=list(ServiceArea.objects.all()[:1]),
        )


def test_mapping_import_replaces_refined_estimates(finance) -> None:
    content = b"departement;omr\xc3\xa5de;\xc3\xa5rsverk\nFIN;hr;2,5\nKD;hr;2\n"
    plan = importing.plan_mapping(YEAR, content, "k.csv")
    importing.apply_mapping(actor=Actor.system("t"), year=YEAR, plan=plan)
    refined = importing.plan_mapping(YEAR, content.replace(b"2,5", b"3"), "k.csv")
    assert refined.creates == 1 and refined.existing == 1
    assert refined.rows[0]["replaces"] == D("2.50")
    bad = importing.plan_mapping(YEAR, content + b"XX;hr;1\nFIN;hr;1\n", "k.csv")
    assert [(e.row, e.column) for e in bad.errors] == [(4, "departement"), (5, "område")]


def test_recovery_flags_prices_against_full_cost(finance) -> None:
    rows = {r.service.code: r for r in selectors.recovery(_model(), YEAR)}
    # The demo academy course is priced at 3 500 against a full-cost unit price of 2 448,98.
    assert rows["hr-akademiet"].flag == "above"
    assert rows["srv-ekstra-vakt"].flag == "below"
    assert rows["srv-moterom"].flag == "appropriation"


def _model() -> Any:
    from felles.costing.models import CostModel

    return CostModel.objects.get()


def test_funding_recommendation_lists_services_that_differ(finance) -> None:
    rows = {
        r.service.code: r
        for r in selectors.funding_recommendations(finance.dss, dt.date(YEAR, 11, 1))
    }
    fixed_invoiced = [r for r in rows.values() if r.service.cost_kind == "fixed_addon"]
    for row in fixed_invoiced:
        assert row.recommendation.mechanism == "appropriation"
        assert row.differs == (row.service.funding != "appropriation")


def test_price_list_approval_rests_on_a_dfd_decision(finance, actor) -> None:
    from felles.governance import services as governance_services
    from felles.governance.models import DecisionRight

    governance_services.seed_decision_rights(actor=actor)
    price_list = services.propose_price_list(
        actor=actor, model=_model(), effective_from=dt.date(2027, 1, 1)
    )
    case = governance_services.raise_case(
        actor=actor,
        raised_by=finance.siri,
        right=DecisionRight.objects.get(code="priser"),
        provider=finance.dss,
        title="Priser 2027",
        description="Forslag til prisliste.",
    )
    case.hearings.update(deadline=dt.date(2000, 1, 1))
    with pytest.raises(ServiceError, match="avgjort sak"):
        services.approve_price_list(actor=actor, price_list=price_list, decision=case)
    case = governance_services.decide_case(
        actor=actor, case=case, decision="Prisene vedtas.", reasons="Fullkost."
    )
    # DFD finds the decision on the price list's page and approves through the API with it
    # (costing asks governance's decision log through costing.events.decided_cases).
    dfd = client_for(finance.governance)
    page = dfd.get(reverse("price_list", args=[price_list.uuid])).content.decode()
    assert case.number in page
    approved = dfd.post(
        f"/api/v1/costing/price-lists/{price_list.uuid}/approve",
        {"decision_id": str(case.uuid)},
        content_type="application/json",
    )
    assert approved.status_code == 200, approved.content
    price_list.refresh_from_db()
    assert price_list.decision_reference == f"{case.number} Priser 2027"
    assert list(case.price_lists.all()) == [price_list]


def test_api_budget_posts_ledger_and_transfers(finance) -> None:
    siri = client_for(finance.siri)
    body = {
        "provider": "DSS",
        "year": YEAR,
        "chapter": 4510,
        "post": "05",
        "name": "Andre inntekter",
        "kind": "revenue",
        "amount": "1000000",
        "funds": "1510.01",
    }
    assert siri.put("/api/v1/costing/budget/posts", body, "application/json").status_code == 200
    bad = siri.put("/api/v1/costing/budget/posts", {**body, "funds": "1511.01"}, "application/json")
    assert bad.status_code == 422 and "funds" in bad.json()["errors"]
    # A manager of another provider (DIO) may not keep DSS's budget.
    from felles.organisations.models import Organisation, Role
    from felles.organisations.tests.factories import make_person

    dio = make_person(
        Organisation.objects.get(abbreviation="DIO"), "dina", roles=[Role.PROVIDER_MANAGER]
    )
    assert (
        client_for(dio).put("/api/v1/costing/budget/posts", body, "application/json").status_code
        == 403
    )
    upload = SimpleUploadedFile("r.csv", ledger("4510;05;250000;30.09.2026"))
    dry = siri.post("/api/v1/costing/budget/ledger", {"file": upload, "year": YEAR}).json()
    assert dry["ok"] and not dry["applied"] and dry["creates"] == 1
    budget = client_for(finance.employee).get("/api/v1/costing/budget", {"year": YEAR}).json()
    assert budget["as_of"] == "2026-06-30"  # the dry run wrote nothing
    demo.load_transfers(actor=Actor.system("t"), year=YEAR)
    scenarios = client_for(finance.employee).get("/api/v1/costing/transfers", {"year": YEAR})
    totals = {s["name"]: s["total"] for s in scenarios.json()}
    assert totals["Med frigjort areal"] == "7190640.00"


def test_recovery_summary_puts_each_krone_in_one_place(finance) -> None:
    rows = selectors.recovery(_model(), YEAR)
    summary = selectors.recovery_summary(rows)
    assert summary.full_cost == sum(r.full_cost for r in rows)
    assert summary.invoiced + summary.shown_back + summary.unaccounted == summary.full_cost
    room = next(r for r in rows if r.service.code == "srv-moterom")
    assert room.showback == (room.volume * room.unit_full_cost).quantize(D("0.01"))


def test_api_propose_and_approve_a_price_list(finance) -> None:
    siri = client_for(finance.siri)
    url = f"/api/v1/costing/models/{_model().uuid}/price-lists"
    created = siri.post(url, {"effective_from": "2027-01-01"}, "application/json")
    assert created.status_code == 201 and created.json()["status"] == "proposed"
    approve = f"/api/v1/costing/price-lists/{created.json()['id']}/approve"
    assert siri.post(approve, {"decision_reference": "x"}, "application/json").status_code == 403
    dfd = client_for(finance.governance)
    missing = dfd.post(approve, {}, "application/json")
    assert missing.status_code == 422
    done = dfd.post(approve, {"decision_reference": "DFD 2026/7"}, "application/json").json()
    assert done["status"] == "approved" and done["decision_reference"] == "DFD 2026/7"


def test_odd_input_gets_an_answer_not_a_crash(finance) -> None:
    client = client_for(finance.employee)
    assert client.get("/api/v1/costing/recovery", {"year": 10000}).status_code == 422
    assert client.get("/api/v1/costing/budget", {"year": 1}).status_code == 422
    plan = importing.plan_ledger(finance.dss, YEAR, ledger("15¹0;01;1;30.09.2026"), "r.csv")
    assert [e.column for e in plan.errors] == ["post"]


def test_showback_asks_costing_for_full_cost_prices(finance) -> None:
    """Invoicing sits below costing: it asks through its own query hook, which costing
    answers when the app is ready (docs/architecture.md)."""
    from felles.invoicing import events

    prices = events.full_cost_prices(year=YEAR)
    assert prices and prices == selectors.full_cost_prices(YEAR)
