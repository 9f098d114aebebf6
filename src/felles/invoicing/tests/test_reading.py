"""What a ministry and provider finance read on the invoicing pages: links that open for the
reader, the showback opening on a month with data, amounts, quantities and counts written
the way the reader's language writes them, and the pages in English."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.utils import translation

from felles.invoicing.models import Invoice, InvoiceRun
from felles.testing import client_for, delivered_order, import_usage, issued_run, usage_csv

NB, NN, MINUS = "\u00a0", "\u202f", "\u2212"
LINK = re.compile(r'<a [^>]*href="(/[^"?#]*)"')


@pytest.fixture(autouse=True)
def _bokmal_afterwards():
    """The language middleware leaves the request's language active in this thread; the
    next test (plain code, no request) reads bokmål again."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _main(html: str) -> str:
    return html[html.index('<main id="innhold"') : html.index("</main>")]


def test_every_link_on_an_invoice_opens_for_the_ministry_reader(billing) -> None:
    """Ingrid (KUD's coordinator) follows KUD's bill but runs no invoicing: the invoice page
    (breadcrumb included) links only to what she may open — never to the run (403)."""
    invoice = Invoice.objects.get(run=issued_run(billing))
    ingrid = client_for(billing.coordinator)
    page = ingrid.get(f"/faktura/{invoice.uuid}/")
    links = set(LINK.findall(_main(page.text)))
    assert f"/fakturering/{invoice.run.uuid}/" not in links
    for href in sorted(links):
        assert ingrid.get(href).status_code == 200, href
    # Provider finance, who may open the run, gets the breadcrumb to it.
    page = client_for(billing.marte).get(f"/faktura/{invoice.uuid}/")
    assert f'href="/fakturering/{invoice.run.uuid}/"' in page.text


def test_the_showback_opens_on_the_newest_month_with_data(billing, actor, frozen_clock) -> None:
    """Today is 18.11.2026; KUD last used an appropriation-funded service in September. The
    page opens there instead of on an empty October."""
    delivered_order(billing, actor, "srv-moterom", "2", dt.date(2026, 9, 10))
    page = client_for(billing.coordinator).get("/faktura/")
    assert page.context["month"] == "2026-09"
    assert "Møterom og konferanse" in page.text
    assert "Ingen bruk av bevilgningsfinansierte tjenester" not in page.text
    # A month asked for is shown even when empty.
    page = client_for(billing.coordinator).get("/faktura/", {"maaned": "2026-10"})
    assert "Ingen bruk av bevilgningsfinansierte tjenester" in page.text


def test_quantities_counts_and_amounts_read_as_words_and_numbers(billing, actor) -> None:
    run = issued_run(billing)
    invoice = Invoice.objects.get(run=run)
    line = invoice.lines.get(position=1)
    page = client_for(billing.coordinator).get(f"/faktura/{invoice.uuid}/")
    text = page.text
    # One usage row is «1 forbruksrad»; the quantity names its unit (MON), not the code.
    assert line.unit_code == "MON"
    assert "1 forbruksrad<" in text and "1 forbruksrader" not in text
    assert f"10{NB}måneder" in text and " MON<" not in text
    assert f"kr{NB}2{NN}890,00" in text
    drill = client_for(billing.coordinator).get(f"/faktura/{invoice.uuid}/linjer/1/")
    assert f"10{NB}måneder × kr{NB}289,00 = kr{NB}2{NN}890,00" in drill.text


def test_a_credit_note_is_money_out_with_a_real_minus(billing, actor) -> None:
    from felles.invoicing import services

    invoice = Invoice.objects.get(run=issued_run(billing))
    services.credit_invoice(actor=actor, invoice=invoice, reason="Feil måned.")
    text = client_for(billing.marte).get("/faktura/").text
    assert f"{MINUS}kr{NB}2{NN}890,00" in text and "-kr" not in text
    detail = client_for(billing.marte).get(f"/faktura/{invoice.uuid}/").text
    assert f"{MINUS}kr{NB}2{NN}890,00" in detail and f"{MINUS}{MINUS}" not in detail


def _english(person):
    client = client_for(person)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_invoicing_pages_in_english(billing) -> None:
    run = issued_run(billing)
    invoice = Invoice.objects.get(run=run)
    ingrid, marte = _english(billing.coordinator), _english(billing.marte)
    listing = ingrid.get("/faktura/").text
    assert "<title>Invoices and usage" in listing and "Faktura og forbruk" not in listing
    detail = ingrid.get(f"/faktura/{invoice.uuid}/").text
    assert f"Invoice {invoice.number}" in detail
    assert "1 usage row<" in detail and f"10{NB}months" in detail
    assert f"NOK{NB}2,890.00" in detail and "Dispute the line" in detail
    drill = ingrid.get(f"/faktura/{invoice.uuid}/linjer/1/").text
    assert "Basis for line 1" in drill
    runs = marte.get("/fakturering/").text
    assert "<title>Invoicing" in runs and "New run" in runs and "Period from" in runs
    page = marte.get(f"/fakturering/{run.uuid}/").text
    assert "Draft" in page and "Issued" in page and "Ledger export (Excel)" in page


def test_the_import_counts_in_proper_plurals(billing) -> None:
    import io

    upload = io.BytesIO(
        usage_csv("srv-mobil;KUD;31.10.2026;10;m;nei;;", "srv-mobil;FIN;31.10.2026;4;m;nei;;")
    )
    upload.name = "oktober.csv"
    page = client_for(billing.siri).post(
        "/fakturering/import/", {"provider": "DSS", "file": upload}
    )
    assert "2 nye forbruksrader" in page.text and "Importer 2 rader for DSS" in page.text
    import_usage(billing.dss, usage_csv("srv-mobil;KUD;30.10.2026;1;n;nei;;"))
    upload = io.BytesIO(usage_csv("srv-mobil;KUD;29.10.2026;1;x;nei;;"))
    upload.name = "en.csv"
    page = client_for(billing.siri).post(
        "/fakturering/import/", {"provider": "DSS", "file": upload}
    )
    assert "1 ny forbruksrad (" in page.text and "Importer 1 rad for DSS" in page.text
    assert InvoiceRun.objects.count() == 0


def test_import_errors_in_english_with_amounts_in_the_one_format(billing) -> None:
    import io

    upload = io.BytesIO(
        usage_csv(
            "srv-mobil;KUD;31.13.2026;10;a;nei;;",
            "srv-mobil;KUD;31.10.2026;9999999999.99;b;ja;9999999999.99;",
        )
    )
    upload.name = "bad.csv"
    page = _english(billing.siri).post("/fakturering/import/", {"provider": "DSS", "file": upload})
    assert "31.13.2026" in page.text and "is not a date (dd.mm.yyyy)." in page.text
    assert "is more than an invoice line can hold" in page.text
    assert f"= NOK{NB}99,999,999,999,800,000,000.00 is more" in page.text
