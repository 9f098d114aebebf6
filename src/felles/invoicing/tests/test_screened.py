"""Issue 18: a restricted or security service is invoiced as one aggregated line per
service and price — «Juridisk bistand i personalsaker, 2 saker» — with no names, order
numbers, form answers or references in the line, the EHF XML (which still passes the
official Peppol rules), the drill-down, the API or the ledger export."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from lxml import etree

from felles.catalog.models import Confidentiality, Service
from felles.invoicing import problems, selectors, services, validation
from felles.invoicing.models import Invoice, InvoiceRun, UsageRecord
from felles.testing import OCTOBER, client_for, delivered_order
from felles.testing.screened import (
    CODE,
    REFERENCE,
    delivered_screened_order,
    leaked,
    screened_service,
)

NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
}


def _issued_october(billing, actor) -> InvoiceRun:
    run = services.create_run(
        actor=actor, provider=billing.dss, period_start=OCTOBER[0], period_end=OCTOBER[1]
    )
    services.review_run(actor=actor, run=run, person=billing.siri)
    services.approve_run(actor=actor, run=run, person=billing.marte)
    return services.issue_run(actor=actor, run=run, person=billing.marte)


def _screened_month(billing, actor, level=Confidentiality.RESTRICTED):
    screened_service(billing, level=level)
    orders = [
        delivered_screened_order(billing, actor, dt.date(2026, 10, 7), hours="2"),
        delivered_screened_order(billing, actor, dt.date(2026, 10, 21), hours="1.5"),
    ]
    open_order = delivered_order(billing, actor, "srv-ekstra-renhold", "3.5", dt.date(2026, 10, 14))
    run = _issued_october(billing, actor)
    invoice = run.invoices.get(ministry=billing.kud, kind=Invoice.Kind.INVOICE)
    return orders, open_order, invoice


def test_a_restricted_service_is_one_line_without_personal_data_in_the_ehf(billing, actor) -> None:
    orders, open_order, invoice = _screened_month(billing, actor)
    line = invoice.lines.get(service__code=CODE)
    assert line.description == "Juridisk bistand i personalsaker, 2 saker"
    assert (line.quantity, line.unit_price, line.amount) == (
        Decimal("3.50"),
        Decimal("1250.00"),
        Decimal("4375.00"),
    )
    assert line.usage_count == 2 and line.buyer_reference == ""

    xml = invoice.xml.encode()
    assert validation.validate(xml).ok
    tree = etree.fromstring(xml)
    texts = " ".join(t for t in tree.itertext())
    assert leaked(xml, billing, *orders) == []
    assert leaked(texts, billing, *orders) == []
    names = [n.text for n in tree.iterfind("cac:InvoiceLine/cac:Item/cbc:Name", NS)]
    assert "Juridisk bistand i personalsaker, 2 saker" in names
    # No line carries the orders' own reference (BT-133), which here is a person's name.
    assert REFERENCE not in [
        c.text for c in tree.iterfind("cac:InvoiceLine/cbc:AccountingCost", NS)
    ]
    # An open service's order is still traceable, as before.
    assert [
        u.order
        for u in selectors.usage_behind(invoice.lines.get(service__code="srv-ekstra-renhold"))
    ] == [open_order]


def test_a_security_service_is_aggregated_too(billing, actor) -> None:
    orders, _, invoice = _screened_month(billing, actor, level=Confidentiality.SECURITY)
    assert invoice.lines.get(service__code=CODE).description.endswith(", 2 saker")
    assert leaked(invoice.xml, billing, *orders) == []


def test_the_drill_down_the_invoice_page_and_the_api_show_a_count_only(billing, actor) -> None:
    orders, open_order, invoice = _screened_month(billing, actor)
    line = invoice.lines.get(service__code=CODE)
    for person in (billing.coordinator, billing.marte, billing.auditor):
        client = client_for(person)
        drill = client.get(f"/faktura/{invoice.uuid}/linjer/{line.position}/")
        assert drill.status_code == 200
        body = drill.content.decode()
        assert "2 saker" in body
        assert leaked(body, billing, *orders) == [], person
        page = client.get(f"/faktura/{invoice.uuid}/").content.decode()
        assert "Juridisk bistand i personalsaker, 2 saker" in page
        assert leaked(page, billing, *orders) == []
        printed = client.get(f"/faktura/{invoice.uuid}/?visning=utskrift").content.decode()
        assert leaked(printed, billing, *orders) == []
        api = client.get(f"/api/v1/invoices/{invoice.uuid}")
        assert api.status_code == 200
        screened = [x for x in api.json()["lines"] if x["service"] == CODE]
        assert screened[0]["screened"] is True and screened[0]["usage_count"] == 2
        assert leaked(api.content, billing, *orders) == []
        assert (
            leaked(client.get(f"/api/v1/invoices/{invoice.uuid}/ehf").content, billing, *orders)
            == []
        )
    # English: the same count in the reader's language.
    client = client_for(billing.coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(f"/faktura/{invoice.uuid}/").content.decode()
    assert "Legal assistance in HR cases, 2 cases" in english
    assert leaked(english, billing, *orders) == []
    # The open service's line still drills down to its order.
    open_line = invoice.lines.get(service__code="srv-ekstra-renhold")
    drill = client_for(billing.coordinator).get(
        f"/faktura/{invoice.uuid}/linjer/{open_line.position}/"
    )
    assert open_order.number in drill.content.decode()


def test_the_ledger_export_names_no_one(billing, actor) -> None:
    orders, _, invoice = _screened_month(billing, actor)
    run = invoice.run
    export = client_for(billing.marte).get(f"/fakturering/{run.uuid}/?format=csv")
    assert export.status_code == 200
    assert "Juridisk bistand i personalsaker, 2 saker" in export.content.decode()
    assert leaked(export.content, billing, *orders) == []


def test_raising_the_class_screens_an_issued_line_at_once(billing, actor) -> None:
    """The class applies to existing orders at once: the drill-down of a line issued while
    the service was open shows a count from then on (the issued XML is immutable)."""
    shop = billing
    screened_service(shop)
    Service.objects.filter(code=CODE).update(confidentiality=Confidentiality.OPEN)
    orders = [delivered_screened_order(shop, actor, dt.date(2026, 10, 7))]
    invoice = _issued_october(billing, actor).invoices.get(ministry=billing.kud)
    line = invoice.lines.get(service__code=CODE)
    url = f"/faktura/{invoice.uuid}/linjer/{line.position}/"
    assert orders[0].number in client_for(billing.coordinator).get(url).content.decode()
    Service.objects.filter(code=CODE).update(confidentiality=Confidentiality.RESTRICTED)
    body = client_for(billing.coordinator).get(url).content.decode()
    assert leaked(body, billing, *orders) == [] and "1 sak" in body


def test_a_runs_problem_list_names_a_screened_row_without_its_order(billing, actor) -> None:
    screened_service(billing)
    order = delivered_screened_order(billing, actor, dt.date(2026, 10, 7))
    usage = UsageRecord.objects.select_related("order", "service").get(order=order)
    named = problems._row_name(usage)
    assert named == "skjermet sak, 07.10.2026"
    assert leaked(named, billing, order) == []
