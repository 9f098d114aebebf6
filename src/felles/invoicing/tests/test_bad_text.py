"""Text in the database that XML cannot carry (from before the edges refused it, from a
script) never crashes an invoice run: the run names the bad row and why, the provider's
finance corrects it on a page, and review then succeeds. The EHF builder itself refuses such
text with a typed error naming the field and line."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from felles.core.models import AuditEvent
from felles.core.services import ServiceError
from felles.invoicing import ehf, services
from felles.invoicing.models import BillingProfile, Invoice, InvoiceLine, InvoiceRun, UsageRecord
from felles.organisations.models import Organisation, Role
from felles.organisations.tests.factories import make_person
from felles.testing import OCTOBER, client_for, delivered_order

BAD = "KS\u000b4711"


def _bad_order(billing, actor):
    """A delivered order whose buyer reference holds a vertical tab, written straight to the
    database (as data from before the validation at the edges would be)."""
    order = delivered_order(billing, actor, "srv-mobil", "2", dt.date(2026, 10, 15))
    type(order).objects.filter(pk=order.pk).update(buyer_reference=BAD)
    UsageRecord.objects.filter(order=order).update(buyer_reference=BAD)
    return order


def _document(**changes) -> ehf.Document:
    party = ehf.Party(
        "Kultur- og likestillingsdepartementet", "972417858", "Gate 1", "Oslo", "0030"
    )
    line = ehf.Line(
        description="Mobilabonnement",
        quantity=Decimal(2),
        unit_code="EA",
        unit_price=Decimal("289.00"),
        amount=Decimal("578.00"),
        period_start=OCTOBER[0],
        period_end=OCTOBER[1],
        item_id="srv-mobil",
        accounting_reference=changes.pop("accounting_reference", ""),
    )
    values = {
        "credit_note": False,
        "number": "DSS-F2026-000001",
        "issue_date": dt.date(2026, 11, 2),
        "due_date": dt.date(2026, 12, 2),
        "buyer_reference": "KS4711",
        "period_start": OCTOBER[0],
        "period_end": OCTOBER[1],
        "seller": party,
        "buyer": party,
        "lines": [line],
        **changes,
    }
    return ehf.Document(**values)


def test_the_ehf_builder_refuses_xml_illegal_text_with_a_typed_error() -> None:
    assert b"<cbc:AccountingCost>KS 4711<" in ehf.build(_document(accounting_reference="KS 4711"))
    with pytest.raises(ehf.InvalidText) as refused:
        ehf.build(_document(accounting_reference=BAD, buyer_reference="A\x00B"))
    problems = refused.value.problems
    assert [(p.element, p.line, p.character) for p in problems] == [
        ("BuyerReference", None, "U+0000"),
        ("AccountingCost", 1, "U+000B"),
    ]
    assert "Linje 1: kjøpers referanse på linjen (AccountingCost)" in str(refused.value)
    assert "U+000B på plass 3 («KS[U+000B]4711»)" in problems[1].message
    # A ValueError still (callers catching the builder's errors keep working), never lxml's.
    assert isinstance(refused.value, ValueError)
    # Tabs and line breaks are legal XML and pass; U+FFFE is not.
    assert ehf.text_problems(_document(accounting_reference="a\tb\nc")) == []
    assert ehf.text_problems(_document(accounting_reference="a\ufffe"))[0].line == 1


def test_a_bad_buyer_reference_is_reported_corrected_on_a_page_and_review_succeeds(
    billing, actor
) -> None:
    order = _bad_order(billing, actor)
    usage = UsageRecord.objects.get(order=order)
    siri = client_for(billing.siri)
    page = siri.post(
        "/fakturering/",
        {"provider": "DSS", "period_start": str(OCTOBER[0]), "period_end": str(OCTOBER[1])},
    )
    assert page.status_code == 302
    run = InvoiceRun.objects.get()
    url = f"/fakturering/{run.uuid}/"

    # Review is refused with the reason (no 500), on the page and in the API; the run page
    # names the document, field, character and the order the text comes from.
    page = siri.post(url, {"action": "review"}, follow=True)
    assert page.status_code == 200 and "kan ikke kontrolleres" in page.text
    assert "Feil som må rettes før kontroll" in page.text
    assert "Faktura til KUD: Linje 1: kjøpers referanse på linjen (AccountingCost)" in page.text
    assert "U+000B" in page.text and f"bestilling {order.number}" in page.text
    correct_url = f"/fakturering/{run.uuid}/forbruk/{usage.uuid}/"
    assert correct_url in page.text
    api = siri.post(
        f"/api/v1/invoice-runs/{run.uuid}/actions", {"action": "review"}, "application/json"
    )
    assert api.status_code == 422, api.content
    body = api.json()
    assert "kan ikke kontrolleres" in body["message"]
    assert f"bestilling {order.number}" in " ".join(body["errors"]["text"])
    run.refresh_from_db()
    assert run.status == InvoiceRun.Status.DRAFT

    # The correction page: only the provider's finance; others see no such page.
    assert client_for(billing.coordinator).get(correct_url).status_code == 403
    other = Organisation.objects.providers().exclude(pk=billing.dss.pk).first()
    stranger = make_person(other, "annen", roles=[Role.PROVIDER_MANAGER])
    assert client_for(stranger).get(correct_url).status_code == 404
    form = siri.get(correct_url)
    assert form.status_code == 200
    assert "KS[U+000B]4711" in form.text  # the stored value, made visible
    assert form.context["form"].initial["buyer_reference"] == "KS 4711"  # suggestion
    # A correction that is still illegal is refused on the form.
    refused = siri.post(correct_url, {"buyer_reference": "KS\x0c4711"})
    assert refused.status_code == 422 and "U+000C" in refused.text
    done = siri.post(correct_url, {"buyer_reference": "KS-4711", "same_value": "on"}, follow=True)
    assert "Forbruksraden er rettet (1 rad)" in done.text
    assert "Feil som må rettes" not in done.text
    usage.refresh_from_db()
    assert usage.buyer_reference == "KS-4711"
    line = InvoiceLine.objects.get(invoice__run=run)
    assert line.buyer_reference == "KS-4711"  # the run was recomputed with the correction

    event = AuditEvent.objects.get(action="invoicing.usage.correct")
    assert event.changes["buyer_reference"] == [BAD, "KS-4711"]
    assert event.actor_id == billing.siri.user_id
    assert event.changes["rows"] == [None, {"buyer_reference": 1}]

    page = siri.post(url, {"action": "review"}, follow=True)
    assert "merket som kontrollert" in page.text
    run.refresh_from_db()
    assert run.status == InvoiceRun.Status.REVIEWED


def test_bad_text_outside_usage_is_named_and_never_crashes_issuing(billing, actor) -> None:
    order = delivered_order(billing, actor, "srv-mobil", "2", dt.date(2026, 10, 15))
    assert order.usage
    # The ministry's standing reference (billing profile) is the source here.
    BillingProfile.objects.filter(organisation=billing.kud).update(buyer_reference=BAD)
    run = services.create_run(
        actor=actor, provider=billing.dss, period_start=OCTOBER[0], period_end=OCTOBER[1]
    )
    with pytest.raises(ServiceError, match="kan ikke kontrolleres") as refused:
        services.review_run(actor=actor, run=run, person=billing.siri)
    (text,) = refused.value.field_errors["text"]
    assert "BuyerReference" in text and "fakturaprofilen til KUD" in text
    BillingProfile.objects.filter(organisation=billing.kud).update(buyer_reference="KS4711")
    services.recompute_run(actor=actor, run=run)
    run = services.review_run(actor=actor, run=run, person=billing.siri)
    run = services.approve_run(actor=actor, run=run, person=billing.marte)
    # Changed behind the run's back after approval: issuing refuses clearly, rolls back.
    InvoiceLine.objects.filter(invoice__run=run).update(buyer_reference=BAD)
    with pytest.raises(ServiceError, match="kan ikke lages som EHF") as refused:
        services.issue_run(actor=actor, run=run, person=billing.marte)
    assert "AccountingCost" in refused.value.message
    run.refresh_from_db()
    assert run.status == InvoiceRun.Status.APPROVED
    assert not Invoice.objects.filter(number__isnull=False).exists()


def test_correcting_the_same_text_stays_within_the_ministry_and_the_bad_text(
    billing, actor
) -> None:
    """«The same text» corrects only rows of the row's own ministry that hold the same text
    with a character EHF cannot carry: never another ministry's rows, never rows whose
    field is empty or legal; the count on the page is exactly what is changed."""
    from felles.testing import import_usage

    header = "tjeneste;departement;dato;mengde;referanse;kostnadssted;videreformidlet;enhetspris"
    rows = [
        "srv-mobil;KUD;10.10.2026;1;;KS-A;nei;",  # the row corrected
        "srv-mobil;KUD;11.10.2026;1;;KS-B;nei;",  # same ministry, same bad text
        "srv-mobil;FIN;10.10.2026;1;;KS-C;nei;",  # same bad text, another ministry
        "srv-mobil;KUD;12.10.2026;1;;KS4711;nei;",  # same ministry, legal text
        "srv-mobil;FIN;12.10.2026;1;;;nei;",  # another ministry, empty texts
    ]
    import_usage(billing.dss, "\n".join([header, *rows]).encode())
    UsageRecord.objects.filter(buyer_reference__in=["KS-A", "KS-B", "KS-C"]).update(
        buyer_reference=BAD
    )
    run = services.create_run(
        actor=actor, provider=billing.dss, period_start=OCTOBER[0], period_end=OCTOBER[1]
    )
    usage = UsageRecord.objects.get(ministry=billing.kud, usage_date=dt.date(2026, 10, 10))
    before = {u.pk: (u.buyer_reference, u.external_reference) for u in UsageRecord.objects.all()}
    siri = client_for(billing.siri)
    url = f"/fakturering/{run.uuid}/forbruk/{usage.uuid}/"
    page = siri.get(url)
    assert page.context["same_count"] == 2 and "KUD: 2 rader i alt" in page.text
    # The empty external reference is filled in too: on this row only.
    done = siri.post(
        url,
        {"buyer_reference": "KS-4711", "external_reference": "REF-1", "same_value": "on"},
        follow=True,
    )
    assert "Forbruksraden er rettet (2 rader)" in done.text
    after = {u.pk: (u.buyer_reference, u.external_reference) for u in UsageRecord.objects.all()}
    sibling = UsageRecord.objects.get(ministry=billing.kud, usage_date=dt.date(2026, 10, 11))
    assert after[usage.pk] == ("KS-4711", "REF-1")
    assert after[sibling.pk] == ("KS-4711", "")
    changed = {pk for pk in after if after[pk] != before[pk]}
    assert changed == {usage.pk, sibling.pk}
    fin = UsageRecord.objects.filter(ministry=billing.fin)
    assert {(u.buyer_reference, u.external_reference) for u in fin} == {(BAD, ""), ("", "")}
    event = AuditEvent.objects.get(action="invoicing.usage.correct")
    assert event.changes["rows"] == [None, {"buyer_reference": 2, "external_reference": 1}]

    # Without «the same text», the row alone; a legal old text never spreads.
    legal = UsageRecord.objects.get(buyer_reference="KS4711")
    assert services.same_text_count(legal) == 1
    assert (
        services.correct_usage(
            actor=actor,
            usage=legal,
            buyer_reference="KS 4711",
            external_reference="",
            same_value=True,
        )
        == 1
    )
