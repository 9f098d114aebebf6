"""Credit notes and disputes: a ministry's billing roles dispute a line of an issued
invoice; the provider's managers answer (accepting credits the line) or credit directly."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from felles.core import audit
from felles.core.actor import Actor
from felles.core.services import Conflict, ServiceError, allowed
from felles.core.types import AnyUser
from felles.invoicing import selectors
from felles.invoicing.models import Dispute, Invoice, InvoiceLine
from felles.invoicing.services._common import FINANCE_ONLY, acting_person
from felles.invoicing.services.documents import issue_document
from felles.organisations.models import Person
from felles.organisations.selectors import manages_provider, person_for

DISPUTERS_ONLY = gettext_lazy(
    "Bare departementets fakturaansvarlige kan bestride linjer på fakturaen."
)


def _finance_for_ministry(user: AnyUser, /, *, invoice: Invoice, **_: Any) -> bool:
    """One ministry's documents: the provider's managers who serve that ministry."""
    return manages_provider(user, invoice.provider_id, invoice.ministry_id)


def _follows_the_bill(
    user: AnyUser, /, *, line: InvoiceLine, person: Person | None, **_: Any
) -> bool:
    """The invoiced ministry's billing roles, each in their own name."""
    me = person_for(user)
    return (
        me is not None
        and person is not None
        and person.pk == me.pk
        and line.invoice.ministry_id in selectors.billing_ministries(user)
    )


def _answers_for_provider(user: AnyUser, /, *, dispute: Dispute, **_: Any) -> bool:
    invoice = dispute.line.invoice
    return manages_provider(user, invoice.provider_id, invoice.ministry_id)


@allowed(_finance_for_ministry, FINANCE_ONLY)
def credit_invoice(
    *,
    actor: Actor,
    invoice: Invoice,
    reason: str,
    lines: Sequence[InvoiceLine] | None = None,
) -> Invoice:
    """Issue a credit note for a whole issued invoice, or for some of its lines. A line can
    be credited once; the credit note is numbered, rendered and validated like an invoice."""
    reason = reason.strip()
    if not reason:
        raise ServiceError(
            _("Skriv hvorfor fakturaen krediteres."), {"reason": [_("Må fylles ut.")]}
        )
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if invoice.kind != Invoice.Kind.INVOICE or invoice.status != Invoice.Status.ISSUED:
            raise Conflict(_("Bare utstedte fakturaer kan krediteres."))
        chosen = list(lines) if lines is not None else list(invoice.lines.all())
        if not chosen or any(line.invoice_id != invoice.pk for line in chosen):
            raise ServiceError(_("Velg linjer fra denne fakturaen."))
        if InvoiceLine.objects.filter(credited_line__in=chosen).exists():
            raise Conflict(_("En av linjene er allerede kreditert."))
        note = Invoice.objects.create(
            provider_id=invoice.provider_id,
            ministry_id=invoice.ministry_id,
            kind=Invoice.Kind.CREDIT_NOTE,
            period_start=invoice.period_start,
            period_end=invoice.period_end,
            buyer_reference=invoice.buyer_reference,
            credited_invoice=invoice,
            reason=reason,
            total=sum((line.amount for line in chosen), Decimal(0)),
        )
        InvoiceLine.objects.bulk_create(
            [
                InvoiceLine(
                    invoice=note,
                    position=position,
                    service_id=line.service_id,
                    description=line.description,
                    unit_code=line.unit_code,
                    quantity=line.quantity,
                    unit_price=line.unit_price,
                    amount=line.amount,
                    pass_through=line.pass_through,
                    external_reference=line.external_reference,
                    buyer_reference=line.buyer_reference,
                    period_start=line.period_start,
                    period_end=line.period_end,
                    usage_count=line.usage_count,
                    credited_line=line,
                )
                for position, line in enumerate(chosen, start=1)
            ]
        )
        issue_document(note, timezone.localdate())
        audit.record(
            actor=actor,
            action="invoicing.credit_note.issue",
            obj=note,
            changes={
                "credits": [None, invoice.number],
                "lines": [None, [line.position for line in chosen]],
                "total": [None, str(note.total)],
                "reason": [None, reason],
            },
            organisation_id=invoice.ministry_id,
        )
    return note


@allowed(_follows_the_bill, DISPUTERS_ONLY)
def raise_dispute(
    *, actor: Actor, line: InvoiceLine, person: Person | None, reason: str
) -> Dispute:
    reason = reason.strip()
    if not reason:
        raise ServiceError(
            _("Beskriv hva som er feil på linjen."), {"reason": [_("Må fylles ut.")]}
        )
    person = acting_person(person)
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=line.invoice_id)
        if invoice.kind != Invoice.Kind.INVOICE or invoice.status != Invoice.Status.ISSUED:
            raise Conflict(_("Bare linjer på utstedte fakturaer kan bestrides."))
        if line.credits.exists():
            raise Conflict(_("Linjen er allerede kreditert."))
        if line.disputes.filter(status=Dispute.Status.OPEN).exists():
            raise Conflict(_("Linjen er allerede bestridt og venter på svar fra leverandøren."))
        dispute = Dispute.objects.create(line=line, raised_by=person, reason=reason)
        audit.record(
            actor=actor,
            action="invoicing.dispute.raise",
            obj=dispute,
            changes={"invoice": [None, invoice.number], "line": [None, line.position]},
            organisation_id=invoice.ministry_id,
        )
    return dispute


@allowed(_answers_for_provider, gettext_lazy("Bare leverandørens ledere svarer på innsigelser."))
def resolve_dispute(
    *, actor: Actor, dispute: Dispute, person: Person | None, accept: bool, resolution: str
) -> Dispute:
    """Accept (the line is credited by a credit note) or reject (with a reason). Only the
    invoicing provider's managers answer."""
    resolution = resolution.strip()
    if not accept and not resolution:
        raise ServiceError(
            _("Skriv hvorfor innsigelsen avvises."), {"resolution": [_("Må fylles ut.")]}
        )
    person = acting_person(person)
    with transaction.atomic():
        updated = Dispute.objects.filter(pk=dispute.pk, status=Dispute.Status.OPEN).update(
            status=Dispute.Status.ACCEPTED if accept else Dispute.Status.REJECTED,
            resolution=resolution,
            resolved_by=person,
            resolved_at=timezone.now(),
        )
        dispute.refresh_from_db()
        if not updated:
            raise Conflict(
                _("Innsigelsen er allerede %(status)s.")
                % {"status": dispute.get_status_display().lower()}
            )
        line = dispute.line
        if accept:
            dispute.credit_note = credit_invoice(
                actor=actor,
                invoice=line.invoice,
                lines=[line],
                reason=f"Innsigelse godtatt: {dispute.reason}"
                + (f" – {resolution}" if resolution else ""),
            )
            dispute.save(update_fields=["credit_note"])
        audit.record(
            actor=actor,
            action="invoicing.dispute." + ("accept" if accept else "reject"),
            obj=dispute,
            changes={
                "status": [Dispute.Status.OPEN, dispute.status],
                "resolution": [None, resolution],
            },
            organisation_id=line.invoice.ministry_id,
        )
    return dispute
