"""Test data for issue 18's outbound channels: a restricted service (legal aid in HR cases,
invoiced and priced here) with orders that name people, so a test can assert that no
invoice, e-mail, dashboard or meeting pack lets those names or numbers out.

`CASE_TEXT` and the beneficiary's surname are words nothing else in the test data uses: if
they appear in a channel that must show only counts, something leaked."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from felles.catalog.models import Confidentiality, Funding, PriceVersion, Service
from felles.core.actor import Actor

CODE = "hr-juridisk"
CASE_TEXT = "Varselet gjelder trakassering fra avdelingsdirektøren"
SURNAME = "Skjermesen"
REFERENCE = "Kari Testesen privat"


def screened_service(shop: Any, *, level: str = Confidentiality.RESTRICTED) -> Service:
    """Legal aid made restricted (or `level`), invoiced at 1 250 kr an hour from 2026, with
    the shop's DSS agent on its handling team."""
    service = shop.services[CODE]
    Service.objects.filter(pk=service.pk).update(confidentiality=level, funding=Funding.INVOICING)
    if not service.prices.filter(valid_from=dt.date(2026, 1, 1)).exists():
        PriceVersion.objects.create(
            service=service, valid_from=dt.date(2026, 1, 1), unit_price=Decimal("1250.00")
        )
    service.refresh_from_db()
    service.handling_team.add(shop.agent)
    shop.services[CODE] = service
    return service


def beneficiary(shop: Any) -> Any:
    """The person the case is about, in Kari's unit, with a surname found nowhere else."""
    from felles.organisations.models import Person
    from felles.organisations.tests.factories import make_person

    found = Person.objects.filter(last_name=SURNAME).first()
    if found:
        return found
    return make_person(
        shop.kud, "solveig", unit=shop.employee.unit, manager=shop.manager, last_name=SURNAME
    )


def screened_order(shop: Any, actor: Actor, *, hours: str = "2") -> Any:
    """Kari's legal-aid order about Solveig Skjermesen, submitted (steps still pending)."""
    from felles.orders import services

    service = shop.services[CODE]
    person = beneficiary(shop)
    values = {
        "gjelder": {"id": str(person.uuid), "name": person.full_name},
        "beskrivelse": CASE_TEXT,
    }
    return services.submit_order(
        actor=actor,
        orderer=shop.employee,
        service=service,
        beneficiary=person,
        answers={
            f.key: {"label": f.label_nb, "value": values.get(f.key)} for f in service.fields.all()
        },
        quantity=Decimal(hours),
        buyer_reference=REFERENCE,
    )


def delivered_screened_order(shop: Any, actor: Actor, day: dt.date, *, hours: str = "2") -> Any:
    """A screened order approved by whoever its chain names, taken and resolved by the
    handling team's agent, its usage dated `day`."""
    from felles.orders import services

    order = screened_order(shop, actor, hours=hours)
    for step in order.steps.order_by("position"):
        step.refresh_from_db()
        services.decide(
            actor=actor, step=step, decider=step.approver, on_behalf_of=step.approver, approve=True
        )
    order.refresh_from_db()
    services.take(actor=actor, order=order, agent=shop.agent)
    services.resolve(actor=actor, order=order, agent=shop.agent, resolution="Levert.")
    order.refresh_from_db()
    order.usage.usage_date = day
    order.usage.save(update_fields=["usage_date"])
    return order


def leaked(text: str | bytes, shop: Any, *orders: Any, link: bool = False) -> list[str]:
    """The personal data of `orders` found in `text`: names of orderer and beneficiary,
    order numbers, the form's words, the buyer reference, and (unless `link`: a notice's
    link to the order is allowed) the order's id. Empty: nothing leaked."""
    if isinstance(text, bytes):
        text = text.decode()
    person = beneficiary(shop)
    words = [
        shop.employee.full_name,
        person.full_name,
        SURNAME,
        CASE_TEXT,
        REFERENCE,
        *(o.number for o in orders),
        *(str(o.uuid) for o in orders if not link),
    ]
    return [w for w in words if w and w in text]
