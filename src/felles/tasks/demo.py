"""Demo task templates for a few services (`felles demo`): plausible steps for a phone, an
access card, a laptop and system access, as the providers' service desks describe them."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from felles.core.actor import Actor
from felles.orders.models import Order
from felles.tasks import selectors, services
from felles.tasks.services import TaskSpec


def _t(
    name: str, step: str, team: str, days: int | None, name_en: str, step_en: str, *, req=True
) -> TaskSpec:
    return TaskSpec(name, step, name_en, step_en, team, req, days)


TEMPLATES: dict[str, list[TaskSpec]] = {
    "srv-mobil": [
        _t(
            "Bestill abonnement og SIM",
            "Abonnementet bestilles",
            "Telefoni",
            1,
            "Order subscription and SIM",
            "The subscription is ordered",
        ),
        _t(
            "Klargjør telefonen i MDM",
            "Telefonen gjøres klar",
            "Klientdrift",
            3,
            "Enrol the phone in MDM",
            "The phone is prepared",
        ),
        _t(
            "Avtal utlevering",
            "Utlevering avtales med deg",
            "Servicesenteret",
            4,
            "Arrange hand-over",
            "Hand-over is arranged with you",
            req=False,
        ),
    ],
    "srv-adgangskort": [
        _t(
            "Kontroller tilgangsnivå med leder",
            "Tilgangen kontrolleres",
            "Sikkerhet",
            1,
            "Check the access level with the manager",
            "The access is checked",
        ),
        _t(
            "Produser kortet",
            "Kortet lages",
            "Adgangskontroll",
            2,
            "Produce the card",
            "The card is made",
        ),
        _t(
            "Utlever kortet i resepsjonen",
            "Kortet kan hentes",
            "Resepsjonen",
            3,
            "Hand out the card at reception",
            "The card is ready to collect",
        ),
    ],
    "ikt-pc": [
        _t(
            "Plukk maskin fra lager",
            "Maskinen tas fra lager",
            "Lager",
            1,
            "Pick a machine from stock",
            "The machine is taken from stock",
        ),
        _t(
            "Installer standardoppsett",
            "Maskinen settes opp",
            "Klientdrift",
            3,
            "Install the standard image",
            "The machine is set up",
        ),
        _t(
            "Registrer i eiendelsregisteret",
            "Maskinen registreres",
            "Klientdrift",
            3,
            "Register in the asset register",
            "The machine is registered",
        ),
        _t(
            "Lever maskinen",
            "Maskinen leveres",
            "Servicesenteret",
            5,
            "Deliver the machine",
            "The machine is delivered",
        ),
    ],
    "ikt-tilgang": [
        _t(
            "Kontroller godkjenning fra systemeier",
            "Godkjenningen kontrolleres",
            "Tilgangsforvaltning",
            1,
            "Check the system owner's approval",
            "The approval is checked",
        ),
        _t(
            "Opprett tilgang",
            "Tilgangen opprettes",
            "Tilgangsforvaltning",
            2,
            "Grant the access",
            "The access is granted",
        ),
        _t(
            "Informer brukeren",
            "Du får beskjed",
            "Servicesenteret",
            2,
            "Inform the user",
            "You are told",
            req=False,
        ),
    ],
}


def load(*, actor: Actor, valid_from: dt.date) -> int:
    """The demo templates from `valid_from`, for services that have none, and the
    checklists of the demo's open orders at the providers (idempotent)."""
    created = services.seed_templates(actor=actor, templates=TEMPLATES, valid_from=valid_from)
    open_orders = Order.objects.filter(
        status__in=selectors.WORKING_STATES, service__code__in=list(TEMPLATES)
    ).select_related("service")
    with transaction.atomic():
        for order in open_orders:
            services.create_order_tasks(order)
    return created
