"""Demo invoicing: billing profiles, metered usage imported through the real import, an
issued DSS run two months back (with a disputed line) and a draft run for last month.
DEMO DATA: addresses, references and bank accounts are fictitious."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from felles.core.actor import Actor
from felles.invoicing import importing, services
from felles.invoicing.models import BillingProfile, InvoiceRun, UsageRecord
from felles.organisations.models import Organisation, Person

# Valid mod-11 account numbers (DSS: the one in the official Norwegian EHF example).
PROVIDER_ACCOUNTS = {"DSS": "86011117947", "DIO": "86012223333", "DFØ": "86013334449"}
METERED = {  # service code → (quantity range per ministry per month, reference)
    "srv-mobil": ((40, 420), "mobilabonnementer"),
    "srv-utvidet-resepsjon": ((0, 24), "resepsjon"),
}


def load(*, actor: Actor) -> None:
    """Harmless to call twice: profiles are kept, runs exist once per period."""
    _profiles()
    _date_order_usage()
    dss = Organisation.objects.get(abbreviation="DSS")
    today = timezone.localdate()
    last_end = today.replace(day=1) - dt.timedelta(days=1)
    last_start = last_end.replace(day=1)
    before_end = last_start - dt.timedelta(days=1)
    before_start = before_end.replace(day=1)
    if InvoiceRun.objects.filter(provider=dss).exists():
        return
    for start in (before_start, last_start):
        _import_month(actor, dss, start)
    siri = Person.objects.get(user__username="siri")
    marte = Person.objects.get(user__username="marte")
    issued = services.create_run(
        actor=actor, provider=dss, period_start=before_start, period_end=before_end
    )
    services.review_run(actor=actor, run=issued, person=siri)
    services.approve_run(actor=actor, run=issued, person=marte)
    services.issue_run(actor=actor, run=issued, person=marte)
    kud_invoice = issued.invoices.filter(ministry__abbreviation="KUD").first()
    ingrid = Person.objects.get(user__username="ingrid")
    if kud_invoice:
        services.raise_dispute(
            actor=actor,
            line=kud_invoice.lines.get(service__code="srv-mobil"),
            person=ingrid,
            reason="Vi hadde 12 færre abonnementer etter omorganiseringen 1. i måneden.",
        )
    services.create_run(actor=actor, provider=dss, period_start=last_start, period_end=last_end)


def _profiles() -> None:
    for number, org in enumerate(Organisation.objects.all(), start=1):
        defaults = {
            "street": f"Postboks {8000 + number} Dep",
            "postcode": "0030",
            "city": "Oslo",
        }
        if org.kind == Organisation.Kind.MINISTRY:
            defaults["buyer_reference"] = f"{org.abbreviation}-ADM-{4700 + number}"
            defaults["charge_account"] = f"{100 * number:04d}.01"
        elif org.abbreviation in PROVIDER_ACCOUNTS:
            defaults["bank_account"] = PROVIDER_ACCOUNTS[org.abbreviation]
            defaults["revenue_account"] = "4510.02"
        BillingProfile.objects.get_or_create(organisation=org, defaults=defaults)


def _date_order_usage() -> None:
    """The demo history moves orders back in time after they are resolved; their usage
    follows them to the delivery date."""
    for usage in UsageRecord.objects.filter(
        claim__isnull=True, order__resolved_at__isnull=False
    ).select_related("order"):
        day = timezone.localdate(usage.order.resolved_at)  # type: ignore[union-attr]
        if usage.usage_date != day:
            usage.usage_date = day
            usage.save(update_fields=["usage_date"])


def _import_month(actor: Actor, provider: Organisation, start: dt.date) -> None:
    rng = random.Random(start.toordinal())
    rows = ["tjeneste;departement;dato;mengde;referanse;videreformidlet;enhetspris;beskrivelse"]
    for ministry in Organisation.objects.customers().order_by("abbreviation"):
        for code, ((low, high), reference) in METERED.items():
            quantity = rng.randint(low, high)
            if quantity:
                rows.append(
                    f"{code};{ministry.abbreviation};{start:%d.%m.%Y};{quantity};"
                    f"{reference}-{start:%Y-%m};nei;;"
                )
    rows.append(
        f"srv-mobler;KUD;{start:%d.%m.%Y};1;Møbelleverandør faktura 55{start.month:02d}1;ja;"
        "12500,00;Innkjøpt hev/senk-pult"
    )
    plan = importing.plan_usage(provider, "\n".join(rows).encode(), f"forbruk-{start:%Y-%m}.csv")
    if plan.ok:
        importing.apply_usage(actor=actor, plan=plan, person=None)
