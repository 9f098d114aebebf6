"""The invoicing pages as provider finance and a ministry use them, and the race between
two people issuing the same run."""

from __future__ import annotations

import io
import threading

import pytest
from django.db import connection
from openpyxl import load_workbook

from felles.core.services import Conflict
from felles.invoicing import services, validation
from felles.invoicing.models import Dispute, Invoice, InvoiceCounter, InvoiceRun
from felles.organisations.models import Role
from felles.organisations.tests.factories import make_person
from felles.testing import OCTOBER, client_for, import_usage, issued_run, usage_csv


def test_provider_finance_runs_the_month_from_the_pages(billing) -> None:
    siri, marte = client_for(billing.siri), client_for(billing.marte)
    # Import: dry run first (nothing written), then confirm.
    upload = io.BytesIO(usage_csv("srv-mobil;KUD;31.10.2026;10;m;nei;;"))
    upload.name = "oktober.csv"
    page = siri.post("/fakturering/import/", {"provider": "DSS", "file": upload})
    assert page.status_code == 200 and "Filen er gyldig: 1 ny forbruksrad (" in page.text
    token = page.context["token"]
    page = siri.post("/fakturering/import/", {"confirm": token}, follow=True)
    assert "Importert: 1 ny forbruksrad," in page.text
    # A run with a bad period is refused with the reason; a good one becomes a draft.
    backwards = {"provider": "DSS", "period_start": "2026-10-31", "period_end": "2026-10-01"}
    bad = siri.post("/fakturering/", backwards)
    assert bad.status_code == 422 and "Må være etter fra-datoen" in bad.text
    page = siri.post(
        "/fakturering/",
        {"provider": "DSS", "period_start": str(OCTOBER[0]), "period_end": str(OCTOBER[1])},
        follow=True,
    )
    run = InvoiceRun.objects.get()
    assert "Fakturakjøringen er beregnet som utkast" in page.text
    url = f"/fakturering/{run.uuid}/"
    assert "Kontroll" in siri.post(url, {"action": "review"}, follow=True).text
    refused = siri.post(url, {"action": "approve"}, follow=True)
    assert "kan ikke også godkjenne" in refused.text
    marte.post(url, {"action": "approve"})
    page = marte.post(url, {"action": "issue"}, follow=True)
    assert "Fakturaene er utstedt" in page.text
    invoice = Invoice.objects.get(run=run)
    # EHF download validates; the ledger export has one row per line.
    xml = siri.get(f"/faktura/{invoice.uuid}/?format=xml")
    assert xml["Content-Type"].startswith("application/xml")
    assert validation.validate(xml.content).ok
    csv_text = siri.get(url + "?format=csv").content.decode()
    assert csv_text.splitlines()[1].startswith(f"{invoice.number};Faktura;")
    sheet = load_workbook(io.BytesIO(siri.get(url + "?format=xlsx").content)).active
    assert sheet.cell(2, 13).value == 2890  # 10 × 289,00


def test_ministry_sees_its_invoice_disputes_a_line_and_gets_an_answer(billing, actor) -> None:
    invoice = Invoice.objects.get(run=issued_run(billing))
    ingrid = client_for(billing.coordinator)
    page = ingrid.get("/faktura/")
    assert invoice.number in page.text and "Synliggjøring" in page.text
    detail = ingrid.get(f"/faktura/{invoice.uuid}/")
    plain = detail.text.replace("\xa0", " ").replace("\u202f", " ")
    assert "Bestrid linjen" in plain and "kr 2 890,00" in plain
    ingrid.post(
        f"/faktura/{invoice.uuid}/linjer/1/innsigelse/", {"reason": "Vi har bare 8 abonnementer."}
    )
    dispute = Dispute.objects.get()
    assert "Vi har bare 8 abonnementer" in client_for(billing.marte).get("/fakturering/").text
    page = client_for(billing.marte).post(
        f"/fakturering/innsigelser/{dispute.uuid}/", {"decision": "reject"}, follow=True
    )
    assert "Skriv hvorfor innsigelsen avvises" in page.text
    client_for(billing.marte).post(
        f"/fakturering/innsigelser/{dispute.uuid}/",
        {"decision": "reject", "resolution": "Ti abonnementer var aktive hele måneden."},
    )
    detail = ingrid.get(f"/faktura/{invoice.uuid}/")
    assert "Ti abonnementer var aktive hele måneden" in detail.text
    # Another ministry's coordinator: the invoice does not exist for her.
    fin_coordinator = make_person(billing.fin, "fincoord", roles=[Role.ORDERING_COORDINATOR])
    assert client_for(fin_coordinator).get(f"/faktura/{invoice.uuid}/").status_code == 404
    assert client_for(fin_coordinator).get(f"/faktura/{invoice.uuid}/linjer/1/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_two_people_issuing_the_same_run_at_once(shop, actor) -> None:
    from felles.testing import add_billing

    billing = add_billing(shop)
    import_usage(billing.dss, usage_csv("srv-mobil;KUD;31.10.2026;10;m;nei;;"))
    run = services.create_run(
        actor=actor, provider=billing.dss, period_start=OCTOBER[0], period_end=OCTOBER[1]
    )
    services.review_run(actor=actor, run=run, person=billing.siri)
    services.approve_run(actor=actor, run=run, person=billing.marte)
    validation.validate(Invoice.objects.get(run=run).xml.encode() or b"<x/>")  # warm up
    third = make_person(billing.dss, "tredje", roles=[Role.PROVIDER_MANAGER])
    barrier = threading.Barrier(2)
    results: list[str] = []

    def issue(person) -> None:
        try:
            fresh = InvoiceRun.objects.get(pk=run.pk)
            barrier.wait(timeout=10)
            services.issue_run(actor=actor, run=fresh, person=person)
            results.append("issued")
        except Conflict:
            results.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(p,)) for p in (billing.marte, third)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == ["conflict", "issued"]
    assert InvoiceCounter.objects.get(series="F").last == 1
    assert Invoice.objects.get(run=run).number == "DSS-F2026-000001"
