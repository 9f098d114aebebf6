"""Invoice runs end to end: usage from orders and imports → run → review → approve → issue
→ EHF that passes the official rules → a disputed line → a credit note that passes too."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from lxml import etree

from felles.catalog.models import Funding, PriceVersion, ServiceAvailability
from felles.core.audit import verify_chain
from felles.core.models import AuditEvent
from felles.core.services import Conflict, ServiceError
from felles.invoicing import selectors, services, validation
from felles.invoicing.models import BillingProfile, Invoice, InvoiceLine, InvoiceRun, UsageRecord
from felles.testing import (
    OCTOBER,
    delivered_order,
    import_usage,
    usage_csv,
)

NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
}


def _issue(billing, actor, run: InvoiceRun) -> InvoiceRun:
    services.review_run(actor=actor, run=run, person=billing.siri)
    services.approve_run(actor=actor, run=run, person=billing.marte)
    return services.issue_run(actor=actor, run=run, person=billing.marte)


def _october_run(billing, actor) -> InvoiceRun:
    return services.create_run(
        actor=actor, provider=billing.dss, period_start=OCTOBER[0], period_end=OCTOBER[1]
    )


def test_end_to_end_invoice_dispute_and_credit_note(billing, actor) -> None:
    order = delivered_order(billing, actor, "srv-ekstra-renhold", "3.5", dt.date(2026, 10, 14))
    import_usage(
        billing.dss,
        usage_csv(
            "srv-mobil;KUD;31.10.2026;120;mobil-2026-10;nei;;",
            "srv-mobil;FIN;31.10.2026;80;mobil-2026-10;nei;;",
            "srv-mobler;KUD;20.10.2026;1;Faktura 5501;ja;12500,00;Hev/senk-pult",
        ),
    )
    run = _october_run(billing, actor)
    invoices = {i.ministry.abbreviation: i for i in run.invoices.all()}
    assert set(invoices) == {"KUD", "FIN"}
    kud = invoices["KUD"]
    lines = list(kud.lines.order_by("position"))
    # Priced usage lines first, the pass-through cost on a line of its own.
    assert [(line.description, line.quantity, line.unit_price, line.amount) for line in lines] == [
        ("Ekstra renhold", Decimal("3.50"), Decimal("560.00"), Decimal("1960.00")),
        ("Mobiltelefon og abonnement", Decimal("120.00"), Decimal("289.00"), Decimal("34680.00")),
        (
            "Videreformidlet kostnad: Møbler og kontorutstyr (ref. Faktura 5501)",
            Decimal("1.00"),
            Decimal("12500.00"),
            Decimal("12500.00"),
        ),
    ]
    # Totals reconcile exactly with Σ quantity × price of the usage behind them.
    usage_total = sum(
        (
            u.quantity * u.unit_price
            for u in UsageRecord.objects.filter(claim__run=run, ministry=billing.kud)
        ),
        Decimal(0),
    )
    assert kud.total == usage_total == Decimal("49140.00")
    assert run.invoiced_total == kud.total + invoices["FIN"].total

    run = _issue(billing, actor, run)
    kud.refresh_from_db()
    assert run.status == InvoiceRun.Status.ISSUED
    fin = Invoice.objects.get(pk=invoices["FIN"].pk)
    # Gap-free numbers per provider and series, in ministry order.
    assert (fin.number, kud.number) == ("DSS-F2026-000001", "DSS-F2026-000002")
    xml = kud.xml.encode()
    assert validation.validate(xml).ok
    tree = etree.fromstring(xml)
    standing = BillingProfile.objects.get(organisation=billing.kud).buyer_reference
    assert standing and tree.findtext("cbc:BuyerReference", namespaces=NS) == standing
    assert tree.find("cac:AccountingCustomerParty//cbc:EndpointID", NS).text == "972417866"
    assert tree.find("cac:AccountingCustomerParty//cbc:EndpointID", NS).get("schemeID") == "0192"
    assert tree.findtext("cac:LegalMonetaryTotal/cbc:PayableAmount", namespaces=NS) == "49140.00"
    assert (
        tree.findtext("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:ID", namespaces=NS) == "O"
    )
    # The line drills down to the order behind it.
    assert [u.order for u in selectors.usage_behind(lines[0])] == [order]

    # Ingrid disputes the furniture line; Marte accepts; a credit note corrects it.
    furniture = kud.lines.get(position=3)
    dispute = services.raise_dispute(
        actor=actor, line=furniture, person=billing.coordinator, reason="Pulten ble returnert."
    )
    with pytest.raises(Conflict, match="allerede bestridt"):
        services.raise_dispute(
            actor=actor, line=furniture, person=billing.coordinator, reason="Igjen."
        )
    dispute = services.resolve_dispute(
        actor=actor, dispute=dispute, person=billing.marte, accept=True, resolution="Enig."
    )
    note = dispute.credit_note
    assert note.kind == Invoice.Kind.CREDIT_NOTE and note.number == "DSS-K2026-000001"
    assert note.total == Decimal("12500.00") and note.credited_invoice == kud
    result = validation.validate(note.xml.encode())
    assert result.ok, result.fatal
    credit_tree = etree.fromstring(note.xml.encode())
    assert credit_tree.findtext("cbc:CreditNoteTypeCode", namespaces=NS) == "381"
    assert (
        credit_tree.findtext(
            "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID", namespaces=NS
        )
        == kud.number
    )
    with pytest.raises(Conflict, match="allerede kreditert"):
        services.credit_invoice(actor=actor, invoice=kud, reason="Dobbelt", lines=[furniture])
    assert verify_chain().ok
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "invoicing.run.create",
        "invoicing.run.reviewed",
        "invoicing.run.approved",
        "invoicing.run.issued",
        "invoicing.dispute.raise",
        "invoicing.dispute.accept",
        "invoicing.credit_note.issue",
        "invoicing.usage.import",
    } <= actions


def test_draft_recompute_is_idempotent_and_issued_runs_are_immutable(billing, actor) -> None:
    import_usage(billing.dss, usage_csv("srv-mobil;KUD;15.10.2026;10;a;nei;;"))
    run = _october_run(billing, actor)
    first = (
        run.fingerprint,
        list(
            InvoiceLine.objects.filter(invoice__run=run).values_list(
                "description", "quantity", "unit_price", "amount"
            )
        ),
    )
    run = services.recompute_run(actor=actor, run=run)
    again = (
        run.fingerprint,
        list(
            InvoiceLine.objects.filter(invoice__run=run).values_list(
                "description", "quantity", "unit_price", "amount"
            )
        ),
    )
    assert again == first
    # New usage in the period is picked up; the fingerprint says the draft changed.
    import_usage(billing.dss, usage_csv("srv-mobil;KUD;16.10.2026;5;b;nei;;"))
    run = services.recompute_run(actor=actor, run=run)
    assert run.fingerprint != first[0]
    assert InvoiceLine.objects.get(invoice__run=run).quantity == Decimal("15.00")
    run = _issue(billing, actor, run)
    xml = Invoice.objects.get(run=run).xml
    for action in (services.recompute_run, services.discard_run):
        with pytest.raises(Conflict, match="utstedt"):
            action(actor=actor, run=run)
    with pytest.raises(Conflict, match="utstedt"):
        services.issue_run(actor=actor, run=run, person=billing.marte)
    assert Invoice.objects.get(run=run).xml == xml
    # Usage billed once: a later run does not bill it again.
    later = services.create_run(
        actor=actor,
        provider=billing.dss,
        period_start=dt.date(2026, 11, 1),
        period_end=dt.date(2026, 11, 20),
    )
    assert later.usage_count == 0 and not later.invoices.exists()


def test_funding_decides_invoice_posting_or_showback(billing, actor) -> None:
    # FIN buys mobile phones under a charging authorisation; KUD is invoiced.
    ServiceAvailability.objects.create(
        service=billing.services["srv-mobil"],
        organisation=billing.fin,
        funding=Funding.CHARGING_AUTHORISATION,
    )
    import_usage(
        billing.dss,
        usage_csv("srv-mobil;KUD;15.10.2026;10;a;nei;;", "srv-mobil;FIN;15.10.2026;4;a;nei;;"),
    )
    # An appropriation-funded order: recorded for showback, never invoiced.
    delivered_order(billing, actor, "srv-moterom", "1", dt.date(2026, 10, 3))
    run = _october_run(billing, actor)
    kinds = {(i.ministry.abbreviation, i.kind) for i in run.invoices.all()}
    assert kinds == {("KUD", Invoice.Kind.INVOICE), ("FIN", Invoice.Kind.POSTING)}
    assert run.charged_total == Decimal("1156.00") and run.invoiced_total == Decimal("2890.00")
    run = _issue(billing, actor, run)
    posting = run.invoices.get(kind=Invoice.Kind.POSTING)
    assert posting.number == "DSS-B2026-000001" and posting.xml == ""  # no EHF for postings
    rows = selectors.showback(billing.kud.pk, *OCTOBER)
    assert [(r.service, r.volume) for r in rows] == [("Møterom og konferanse", Decimal("1"))]


def test_fatal_rule_blocks_review_with_rule_id(billing, actor) -> None:
    BillingProfile.objects.filter(organisation=billing.kud).update(buyer_reference="")
    import_usage(billing.dss, usage_csv("srv-mobil;KUD;15.10.2026;10;a;nei;;"))
    run = _october_run(billing, actor)
    with pytest.raises(ServiceError, match="PEPPOL-EN16931-R003") as refused:
        services.review_run(actor=actor, run=run, person=billing.siri)
    assert "BuyerReference" in refused.value.message or "R003" in refused.value.message
    run.refresh_from_db()
    assert run.status == InvoiceRun.Status.DRAFT


def test_reviewer_cannot_approve_and_periods_do_not_overlap(billing, actor) -> None:
    import_usage(billing.dss, usage_csv("srv-mobil;KUD;15.10.2026;10;a;nei;;"))
    run = _october_run(billing, actor)
    services.review_run(actor=actor, run=run, person=billing.siri)
    with pytest.raises(Conflict, match="kontrollert"):
        services.approve_run(actor=actor, run=run, person=billing.siri)
    with pytest.raises(Conflict, match="overlapper"):
        services.create_run(
            actor=actor,
            provider=billing.dss,
            period_start=dt.date(2026, 10, 20),
            period_end=dt.date(2026, 11, 5),
        )
    with pytest.raises(ServiceError, match="over"):
        services.create_run(
            actor=actor,
            provider=billing.dss,
            period_start=dt.date(2026, 12, 1),
            period_end=dt.date(2026, 12, 31),
        )


def test_price_change_never_reprices_recorded_usage(billing, actor) -> None:
    import_usage(billing.dss, usage_csv("srv-mobil;KUD;15.10.2026;10;a;nei;;"))
    mobile = billing.services["srv-mobil"]
    PriceVersion.objects.filter(service=mobile).update(valid_to=dt.date(2026, 10, 31))
    PriceVersion.objects.create(
        service=mobile, valid_from=dt.date(2026, 11, 1), unit_price=Decimal("350.00")
    )
    import_usage(billing.dss, usage_csv("srv-mobil;KUD;02.11.2026;10;b;nei;;"))
    prices = dict(UsageRecord.objects.values_list("external_reference", "unit_price"))
    assert prices == {"a": Decimal("289.00"), "b": Decimal("350.00")}
    run = _october_run(billing, actor)
    assert InvoiceLine.objects.get(invoice__run=run).unit_price == Decimal("289.00")


def test_a_failing_run_leaves_the_previous_state(billing, actor, monkeypatch) -> None:
    """Anything failing inside the computation rolls the whole run back: no run, no
    claimed usage; the next attempt completes it without duplicates."""
    import_usage(billing.dss, usage_csv("srv-mobil;KUD;15.10.2026;10;a;nei;;"))

    def broken(*args, **kwargs):
        raise RuntimeError("process killed")

    monkeypatch.setattr(InvoiceLine.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        _october_run(billing, actor)
    assert not InvoiceRun.objects.exists()
    assert not UsageRecord.objects.filter(claim__isnull=False).exists()
    monkeypatch.undo()
    run = _october_run(billing, actor)
    assert run.usage_count == 1 and InvoiceLine.objects.filter(invoice__run=run).count() == 1


def test_visibility_of_invoices(billing, actor) -> None:
    import_usage(
        billing.dss,
        usage_csv("srv-mobil;KUD;15.10.2026;10;a;nei;;", "srv-mobil;FIN;15.10.2026;4;a;nei;;"),
    )
    run = _october_run(billing, actor)

    def seen(person) -> set[str]:
        return {i.ministry.abbreviation for i in Invoice.objects.visible_to(person.user)}

    # Drafts: only the provider's finance people (and cross-ministry readers).
    assert seen(billing.marte) == {"KUD", "FIN"}
    assert seen(billing.coordinator) == set()
    _issue(billing, actor, run)
    assert seen(billing.coordinator) == {"KUD"}  # KUD's coordinator: KUD's only
    assert seen(billing.outsider) == set()  # an FIN employee without a billing role
    assert seen(billing.employee) == set()  # employees do not follow the bill
    assert seen(billing.agent) == set()  # agents deliver; finance bills
    assert seen(billing.auditor) == {"KUD", "FIN"}


def test_claims_follow_recompute_discard_and_late_usage(billing, actor) -> None:
    """A run's claims: a recompute claims usage recorded since (dated in the period), a
    discard gives every claimed row back, and the next run claims them all again."""
    from felles.invoicing.models import UsageClaim

    import_usage(billing.dss, usage_csv("srv-mobil;KUD;15.10.2026;2;;nei;;"))
    run = _october_run(billing, actor)
    assert run.usage_count == 1
    import_usage(billing.dss, usage_csv("srv-mobil;KUD;20.10.2026;3;;nei;;"))
    run = services.recompute_run(actor=actor, run=run)
    assert run.usage_count == 2 and run.usage.count() == 2
    assert InvoiceLine.objects.get(invoice__run=run).quantity == Decimal("5")
    services.discard_run(actor=actor, run=run)
    assert not UsageClaim.objects.exists()
    assert all(u.run_id is None for u in UsageRecord.objects.all())
    again = _october_run(billing, actor)
    assert again.usage_count == 2 and again.usage.count() == 2
