"""EHF 3.0 = Peppol BIS Billing 3.0 documents (UBL 2.1 Invoice and CreditNote).

Pure: plain data in, XML bytes out. Field mapping per `docs/invoicing.md` and costing.md
§3 and §5.3: endpoints and legal ids with scheme 0192 (Norwegian org numbers), BuyerReference
(BT-10) on every document, the invoice period (BG-14) and a period per line (BG-26) inside
it, line accounting reference (BT-133) for the buyer's cost centre, VAT category O (supply
between state entities, outside the scope of VAT) with its exemption reason, and totals that
satisfy BR-CO-10…16 by construction (no allowances, charges or prepayments).

Every text is checked before anything is built: a character XML 1.0 cannot carry (control
characters other than tab and line breaks, U+FFFE/U+FFFF, lone surrogates) raises
`InvalidText` naming the field and line, never an error from the XML library.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from lxml import etree

from felles.core.text import XML_ILLEGAL as _ILLEGAL
from felles.core.text import visible

CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
ORG_SCHEME = "0192"  # Norwegian organisation number (Enhetsregisteret)
INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
VAT_CATEGORY = "O"
VAT_EXEMPTION = "Not subject to VAT: supply between state entities without economic activity"
PAYMENT_CREDIT_TRANSFER = "30"
ORE = Decimal("0.01")


def round_ore(value: Decimal) -> Decimal:
    """The rounding rule of Felles: half up, to the øre, once per invoice line."""
    return value.quantize(ORE, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Party:
    name: str
    org_number: str
    street: str
    city: str
    postcode: str
    country: str = "NO"


@dataclass(frozen=True)
class Line:
    description: str
    quantity: Decimal
    unit_code: str
    unit_price: Decimal
    amount: Decimal
    period_start: dt.date
    period_end: dt.date
    item_id: str = ""  # the service code (BT-155)
    accounting_reference: str = ""  # the buyer's cost centre for this line (BT-133)
    note: str = ""  # e.g. "Videreformidlet kostnad" (BT-127)


@dataclass(frozen=True)
class Document:
    credit_note: bool
    number: str
    issue_date: dt.date
    due_date: dt.date | None
    buyer_reference: str
    period_start: dt.date
    period_end: dt.date
    seller: Party
    buyer: Party
    lines: Sequence[Line]
    bank_account: str = ""
    credited_number: str = ""  # credit notes: the invoice they correct (BT-25)
    credited_issue_date: dt.date | None = None
    note: str = ""
    currency: str = "NOK"

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal(0))


@dataclass(frozen=True)
class TextProblem:
    """A text that cannot go into the XML: which field (EHF element and its bokmål label),
    which line (1-based, None for the document), the value and the first bad character."""

    element: str
    label: str
    line: int | None
    value: str
    position: int  # 0-based index of the first illegal character in value

    @property
    def character(self) -> str:
        return f"U+{ord(self.value[self.position]):04X}"

    @property
    def message(self) -> str:
        where = f"Linje {self.line}: " if self.line is not None else ""
        return (
            f"{where}{self.label} ({self.element}) inneholder "
            f"{character_at(self.value, self.position)} («{visible(self.value)}»), som ikke "
            "kan stå i en EHF-faktura."
        )


class InvalidText(ValueError):
    """Raised by `build` before building when a text cannot go into XML."""

    def __init__(self, problems: Sequence[TextProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__(" ".join(p.message for p in self.problems))


def illegal_position(text: str) -> int | None:
    """The index of the first character XML 1.0 cannot carry, or None when all are fine."""
    match = _ILLEGAL.search(text)
    return match.start() if match else None


def character_at(text: str, position: int) -> str:
    """«tegnet U+000B på plass 3» (position 0-based): the one wording for a bad character."""
    return f"tegnet U+{ord(text[position]):04X} på plass {position + 1}"


def illegal_text_error(text: str) -> str | None:
    """«Tegnet U+000B på plass 3 kan ikke stå i en EHF-faktura.», or None when `text` can."""
    position = illegal_position(text)
    if position is None:
        return None
    return f"T{character_at(text, position)[1:]} kan ikke stå i en EHF-faktura."


def without_illegal(text: str) -> str:
    """A suggested correction: each illegal character becomes a space, spaces collapse."""
    return " ".join(_ILLEGAL.sub(" ", text).split())


def _party_texts(prefix: str, label: str, party: Party) -> Iterator[tuple[str, str, str]]:
    yield f"{prefix}/PartyName/Name", f"{label}: navn", party.name
    yield f"{prefix}/EndpointID", f"{label}: organisasjonsnummer", party.org_number
    yield f"{prefix}/PostalAddress/StreetName", f"{label}: gateadresse", party.street
    yield f"{prefix}/PostalAddress/CityName", f"{label}: poststed", party.city
    yield f"{prefix}/PostalAddress/PostalZone", f"{label}: postnummer", party.postcode
    yield f"{prefix}/PostalAddress/Country", f"{label}: land", party.country


def text_problems(document: Document) -> list[TextProblem]:
    """Every text of `document` that XML cannot carry (empty when it can be built)."""
    header: list[tuple[str, str, str]] = [
        ("ID", "dokumentnummer", document.number),
        ("BuyerReference", "kjøpers referanse", document.buyer_reference),
        ("Note", "merknad", document.note),
        ("DocumentCurrencyCode", "valuta", document.currency),
        ("PayeeFinancialAccount/ID", "kontonummer", document.bank_account),
        ("BillingReference/ID", "kreditert fakturanummer", document.credited_number),
        *_party_texts("AccountingSupplierParty", "selger", document.seller),
        *_party_texts("AccountingCustomerParty", "kjøper", document.buyer),
    ]
    fields: list[tuple[int | None, str, str, str]] = [(None, *h) for h in header]
    for number, line in enumerate(document.lines, start=1):
        fields += [
            (number, "Item/Name", "beskrivelse", line.description),
            (number, "AccountingCost", "kjøpers referanse på linjen", line.accounting_reference),
            (number, "Item/SellersItemIdentification/ID", "tjenestekode", line.item_id),
            (number, "unitCode", "enhetskode", line.unit_code),
            (number, "Note", "merknad", line.note),
        ]
    problems = []
    for line_number, element, label, value in fields:
        position = illegal_position(value)
        if position is not None:
            problems.append(TextProblem(element, label, line_number, value, position))
    return problems


def _money(value: Decimal) -> str:
    return str(round_ore(value))


def _quantity(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _add(
    parent: etree._Element, ns: str, tag: str, text: str | None = None, **attrs: str
) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ns}}}{tag}", attrs)
    if text is not None:
        element.text = text
    return element


def _party(parent: etree._Element, wrapper: str, party: Party) -> None:
    outer = _add(parent, CAC, wrapper)
    node = _add(outer, CAC, "Party")
    _add(node, CBC, "EndpointID", party.org_number, schemeID=ORG_SCHEME)
    ident = _add(node, CAC, "PartyIdentification")
    _add(ident, CBC, "ID", party.org_number, schemeID=ORG_SCHEME)
    name = _add(node, CAC, "PartyName")
    _add(name, CBC, "Name", party.name)
    address = _add(node, CAC, "PostalAddress")
    if party.street:
        _add(address, CBC, "StreetName", party.street)
    if party.city:
        _add(address, CBC, "CityName", party.city)
    if party.postcode:
        _add(address, CBC, "PostalZone", party.postcode)
    country = _add(address, CAC, "Country")
    _add(country, CBC, "IdentificationCode", party.country)
    legal = _add(node, CAC, "PartyLegalEntity")
    _add(legal, CBC, "RegistrationName", party.name)
    _add(legal, CBC, "CompanyID", party.org_number, schemeID=ORG_SCHEME)


def _period(parent: etree._Element, start: dt.date, end: dt.date) -> None:
    period = _add(parent, CAC, "InvoicePeriod")
    _add(period, CBC, "StartDate", start.isoformat())
    _add(period, CBC, "EndDate", end.isoformat())


def _tax_category(parent: etree._Element, tag: str, reason: bool) -> None:
    category = _add(parent, CAC, tag)
    _add(category, CBC, "ID", VAT_CATEGORY)
    if reason:
        _add(category, CBC, "TaxExemptionReason", VAT_EXEMPTION)
    scheme = _add(category, CAC, "TaxScheme")
    _add(scheme, CBC, "ID", "VAT")


def build(document: Document) -> bytes:
    """The UBL 2.1 XML of an invoice (type 380) or credit note (type 381)."""
    if not document.lines:
        raise ValueError("Et dokument må ha minst én linje.")
    problems = text_problems(document)
    if problems:
        raise InvalidText(problems)
    root_ns = CREDIT_NOTE_NS if document.credit_note else INVOICE_NS
    root_tag = "CreditNote" if document.credit_note else "Invoice"
    root = etree.Element(f"{{{root_ns}}}{root_tag}", nsmap={None: root_ns, "cac": CAC, "cbc": CBC})
    cur = document.currency
    _add(root, CBC, "CustomizationID", CUSTOMIZATION_ID)
    _add(root, CBC, "ProfileID", PROFILE_ID)
    _add(root, CBC, "ID", document.number)
    _add(root, CBC, "IssueDate", document.issue_date.isoformat())
    if document.due_date and not document.credit_note:
        _add(root, CBC, "DueDate", document.due_date.isoformat())
    _add(
        root,
        CBC,
        "CreditNoteTypeCode" if document.credit_note else "InvoiceTypeCode",
        "381" if document.credit_note else "380",
    )
    if document.note:
        _add(root, CBC, "Note", document.note)
    _add(root, CBC, "DocumentCurrencyCode", cur)
    if document.buyer_reference:  # mandatory (PEPPOL-EN16931-R003); the rules say so
        _add(root, CBC, "BuyerReference", document.buyer_reference)
    _period(root, document.period_start, document.period_end)
    if document.credit_note and document.credited_number:
        reference = _add(root, CAC, "BillingReference")
        invoice_ref = _add(reference, CAC, "InvoiceDocumentReference")
        _add(invoice_ref, CBC, "ID", document.credited_number)
        if document.credited_issue_date:
            _add(invoice_ref, CBC, "IssueDate", document.credited_issue_date.isoformat())
    _party(root, "AccountingSupplierParty", document.seller)
    _party(root, "AccountingCustomerParty", document.buyer)
    if document.bank_account:
        means = _add(root, CAC, "PaymentMeans")
        _add(means, CBC, "PaymentMeansCode", PAYMENT_CREDIT_TRANSFER)
        _add(means, CBC, "PaymentID", document.number)
        account = _add(means, CAC, "PayeeFinancialAccount")
        _add(account, CBC, "ID", document.bank_account)
    total = round_ore(document.total)
    tax = _add(root, CAC, "TaxTotal")
    _add(tax, CBC, "TaxAmount", "0.00", currencyID=cur)
    subtotal = _add(tax, CAC, "TaxSubtotal")
    _add(subtotal, CBC, "TaxableAmount", _money(total), currencyID=cur)
    _add(subtotal, CBC, "TaxAmount", "0.00", currencyID=cur)
    _tax_category(subtotal, "TaxCategory", reason=True)
    totals = _add(root, CAC, "LegalMonetaryTotal")
    for tag in ("LineExtensionAmount", "TaxExclusiveAmount", "TaxInclusiveAmount", "PayableAmount"):
        _add(totals, CBC, tag, _money(total), currencyID=cur)
    line_tag = "CreditNoteLine" if document.credit_note else "InvoiceLine"
    quantity_tag = "CreditedQuantity" if document.credit_note else "InvoicedQuantity"
    for position, line in enumerate(document.lines, start=1):
        node = _add(root, CAC, line_tag)
        _add(node, CBC, "ID", str(position))
        if line.note:
            _add(node, CBC, "Note", line.note)
        _add(node, CBC, quantity_tag, _quantity(line.quantity), unitCode=line.unit_code)
        _add(node, CBC, "LineExtensionAmount", _money(line.amount), currencyID=cur)
        if line.accounting_reference:
            _add(node, CBC, "AccountingCost", line.accounting_reference)
        _period(node, line.period_start, line.period_end)
        item = _add(node, CAC, "Item")
        _add(item, CBC, "Name", line.description)
        if line.item_id:
            sellers = _add(item, CAC, "SellersItemIdentification")
            _add(sellers, CBC, "ID", line.item_id)
        _tax_category(item, "ClassifiedTaxCategory", reason=False)
        price = _add(node, CAC, "Price")
        _add(price, CBC, "PriceAmount", str(line.unit_price), currencyID=cur)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
