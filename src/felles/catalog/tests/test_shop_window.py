"""The catalogue as a shop window: cards with area, provider and the price for the user's
own ministry, filters that work as plain links and update in place with htmx, what the
ministry orders most, and a constant number of queries however large the catalogue."""

from __future__ import annotations

import re

import pytest

from felles.catalog.models import Funding, ServiceAvailability
from felles.core.actor import Actor
from felles.orders import services as order_services
from felles.testing import answers, client_for

HTMX = {"HTTP_HX_REQUEST": "true"}


def card_names(body: str) -> list[str]:
    return re.findall(r'<h3 class="ds-heading" data-size="xs"><a [^>]*>([^<]+)</a>', body)


def test_cards_show_area_provider_and_the_price_for_my_ministry(shop) -> None:
    body = client_for(shop.employee).get("/tjenester/").content.decode()
    # An appropriation-funded service is «Inkludert»; an invoiced one shows its price.
    card = body[body.index(">Ekstra renhold<") :][:1200]
    assert "kr\u00a0560,00 per time" in card and "Må godkjennes" in card
    assert "Service- og kontorstøttefunksjoner · DSS" in card
    card = body[body.index(">Renhold<") :][:1200]
    assert ">Inkludert<" in card


def test_funding_filter_follows_the_ministrys_own_funding(shop) -> None:
    service = shop.services["srv-ekstra-renhold"]
    ServiceAvailability.objects.create(
        service=service, organisation=shop.kud, funding=Funding.APPROPRIATION
    )
    ServiceAvailability.objects.create(service=service, organisation=shop.fin)
    kari = client_for(shop.employee).get("/tjenester/?finansiering=inkludert").content.decode()
    ola = client_for(shop.outsider).get("/tjenester/?finansiering=inkludert").content.decode()
    assert "Ekstra renhold" in card_names(kari)
    assert "Ekstra renhold" not in card_names(ola)


@pytest.mark.parametrize(
    ("query", "present", "absent"),
    [
        ("omrade=hr", "Full rekrutteringsbistand", "Ekstra renhold"),
        ("leverandor=DIO", "Bærbar PC", "Ekstra renhold"),
        ("godkjenning=nei", "Renhold", "Ekstra renhold"),
        ("godkjenning=ja", "Ekstra renhold", "Renhold"),
        ("q=renhold&godkjenning=ja", "Ekstra renhold", "Renhold"),
    ],
)
def test_filters_narrow_the_cards(shop, query: str, present: str, absent: str) -> None:
    names = card_names(client_for(shop.employee).get(f"/tjenester/?{query}").content.decode())
    assert present in names and absent not in names


def test_filters_update_in_place_with_htmx(shop) -> None:
    response = client_for(shop.employee).get("/tjenester/?omrade=hr", **HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert "Full rekrutteringsbistand" in card_names(body)
    assert "HX-Request" in response["Vary"]


def test_an_unknown_filter_value_shows_everything_not_an_error(shop) -> None:
    response = client_for(shop.employee).get("/tjenester/?omrade=finnes-ikke&godkjenning=kanskje")
    assert response.status_code == 200
    assert len(card_names(response.content.decode())) > 40


def test_most_ordered_in_my_ministry_comes_first(shop, actor) -> None:
    mobile = shop.services["srv-mobil"]
    for _ in range(3):
        order_services.submit_order(
            actor=actor, orderer=shop.employee, service=mobile, answers=answers(mobile)
        )
    kari = client_for(shop.employee).get("/tjenester/").content.decode()
    assert "Mest bestilt i KUD" in kari
    popular = kari[kari.index("Mest bestilt i KUD") : kari.index("</section>")]
    assert card_names(popular) == ["Mobiltelefon og abonnement"]
    # FIN has ordered nothing, and a filtered list shows no such section.
    assert "Mest bestilt" not in client_for(shop.outsider).get("/tjenester/").content.decode()
    filtered = client_for(shop.employee).get("/tjenester/?omrade=ikt").content.decode()
    assert "Mest bestilt" not in filtered


def test_the_service_editor_has_no_empty_dashes_choice(shop) -> None:
    from felles.organisations.models import Role
    from felles.organisations.tests.factories import make_person

    manager = make_person(shop.dss, "marte", roles=[Role.PROVIDER_MANAGER])
    service = shop.services["srv-moterom"]
    body = client_for(manager).get(f"/tjenester/{service.uuid}/endre/").content.decode()
    assert "<select" in body and "---------" not in body


def test_catalogue_and_service_page_read_a_constant_number_of_queries(
    shop, actor, django_assert_max_num_queries
) -> None:
    client = client_for(shop.employee)
    mobile = shop.services["srv-mobil"]
    client.get("/tjenester/")  # warm the session
    with django_assert_max_num_queries(14) as first:
        client.get("/tjenester/")
    with django_assert_max_num_queries(14):
        client.get(f"/tjenester/{mobile.uuid}/")
    # More orders, more services ordered: the same number of queries.
    for code in ("srv-mobil", "srv-ekstra-renhold", "ikt-pc", "srv-moterom"):
        svc = shop.services[code]
        order_services.submit_order(
            actor=Actor.system("t"), orderer=shop.employee, service=svc, answers=answers(svc)
        )
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get("/tjenester/")
