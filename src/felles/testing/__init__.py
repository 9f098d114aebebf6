"""What every app's tests share: a signed-in test client and builders for the objects many
tests need (an order's answers, billing people, usage, an issued invoice run). Imported
by tests only; the standing personas and the `shop` fixture are in the root conftest.py."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal
from typing import Any

from django.test import Client

from felles.catalog.models import Service
from felles.core.actor import Actor

OCTOBER = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))


def client_for(person: Any) -> Client:
    """A test client signed in as `person` (a Person, or anything with a `.user`)."""
    client = Client()
    client.force_login(person.user)
    return client


def new_catalogue_revision() -> None:
    """A new catalogue revision after rows were copied in (`felles.testing.snapshot`), as
    the build's own writes made one: a token no process ever cached definitions under."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("UPDATE catalog_cataloguerevision SET token = %s", [secrets.token_hex(16)])


def answers(service: Service, **values: Any) -> dict[str, Any]:
    """An order form's answers for `service` (its fields, with the values given)."""
    return {f.key: {"label": f.label_nb, "value": values.get(f.key)} for f in service.fields.all()}


def add_billing(personas: Any) -> Any:
    """Billing profiles and two DSS finance people: Siri checks runs, Marte approves and
    issues them (two people, as the economy regulations require)."""
    from felles.invoicing import demo
    from felles.organisations.models import Role
    from felles.organisations.tests.factories import make_person

    demo._profiles()
    personas.siri = make_person(personas.dss, "siri", roles=[Role.PROVIDER_MANAGER])
    personas.marte = make_person(personas.dss, "marte", roles=[Role.PROVIDER_MANAGER])
    return personas


def usage_csv(*rows: str) -> bytes:
    header = "tjeneste;departement;dato;mengde;referanse;videreformidlet;enhetspris;beskrivelse"
    return "\n".join([header, *rows]).encode()


def import_usage(provider: Any, content: bytes, actor: Actor | None = None) -> Any:
    from felles.invoicing import importing

    plan = importing.plan_usage(provider, content, "forbruk.csv")
    assert plan.ok, plan.errors
    importing.apply_usage(actor=actor or Actor.system("test"), plan=plan, person=None)
    return plan


def delivered_order(shop: Any, actor: Actor, code: str, quantity: str, day: dt.date) -> Any:
    """An order of Kari's, approved, delivered by the DSS agent on `day`."""
    from felles.orders import services
    from felles.organisations.models import Role
    from felles.organisations.tests.factories import make_person

    svc = shop.services[code]
    order = services.submit_order(
        actor=actor,
        orderer=shop.employee,
        service=svc,
        answers=answers(svc),
        quantity=Decimal(quantity),
    )
    for step in order.steps.order_by("position"):
        step.refresh_from_db()
        services.decide(
            actor=actor, step=step, decider=step.approver, on_behalf_of=step.approver, approve=True
        )
    order.refresh_from_db()
    agent = shop.agent
    if svc.provider_id != shop.dss.pk:
        agent = make_person(svc.provider, f"agent{order.pk}", roles=[Role.PROVIDER_AGENT])
    services.take(actor=actor, order=order, agent=agent)
    services.resolve(actor=actor, order=order, agent=agent, resolution="Levert.")
    order.refresh_from_db()
    order.usage.usage_date = day
    order.usage.save(update_fields=["usage_date"])
    return order


def issued_run(personas: Any, rows: tuple[str, ...] = ("srv-mobil;KUD;31.10.2026;10;m;nei;;",)):
    """Import `rows`, then run October 2026 for DSS through review (Siri), approval and issue
    (Marte). `personas` must have been through `add_billing`."""
    from felles.invoicing import services

    actor = Actor.system("test")
    import_usage(personas.dss, usage_csv(*rows))
    run = services.create_run(
        actor=actor, provider=personas.dss, period_start=OCTOBER[0], period_end=OCTOBER[1]
    )
    services.review_run(actor=actor, run=run, person=personas.siri)
    services.approve_run(actor=actor, run=run, person=personas.marte)
    return services.issue_run(actor=actor, run=run, person=personas.marte)
