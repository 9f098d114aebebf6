"""Demo orders, so every persona's start page has something in it. Placed and moved
through the real service functions."""

from __future__ import annotations

from decimal import Decimal

from felles.catalog.models import Service
from felles.core.actor import Actor
from felles.orders import services
from felles.orders.models import Order
from felles.organisations.models import Person


def load(*, actor: Actor) -> None:
    if Order.objects.exists():
        return
    people = {
        p.user.username: p
        for p in Person.objects.filter(
            user__username__in=["kari", "per", "ola", "dag", "ole"]
        ).select_related("user")
    }
    kari, per, ola = people["kari"], people["per"], people["ola"]

    def service(code: str) -> Service:
        return Service.objects.get(code=code)

    def answers(svc: Service, **values: object) -> dict:
        return {f.key: {"label": f.label_nb, "value": values.get(f.key)} for f in svc.fields.all()}

    room = service("srv-moterom")
    services.submit_order(
        actor=actor,
        orderer=kari,
        service=room,
        answers=answers(
            room,
            dato="2026-12-10",
            tidspunkt="09:00–11:30",
            deltakere="14",
            oppsett="U-bord",
            servering=["Kaffe og te"],
            merknad="Avdelingsmøte",
        ),
    )
    recruitment = service("hr-rekruttering")
    services.submit_order(
        actor=actor,
        orderer=kari,
        service=recruitment,
        answers=answers(
            recruitment,
            stillingstittel="Seniorrådgiver",
            antall="1",
            ansettelsesform="Fast",
            kontaktperson={"id": str(per.uuid), "name": per.full_name},
        ),
    )
    phone = service("srv-mobil")
    services.submit_order(
        actor=actor,
        orderer=ola,
        service=phone,
        quantity=Decimal("1"),
        answers=answers(
            phone, mottaker={"id": str(ola.uuid), "name": ola.full_name}, variant="Standard"
        ),
    )
    screen = service("ikt-ekstra-skjerm")
    order = services.submit_order(
        actor=actor,
        orderer=kari,
        service=screen,
        quantity=Decimal("1"),
        answers=answers(
            screen, mottaker={"id": str(kari.uuid), "name": kari.full_name}, variant="Standard"
        ),
    )
    step = order.steps.get()
    services.decide(actor=actor, step=step, decider=per, on_behalf_of=per, approve=True)
    order.refresh_from_db()
    dag = people["dag"]
    services.take(actor=actor, order=order, agent=dag)
    services.resolve(
        actor=actor,
        order=order,
        agent=dag,
        resolution="Skjerm levert og koblet til dokkingstasjonen.",
    )
