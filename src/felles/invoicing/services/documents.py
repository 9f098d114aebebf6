"""Issuing a document: its number, its EHF rendering and the Peppol rules it must pass.

Rounding rule: a line's amount is Σ quantity × unit price of the usage behind it, rounded
half up to the øre once (`ehf.round_ore`); a document's total is the sum of its lines.
"""

from __future__ import annotations

import datetime as dt

from stdnum.exceptions import ValidationError as NumberError
from stdnum.no import kontonr

from felles.core.services import ServiceError
from felles.invoicing import ehf, validation
from felles.invoicing.models import BillingProfile, Invoice, InvoiceCounter
from felles.organisations.models import Organisation

SERIES = {
    Invoice.Kind.INVOICE: "F",
    Invoice.Kind.CREDIT_NOTE: "K",
    Invoice.Kind.POSTING: "B",
}


def _next_number(provider: Organisation, kind: str, year: int) -> str:
    series = SERIES[kind]
    counter, _ = InvoiceCounter.objects.select_for_update().get_or_create(
        provider=provider, series=series, year=year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{provider.abbreviation}-{series}{year}-{counter.last:06d}"


def issue_document(invoice: Invoice, today: dt.date) -> None:
    number = _next_number(invoice.provider, invoice.kind, today.year)
    if invoice.is_ehf:
        xml, findings = check_document(invoice, number, today)
        invoice.xml = xml.decode()
        invoice.validation = findings
    invoice.number = number
    invoice.issue_date = today
    if invoice.kind == Invoice.Kind.INVOICE:
        invoice.due_date = _due_date(invoice.provider, today)
    invoice.status = Invoice.Status.ISSUED
    invoice.save()


def check_document(
    invoice: Invoice, number: str, today: dt.date
) -> tuple[bytes, list[dict[str, str]]]:
    """Render the EHF document and run both official rule sets on it. Fatal findings refuse
    the operation (the caller's transaction rolls back); warnings are kept with it. Text
    XML cannot carry, or a broken account number, refuses it too — never a crash."""
    where = f"{invoice.get_kind_display()} til {invoice.ministry.abbreviation}"
    try:
        xml = ehf.build(to_document(invoice, number, today))
    except ehf.InvalidText as exc:
        raise ServiceError(
            f"{where} kan ikke lages som EHF: {exc.problems[0].message}",
            {"text": [p.message for p in exc.problems]},
        ) from exc
    except NumberError as exc:
        raise ServiceError(
            f"{where} kan ikke lages som EHF: kontonummeret til "
            f"{invoice.provider.abbreviation} er ugyldig."
        ) from exc
    result = validation.validate(xml)
    if not result.ok:
        first = result.fatal[0]
        raise ServiceError(
            f"{invoice.get_kind_display()} til {invoice.ministry.abbreviation} bryter "
            f"EHF-regelen {first.rule_id}: {first.text}",
            {"ehf": [f"{f.rule_id}: {f.text}" for f in result.fatal]},
        )
    return xml, [{"rule": f.rule_id, "flag": f.flag, "text": f.text} for f in result.findings]


def _profile(organisation: Organisation) -> BillingProfile | None:
    try:
        return organisation.billing
    except BillingProfile.DoesNotExist:
        return None


def _due_date(provider: Organisation, today: dt.date) -> dt.date:
    profile = _profile(provider)
    return today + dt.timedelta(days=profile.payment_days if profile else 30)


def _party(organisation: Organisation) -> ehf.Party:
    profile = _profile(organisation)
    return ehf.Party(
        name=organisation.name_nb,
        org_number=organisation.org_number,
        street=profile.street if profile else "",
        city=profile.city if profile else "",
        postcode=profile.postcode if profile else "",
    )


def to_document(invoice: Invoice, number: str, today: dt.date) -> ehf.Document:
    """The EHF view of an invoice or credit note."""
    seller_profile = _profile(invoice.provider)
    credit = invoice.kind == Invoice.Kind.CREDIT_NOTE
    account = seller_profile.bank_account if seller_profile and not credit else ""
    original = invoice.credited_invoice
    return ehf.Document(
        credit_note=credit,
        number=number,
        issue_date=today,
        due_date=_due_date(invoice.provider, today),
        buyer_reference=invoice.buyer_reference,
        period_start=invoice.period_start,
        period_end=invoice.period_end,
        seller=_party(invoice.provider),
        buyer=_party(invoice.ministry),
        bank_account=kontonr.to_iban(account) if account else "",
        credited_number=original.number or "" if original else "",
        credited_issue_date=original.issue_date if original else None,
        note=invoice.reason[:500] if credit else "",
        lines=[
            ehf.Line(
                description=line.description,
                quantity=line.quantity,
                unit_code=line.unit_code,
                unit_price=line.unit_price,
                amount=line.amount,
                period_start=line.period_start,
                period_end=line.period_end,
                item_id=line.service.code if line.service else "",
                accounting_reference=line.buyer_reference,
                note="Videreformidlet kostnad uten påslag" if line.pass_through else "",
            )
            for line in invoice.lines.all()
        ],
    )
