"""Placing, following and cancelling bundle orders, and refusing bad definitions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from felles.bundles import selectors, services
from felles.bundles.models import BundleItem, BundleLink, BundleOrder
from felles.core.actor import Actor
from felles.core.calendar import add_working_days
from felles.core.services import ServiceError
from felles.orders import services as order_services
from felles.orders.models import Order
from felles.testing import client_for

pytestmark = pytest.mark.django_db
TODAY = dt.date(2027, 3, 1)
START = dt.date(2027, 3, 30)  # the Tuesday after Easter Monday


def onboard(b: Any, needs: list[str], clearance: str = "Ingen", start: dt.date = START) -> Order:
    per = b.manager
    return services.submit_bundle(
        actor=Actor(user=per.user),
        orderer=per,
        bundle=b.onboarding,
        values={
            "navn": "Nora Ny",
            "enhet": b.unit,
            "startdato": start,
            "stilling": "Rådgiver",
            "klarering": clearance,
            "behov": needs,
            "merknad": "",
        },
        today=TODAY,
    )


def children(parent: Order) -> dict[str, Order]:
    return {
        link.child.service.code: link.child
        for link in BundleLink.objects.filter(parent=parent).select_related("child__service")
    }


def test_onboarding_creates_the_children_the_answers_call_for(bundles: Any) -> None:
    parent = onboard(bundles, ["PC", "Adgangskort"])
    kids = children(parent)
    # No phone, workplace, course or clearance: their conditions exclude them.
    assert set(kids) == {"ikt-tilgang", "ikt-pc", "srv-adgangskort"}
    assert {k.service.provider.abbreviation for k in kids.values()} == {"DIO", "DSS"}
    dues = {link.child.service.code: link.due_date for link in parent.child_links.all()}
    assert dues == {
        "ikt-tilgang": dt.date(2027, 3, 18),
        "ikt-pc": dt.date(2027, 3, 18),
        "srv-adgangskort": dt.date(2027, 3, 22),
    }
    pc = kids["ikt-pc"].answers
    assert pc["mottaker"]["value"] == {"id": None, "name": "Nora Ny"}
    assert pc["variant"]["value"] == "Standard"
    assert pc["leveringsdato"]["value"] == "2027-03-18"
    assert parent.answers["enhet"]["value"]["name"] == bundles.unit.name
    assert BundleOrder.objects.get(order=parent).person_name == "Nora Ny"
    # Each child has its own approval chain (Per's line manager approves the PC).
    assert kids["ikt-pc"].steps.exists()
    # The clearance is asked for when the role needs it.
    with_clearance = children(onboard(bundles, [], clearance="HEMMELIG"))
    assert set(with_clearance) == {"ikt-tilgang", "sik-klarering"}
    assert with_clearance["sik-klarering"].answers["niva"]["value"] == "HEMMELIG"
    # The level is the restricted child's; the parent (seen more widely) does not keep it.
    assert "klarering" not in with_clearance["ikt-tilgang"].parent_link.parent.answers


def test_start_date_in_the_past_saves_nothing(bundles: Any) -> None:
    before = Order.objects.count()
    with pytest.raises(ServiceError, match="tilbake i tid"):
        onboard(bundles, ["PC"], start=TODAY - dt.timedelta(days=1))
    assert Order.objects.count() == before
    assert not BundleOrder.objects.exists()


def test_a_bundle_cannot_include_itself_or_another_bundle(bundles: Any) -> None:
    system = Actor.system("test")
    count = BundleItem.objects.count()
    with pytest.raises(ServiceError, match="seg selv"):
        services.save_item(
            actor=system, bundle=bundles.onboarding, child_service=bundles.onboarding.service
        )
    # No nesting (so no loop through another bundle either).
    with pytest.raises(ServiceError, match="kan ikke inneholde en annen samlebestilling"):
        services.save_item(
            actor=system, bundle=bundles.offboarding, child_service=bundles.onboarding.service
        )
    with pytest.raises(ServiceError, match="Vilkåret"):
        services.save_item(
            actor=system,
            bundle=bundles.onboarding,
            child_service=bundles.services["srv-mobil"],
            condition=("finnes_ikke", "equals", "x"),
        )
    assert BundleItem.objects.count() == count


def test_only_the_providers_managers_change_a_bundle(bundles: Any) -> None:
    from felles.core.services import Forbidden

    with pytest.raises(Forbidden):
        services.save_item(
            actor=Actor(user=bundles.manager.user),
            bundle=bundles.onboarding,
            child_service=bundles.services["srv-mobil"],
        )


def _deliver(order: Order, agent: Any) -> None:
    system = Actor.system("test")
    for step in order.steps.filter(state="pending"):
        order_services.decide(
            actor=system, step=step, decider=step.approver, on_behalf_of=step.approver, approve=True
        )
    order.refresh_from_db()
    order_services.take(actor=system, order=order, agent=agent)
    order_services.resolve(actor=system, order=order, agent=agent, resolution="Klart.")
    order_services.confirm(actor=system, order=order, person=order.orderer)


def test_the_parent_closes_when_every_child_is_finished(bundles: Any) -> None:
    from felles.organisations.models import Role
    from felles.organisations.tests.factories import make_person

    parent = onboard(bundles, ["PC"])
    kids = children(parent)
    dio = make_person(kids["ikt-pc"].service.provider, "dioagent", roles=[Role.PROVIDER_AGENT])
    _deliver(kids["ikt-pc"], dio)
    assert (
        selectors.readiness([o.status for o in Order.objects.filter(parent_link__parent=parent)])[1]
        == "info"
    )
    _deliver(kids["ikt-tilgang"], dio)
    parent.refresh_from_db()
    assert parent.status == "closed"
    assert parent.events.filter(kind="closed").exists()
    status, colour = selectors.readiness(
        [o.status for o in Order.objects.filter(parent_link__parent=parent)]
    )
    assert (status, colour) == ("Klar til første dag", "success")
    page = client_for(bundles.manager).get(f"/bestillinger/{parent.uuid}/")
    assert "Klar til første dag" in page.content.decode()


def test_a_child_rejected_in_approval_shows_on_the_parent(bundles: Any) -> None:
    parent = onboard(bundles, ["PC"])
    pc = children(parent)["ikt-pc"]
    step = pc.steps.get(state="pending")
    order_services.decide(
        actor=Actor.system("test"),
        step=step,
        decider=step.approver,
        on_behalf_of=step.approver,
        approve=False,
        comment="Har PC fra før.",
    )
    body = client_for(bundles.manager).get(f"/bestillinger/{parent.uuid}/").content.decode()
    assert "avvist eller kansellert" in body
    assert pc.number in body
    # The child names its parent.
    child_page = client_for(bundles.manager).get(f"/bestillinger/{pc.uuid}/").content.decode()
    assert parent.number in child_page


def test_cancelling_the_parent_cancels_the_open_children(bundles: Any) -> None:
    parent = onboard(bundles, ["PC", "Adgangskort"])
    client = client_for(bundles.manager)
    page = client.get(f"/pakke/bestilling/{parent.uuid}/kanseller/")
    assert page.status_code == 200
    response = client.post(
        f"/pakke/bestilling/{parent.uuid}/kanseller/",
        {"reason": "Trakk seg", "with_children": "on"},
    )
    assert response.status_code == 302
    parent.refresh_from_db()
    assert parent.status == "cancelled"
    assert {o.status for o in children(parent).values()} == {"cancelled"}


def test_cancelling_the_parent_leaves_the_children_in_work_named(bundles: Any) -> None:
    from felles.organisations.models import Role
    from felles.organisations.tests.factories import make_person

    parent = onboard(bundles, ["PC"])
    kids = children(parent)
    pc = kids["ikt-pc"]
    for step in pc.steps.filter(state="pending"):
        order_services.decide(
            actor=Actor.system("test"),
            step=step,
            decider=step.approver,
            on_behalf_of=step.approver,
            approve=True,
        )
    dio = make_person(pc.service.provider, "dioagent", roles=[Role.PROVIDER_AGENT])
    order_services.take(actor=Actor.system("test"), order=pc, agent=dio)
    left = services.cancel_bundle(actor=Actor(user=bundles.manager.user), parent=parent)
    assert [o.number for o in left] == [pc.number]
    parent.refresh_from_db()
    assert parent.status == "cancelled"
    assert {o.status for o in children(parent).values()} == {"cancelled", "in_progress"}


def test_another_ministry_sees_none_of_it(bundles: Any) -> None:
    parent = onboard(bundles, ["PC", "Adgangskort"], clearance="HEMMELIG")
    ids = [parent.pk, *(o.pk for o in children(parent).values())]
    assert not Order.objects.visible_to(bundles.outsider.user).filter(pk__in=ids).exists()
    fin = client_for(bundles.outsider)
    assert fin.get(f"/bestillinger/{parent.uuid}/").status_code == 404
    assert fin.get(f"/pakke/bestilling/{parent.uuid}/kanseller/").status_code == 404
    # The restricted clearance child follows its own class: the DSS agent serving KUD
    # (not on its handling team) sees the other DSS child, not the clearance.
    clearance = children(parent)["sik-klarering"]
    agent_sees = Order.objects.visible_to(bundles.agent.user)
    assert not agent_sees.filter(pk=clearance.pk).exists()
    assert agent_sees.filter(pk=children(parent)["srv-adgangskort"].pk).exists()


def test_the_order_page_form(bundles: Any) -> None:
    client = client_for(bundles.manager)
    url = f"/pakke/{bundles.onboarding.service.uuid}/"
    assert client.get(url).status_code == 200
    bad = client.post(url, {"navn": "Nora", "startdato": "2020-01-01"})
    assert bad.status_code == 422
    start = add_working_days(timezone.localdate(), 15)
    ok = client.post(
        url,
        {
            "navn": "Nora Ny",
            "enhet": str(bundles.unit.uuid),
            "startdato": start.isoformat(),
            "stilling": "Rådgiver",
            "klarering": "Ingen",
            "behov": ["PC"],
        },
    )
    assert ok.status_code == 302, ok.content.decode()[:2000]
    parent = Order.objects.get(bundle_order__isnull=False)
    assert set(children(parent)) == {"ikt-tilgang", "ikt-pc"}
    past = client.post(
        url,
        {
            "navn": "Nora Ny",
            "enhet": str(bundles.unit.uuid),
            "startdato": "2020-01-06",
            "stilling": "Rådgiver",
            "klarering": "Ingen",
        },
    )
    assert past.status_code == 422
    assert "tilbake i tid" in past.content.decode()


def test_the_ordinary_order_form_sends_a_bundle_to_its_own(bundles: Any) -> None:
    service = bundles.onboarding.service
    response = client_for(bundles.manager).get(f"/bestill/{service.uuid}/")
    assert response.status_code == 302
    assert response["Location"] == f"/pakke/{service.uuid}/"


def test_offboarding_counts_from_the_last_day(bundles: Any) -> None:
    per = bundles.manager
    last = dt.date(2027, 4, 1)  # Thursday after Easter
    values = {"navn": "Olav Gått", "enhet": bundles.unit, "klarering": "Ja", "siste_dag": last}
    parent = services.submit_bundle(
        actor=Actor(user=per.user),
        orderer=per,
        bundle=bundles.offboarding,
        values=values,
        today=TODAY,
    )
    dues = {link.child.service.code: link.due_date for link in parent.child_links.all()}
    assert dues == {
        "ikt-tilgang": last,
        "srv-ikt-bestilling": dt.date(2027, 4, 2),
        "srv-adgangskort": last,
        # five working days back over Easter: 31, 30, 24, 23, 22 March
        "hr-personaladministrasjon": dt.date(2027, 3, 22),
        "sik-autorisasjon": last,
    }
    before = Order.objects.count()
    with pytest.raises(ServiceError, match="Siste arbeidsdag kan ikke være tilbake i tid"):
        services.submit_bundle(
            actor=Actor(user=per.user),
            orderer=per,
            bundle=bundles.offboarding,
            values={**values, "siste_dag": TODAY - dt.timedelta(days=1)},
            today=TODAY,
        )
    assert Order.objects.count() == before


def test_a_restricted_child_stays_unmentioned_on_the_parent(bundles: Any) -> None:
    parent = onboard(bundles, ["PC", "Adgangskort"], clearance="HEMMELIG")
    clearance = children(parent)["sik-klarering"]
    agent_page = client_for(bundles.agent).get(f"/bestillinger/{parent.uuid}/").content.decode()
    assert children(parent)["srv-adgangskort"].number in agent_page
    assert clearance.number not in agent_page
    assert "HEMMELIG" not in agent_page
    assert "0 av 1 delbestillinger levert" in agent_page  # DSS sees its own child only
    per_page = client_for(bundles.manager).get(f"/bestillinger/{parent.uuid}/").content.decode()
    assert clearance.number in per_page
    assert "0 av 4 delbestillinger levert" in per_page


def test_an_internal_move_is_a_smaller_bundle(bundles: Any) -> None:
    per = bundles.manager
    parent = services.submit_bundle(
        actor=Actor(user=per.user),
        orderer=per,
        bundle=bundles.move,
        values={
            "navn": "Kari Testesen",
            "enhet": bundles.unit,
            "flyttedato": START,
            "behov": ["Nytt adgangskort"],
        },
        today=TODAY,
    )
    dues = {link.child.service.code: link.due_date for link in parent.child_links.all()}
    # back over Easter: -3 is Monday 22 March, -2 Tuesday 23 March
    assert dues == {"ikt-tilgang": dt.date(2027, 3, 22), "srv-adgangskort": dt.date(2027, 3, 23)}


def test_the_order_links_to_the_person_when_the_hr_import_brings_them(bundles: Any) -> None:
    from felles.organisations import importing

    parent = onboard(bundles, ["PC"])
    # Matched on the e-mail the order gave (never on the name alone: test_containers.py).
    BundleOrder.objects.filter(order=parent).update(person_email="nora.ny@kud.dep.no")
    bundle_order = BundleOrder.objects.get(order=parent)
    assert bundle_order.person is None
    csv = (
        "ansattnummer;fornavn;etternavn;epost;enhetskode;stilling;leder_ansattnummer;aktiv\n"
        "900;Nora;Ny;nora.ny@kud.dep.no;A1;Rådgiver;;ja\n"
    )
    plan = importing.plan_import("people", bundles.kud, csv.encode(), "hr.csv")
    assert plan.ok, plan.errors
    importing.apply_plan(actor=Actor.system("test"), plan=plan)
    bundle_order.refresh_from_db()
    assert bundle_order.person is not None
    assert bundle_order.person.full_name == "Nora Ny"
    body = client_for(bundles.manager).get(f"/bestillinger/{parent.uuid}/").content.decode()
    assert "Personen er registrert i Felles." in body


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("navn", "Nora\x07Ny", "kontrolltegn"),
        ("navn", "Nora\x00Ny", "tegn"),
        ("startdato", "9999-01-04", "mellom 1.1.2000 og 31.12.2100"),
        ("startdato", "ikke en dato", "gyldig dato"),
    ],
)
def test_bad_input_is_a_clear_error_and_saves_nothing(
    bundles: Any, field: str, value: str, message: str
) -> None:
    data = {
        "navn": "Nora Ny",
        "enhet": str(bundles.unit.uuid),
        "startdato": add_working_days(timezone.localdate(), 15).isoformat(),
        "stilling": "Rådgiver",
        "klarering": "Ingen",
        field: value,
    }
    response = client_for(bundles.manager).post(f"/pakke/{bundles.onboarding.service.uuid}/", data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Order.objects.exists()


def test_the_providers_manager_adds_a_child_on_the_definition_page(bundles: Any) -> None:
    from felles.organisations.models import Role
    from felles.organisations.tests.factories import make_person

    url = f"/pakke/{bundles.onboarding.service.uuid}/innhold/"
    siri = make_person(bundles.dss, "siri", roles=[Role.PROVIDER_MANAGER])
    body = {
        "child_service": str(bundles.services["srv-mobler"].uuid),
        "condition_key": "behov",
        "condition_op": "contains",
        "condition_value": "Arbeidsplass",
        "offset_days": "-4",
        "field_map": "mottaker=navn\nleveringsdato=@frist",
    }
    kari = client_for(bundles.employee)
    assert "Legg til delbestilling" not in kari.get(url).content.decode()
    assert kari.post(url, body).status_code == 403
    manager = client_for(siri)
    assert "Legg til delbestilling" in manager.get(url).content.decode()
    loop = manager.post(url, {**body, "child_service": str(bundles.onboarding.service.uuid)})
    assert loop.status_code == 422
    assert "kan ikke inneholde seg selv" in loop.content.decode()
    bad_map = manager.post(url, {**body, "field_map": "bare tekst"})
    assert bad_map.status_code == 422
    assert manager.post(url, body).status_code == 302
    item = bundles.onboarding.items.get(child_service__code="srv-mobler")
    assert item.field_map == {"mottaker": "navn", "leveringsdato": "@frist"}
    assert item.offset_days == -4
