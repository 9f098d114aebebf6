"""Demo orders, so every persona's start page has something in it. Placed and moved
through the real service functions."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from felles.catalog import services as catalog_services
from felles.catalog.models import Service
from felles.core.actor import Actor
from felles.orders import events, services
from felles.orders.models import Order, OrderEvent
from felles.organisations.models import Person, Role


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
    load_provider_queue(actor=actor, agent=dag)
    load_confidential(actor=actor, orderer=kari)


# DIO's open work in the demo: (service, ministry, what happens, priority, the need).
DIO_QUEUE = (
    ("ikt-pc", "FIN", "queued", "normal", "Ny bærbar PC til nyansatt rådgiver."),
    ("ikt-tilgang", "KLD", "queued", "high", "Tilgang til fellesområdet for klimakvoter."),
    ("if-innsyn", "JD", "queued", "high", "Innsynskrav fra pressen om anskaffelsessak."),
    ("ikt-programvare", "KUD", "taken", "normal", "Lisens til skjermleser."),
    ("if-arkivtjeneste", "FIN", "taken", "normal", "Journalføring av høringssvar."),
    ("ikt-brukerservice", "HOD", "question", "normal", "Skriveren i 4. etasje skriver ikke ut."),
    ("ikt-videomote", "UD", "taken", "critical", "Videomøte med ambassaden i morgen kl. 09."),
    ("if-papirarkiv", "KLD", "queued", "low", "Ordning av saksarkiv fra 1990-tallet."),
)


def load_provider_queue(*, actor: Actor, agent: Person) -> None:
    """Open orders for a provider's queue (DIO's, with its agent `agent`): from several of
    the ministries it serves, some waiting to be taken, some in progress with the agent,
    one waiting for the orderer's answer; approved through the real services."""
    for code, ministry, stage, priority, need in DIO_QUEUE:
        svc = Service.objects.filter(code=code, provider=agent.organisation).first()
        orderer = (
            Person.objects.filter(
                organisation__abbreviation=ministry,
                active=True,
                line_manager__isnull=False,
                title__in=["Rådgiver", "Seniorrådgiver"],
            )
            .order_by("employee_number")
            .first()
        )
        if svc is None or orderer is None or not svc.is_orderable_by(orderer.organisation):
            continue
        fields = {f.key: f for f in svc.fields.all()}
        values: dict[str, object] = {}
        for key, field in fields.items():
            if field.kind == "person":
                values[key] = {"id": str(orderer.uuid), "name": orderer.full_name}
            elif field.kind == "long_text":
                values[key] = need
            elif field.kind == "choice" and field.choices:
                values[key] = field.choices[0]
        order = services.submit_order(
            actor=actor,
            orderer=orderer,
            service=svc,
            answers={
                k: {"label": f.label_nb, "label_en": f.label_en, "value": values.get(k)}
                for k, f in fields.items()
            },
            priority=priority,
        )
        for step in order.steps.order_by("position"):
            step.refresh_from_db()
            approver = step.approver or orderer.line_manager
            if approver is None:
                break
            services.decide(
                actor=actor, step=step, decider=approver, on_behalf_of=approver, approve=True
            )
        order.refresh_from_db()
        if order.status != "queued" or stage == "queued":
            continue
        services.take(actor=actor, order=order, agent=agent)
        if stage == "question":
            services.request_info(
                actor=actor,
                order=order,
                agent=agent,
                question="Hvilket romnummer står skriveren i, og hva står det i displayet?",
            )


HISTORY_SERVICES = (
    "srv-moterom",
    "ikt-brukerservice",
    "ikt-ekstra-skjerm",
    "srv-ekstra-renhold",
    "hr-rekruttering",
    "if-innsyn",
    "srv-adgangskort",
    "ikt-tilgang",
)


