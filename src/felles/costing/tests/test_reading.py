"""The cost pages as people read them: unit names instead of raw labels, proper plurals,
numbers and limits in the reader's format, and the pages in English."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from felles.costing import demo, services
from felles.costing.models import CostModel
from felles.testing import client_for

NB, NN, MINUS = "\u00a0", "\u202f", "\u2212"


@pytest.fixture(autouse=True)
def _bokmal_afterwards():
    """The language middleware leaves the request's language active in this thread; the
    next test (plain code, no request) reads bokmål again."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def finance(shop, actor) -> Any:
    from felles.organisations.models import Role
    from felles.organisations.tests.factories import make_person

    shop.siri = make_person(shop.dss, "siri", roles=[Role.PROVIDER_MANAGER])
    shop.model = demo.load(actor=actor, year=2026)
    demo.load_budget(actor=actor, year=2026, as_of=dt.date(2026, 6, 30))
    demo.load_transfers(actor=actor, year=2026)
    return shop


def _english(person: Any) -> Any:
    client = client_for(person)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_a_price_basis_names_the_unit_in_the_plural(finance) -> None:
    """«planlagt volum 700 rekruttering» was the free-text label glued to the number: the
    basis now names the UN/ECE unit, singular or plural."""
    page = client_for(finance.siri).get(reverse("cost_model", args=[finance.model.uuid])).text
    plain = page.replace(NN, " ")
    assert "700 rekruttering" not in plain
    assert f"delt på planlagt volum 700{NB}stk." in plain
    assert f"150 000{NB}timer = kr{NB}802,72 per time." in plain


def test_the_cost_model_page_in_english(finance) -> None:
    page = _english(finance.siri).get(reverse("cost_model", args=[finance.model.uuid])).text
    assert "Allocation of support costs – the methods side by side" in page
    assert f"divided by the planned volume 150,000{NB}hours = NOK{NB}802.72 per hour." in page
    assert "Reciprocal" in page and "Gjensidig" not in page
    assert "Fordeling av støttekostnader" not in page


def test_a_price_list_in_both_languages(finance, actor) -> None:
    price_list = services.propose_price_list(
        actor=actor, model=CostModel.objects.get(), effective_from=dt.date(2027, 1, 1)
    )
    services.adjust_price_list(actor=actor, price_list=price_list, percent=Decimal("2.5"))
    url = reverse("price_list", args=[price_list.uuid])
    bokmal = client_for(finance.siri).get(url).text
    assert f"kr{NB}822,79 per time" in bokmal.replace(NN, " ")
    assert f"Generell justering: 2,5{NB}%." in bokmal
    # The stored basis is the record, in bokmål, with amounts written the Norwegian way.
    item = price_list.items.get(service__code="srv-ekstra-vakt")
    assert f"Justert +2,5{NB}% (lønns- og priskompensasjon): kr{NB}802,72 → kr{NB}822,79." in (
        item.basis
    ), item.basis
    english = _english(finance.siri).get(url).text
    assert "<title>Price list DSS 2026 (Proposed)" in english
    assert f"NOK{NB}822.79 per hour" in english and "General adjustment: 2.5%." in english
    assert "Adjust all prices" in english


def test_limits_in_validation_messages_use_the_readers_decimal_mark(finance, actor) -> None:
    price_list = services.propose_price_list(
        actor=actor, model=CostModel.objects.get(), effective_from=dt.date(2027, 1, 1)
    )
    url = reverse("price_list", args=[price_list.uuid])
    page = client_for(finance.siri).post(url, {"adjust": "1", "percent": "-60"})
    assert page.status_code == 422
    assert f"{MINUS}50" in page.text and "lik -50" not in page.text
    url = reverse("transfers") + "?leverandor=DSS&ar=2026"
    page = client_for(finance.governance).post(
        url, {"save_scenario": "1", "name": "x", "pension_rate": "1.5"}
    )
    assert "0,99" in page.text and "0.99" not in page.text.split("<form")[-1].split("value=")[0]


def test_the_budget_and_transfer_pages_in_english(finance) -> None:
    siri = _english(finance.siri)
    budget = siri.get(reverse("budget") + "?leverandor=DSS&ar=2026").text
    assert "Budget and accounts DSS 2026" in budget and "accounts as of 30.06.2026" in budget
    assert "Expense items" in budget and "Utgiftsposter" not in budget
    transfers = siri.get(reverse("transfers") + "?leverandor=DSS&ar=2026").text
    assert "Salary cost per FTE" in transfers and "Lønnskostnad per årsverk" not in transfers
    recovery = siri.get(reverse("recovery") + "?leverandor=DSS&ar=2026").text
    assert "Recommended funding (table 3 of the review)" in recovery
    assert "Basic services are funded by the provider" in recovery