def load_history(*, actor: Actor, count: int = 90, seed: int = 2026) -> None:
    """Closed orders over the last four months, so the service-level report has something
    to show. Each order runs through the real service functions; afterwards its timeline
    is moved back in time (demo data only) and its SLA recomputed from that history."""
    if Order.objects.filter(number__startswith="B-", events__kind="confirmed").count() > 5:
        return
    rng = random.Random(seed)
    employees = list(
        Person.objects.filter(
            organisation__kind="ministry",
            active=True,
            line_manager__isnull=False,
            title__in=["Rådgiver", "Seniorrådgiver"],
        )[:120]
    )
    agents: dict[int, Person] = {}
    for agent in Person.objects.filter(roles__role="provider_agent", active=True):
        agents.setdefault(agent.organisation_id, agent)
    services_by_code = {
        s.code: s
        for s in Service.objects.filter(code__in=HISTORY_SERVICES, provider_id__in=list(agents))
    }
    now = timezone.now()
    for _ in range(count):
        orderer = rng.choice(employees)
        svc = services_by_code[rng.choice(sorted(services_by_code))]
        order = services.submit_order(
            actor=actor,
            orderer=orderer,
            service=svc,
            answers={},
            quantity=Decimal("1"),
            priority=rng.choice(["normal", "normal", "high", "low"]),
        )
        for step in order.steps.order_by("position"):
            approver = step.approver or orderer.line_manager
            services.decide(
                actor=actor, step=step, decider=approver, on_behalf_of=approver, approve=True
            )
        order.refresh_from_db()
        agent = agents[svc.provider_id]
        services.take(actor=actor, order=order, agent=agent)
        services.resolve(actor=actor, order=order, agent=agent, resolution="Levert.")
        services.confirm(actor=actor, order=order, person=orderer)
        # Spread the history: placed 5–120 days ago, approval within hours, delivery in
        # 2–60 business-ish hours (some beyond the target, as in real life).
        offsets = {"submitted": 0.0, "approved": rng.uniform(0.2, 20.0)}
        offsets["queued"] = offsets["approved"] if order.steps.exists() else 0.0
        offsets["assigned"] = offsets["queued"] + rng.uniform(0.5, 6)
        offsets["resolved"] = offsets["assigned"] + rng.choice(
            [4, 8, 16, 24, 48, 96, 160, 250, 400]
        )
        offsets["confirmed"] = offsets["resolved"] + rng.uniform(2, 30)
        # Everything, confirmation included, lies in the past.
        start = now - dt.timedelta(hours=offsets["confirmed"], days=rng.randint(1, 100))
        for event in order.events.all():
            hours = offsets.get(event.kind, offsets["confirmed"])
            OrderEvent.objects.filter(pk=event.pk).update(
                created_at=start + dt.timedelta(hours=hours)
            )
        Order.objects.filter(pk=order.pk).update(
            submitted_at=start,
            resolved_at=start + dt.timedelta(hours=offsets["resolved"]),
            closed_at=start + dt.timedelta(hours=offsets["confirmed"]),
        )
        order.refresh_from_db()
        events.history_changed.publish(order=order)


def load_confidential(*, actor: Actor, orderer: Person) -> None:
    """Handling teams for DSS's restricted services (Marte, its manager, and one of its
    advisers; Ole, another DSS agent, is left out and does not see those orders), and a
    legal-aid case of Kari's that the team has opened: her order page shows who read it."""
    dss_staff = Person.objects.filter(
        organisation__abbreviation="DSS", active=True, roles__role=Role.PROVIDER_AGENT
    ).exclude(user__username="ole")
    team = [
        *Person.objects.filter(user__username="marte"),
        *dss_staff.order_by("employee_number")[:1],
    ]
    if not team:
        return
    for svc in Service.objects.filter(provider__abbreviation="DSS").exclude(confidentiality="open"):
        catalog_services.set_confidentiality(
            actor=actor,
            service=svc,
            confidentiality=svc.confidentiality,
            reason_nb=svc.confidentiality_reason_nb,
            reason_en=svc.confidentiality_reason_en,
            team=team,
        )
    legal = Service.objects.filter(code="hr-juridisk").first()
    if legal is None or not legal.is_orderable_by(orderer.organisation):
        return
    order = services.submit_order(
        actor=actor,
        orderer=orderer,
        service=legal,
        answers={
            f.key: {
                "label": f.label_nb,
                "label_en": f.label_en,
                "value": {"id": str(orderer.uuid), "name": orderer.full_name}
                if f.kind == "person"
                else "Jeg vurderer å varsle om forhold i avdelingen og trenger råd."
                if f.kind == "long_text"
                else None,
            }
            for f in legal.fields.all()
        },
    )
    reader = team[0]
    if reader.user is not None:
        services.record_read(actor=Actor(user=reader.user), order=order, route="page")
