"""EHF / Peppol BIS Billing 3.0 validation: the official examples, the demo invoice of
costing.md §3.7 and its negative variants (expected results: §3.5), the Schematron compiler's
semantics on tiny hand-written schemas, and hostile input. No database needed."""

from __future__ import annotations

import threading
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from felles.invoicing.validation import (
    RULE_DIR,
    RULE_FILES,
    SchematronError,
    ValidationResult,
    compile_schematron,
    compile_xslt,
    validate,
    validate_with,
)

EXAMPLES = Path(__file__).parent / "peppol"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
NS = {"cbc": CBC, "cac": CAC}
NO_R_002 = ("PEPPOL", "NO-R-002", "warning")


def summary(result: ValidationResult) -> list[tuple[str, str, str]]:
    return [(f.rule_set, f.rule_id, f.flag) for f in result.findings]


def fatal_ids(result: ValidationResult, rule_set: str) -> set[str]:
    return {f.rule_id for f in result.fatal if f.rule_set == rule_set}


def demo() -> Any:
    return etree.fromstring((EXAMPLES / "demo-invoice.xml").read_bytes())


def one(tree: Any, xpath: str) -> Any:
    (element,) = tree.xpath(xpath, namespaces=NS)
    return element


def as_credit_note(invoice: Any) -> Any:
    """The demo invoice as a credit note: CreditNote-2 root, type code 381, CreditNoteLine with
    CreditedQuantity, a reference to the credited invoice, due date in PaymentMeans."""
    note = etree.Element(f"{{{CREDIT_NOTE}}}CreditNote", nsmap={None: CREDIT_NOTE, **NS})
    for child in list(invoice):
        note.append(child)
    one(note, "cbc:InvoiceTypeCode").tag = f"{{{CBC}}}CreditNoteTypeCode"
    one(note, "cbc:CreditNoteTypeCode").text = "381"
    one(note, "cbc:ID").text = "DSS-2025-K-000007"
    due = one(note, "cbc:DueDate")  # UBL 2.1 CreditNote has no DueDate: use PaymentMeans
    note.remove(due)
    due.tag = f"{{{CBC}}}PaymentDueDate"
    one(note, "cac:PaymentMeans/cbc:PaymentMeansCode").addnext(due)
    billing = etree.Element(f"{{{CAC}}}BillingReference")
    reference = etree.SubElement(billing, f"{{{CAC}}}InvoiceDocumentReference")
    etree.SubElement(reference, f"{{{CBC}}}ID").text = "DSS-2025-000123"
    one(note, "cac:InvoicePeriod").addnext(billing)
    for line in note.xpath("cac:InvoiceLine", namespaces=NS):
        line.tag = f"{{{CAC}}}CreditNoteLine"
        one(line, "cbc:InvoicedQuantity").tag = f"{{{CBC}}}CreditedQuantity"
    return note


# --- official examples and the demo ---------------------------------------------------------


def test_base_example_has_no_findings() -> None:
    result = validate((EXAMPLES / "base-example.xml").read_bytes())
    assert summary(result) == []
    assert result.ok


def test_norwegian_example_only_warns_ubl_cr_679() -> None:
    result = validate((EXAMPLES / "Norwegian-example-1.xml").read_bytes())
    assert summary(result) == [("CEN", "UBL-CR-679", "warning")]
    assert result.ok and result.warnings == result.findings
    assert "ClassifiedTaxCategory/ID schemeID" in result.findings[0].text


def test_demo_invoice_only_warns_no_r_002() -> None:
    result = validate((EXAMPLES / "demo-invoice.xml").read_bytes())
    assert summary(result) == [NO_R_002]
    (warning,) = result.warnings
    assert warning.location == (
        f"/Q{{{INVOICE}}}Invoice[1]/Q{{{CAC}}}AccountingSupplierParty[1]/Q{{{CAC}}}Party[1]"
    )
    assert "«Foretaksregisteret»" in warning.text  # non-ASCII survives the round trip
    assert "\n" not in warning.text and "  " not in warning.text
    assert result.ok


def test_demo_invoice_totals_match_costing_doc() -> None:
    tree = demo()
    assert one(tree, "cac:LegalMonetaryTotal/cbc:PayableAmount").text == "42602.00"
    lines = tree.xpath("cac:InvoiceLine/cbc:LineExtensionAmount/text()", namespaces=NS)
    assert [Decimal(x) for x in lines] == [Decimal("30102.00"), Decimal("12500.00")]
    assert Decimal("37.50") * Decimal("802.72") == Decimal("30102.00")


def test_credit_note_variant_passes() -> None:
    note = as_credit_note(demo())
    assert note.tag == f"{{{CREDIT_NOTE}}}CreditNote"
    assert note.xpath("count(cac:CreditNoteLine/cbc:CreditedQuantity)", namespaces=NS) == 2
    assert not note.xpath(".//cac:InvoiceLine | .//cbc:InvoicedQuantity", namespaces=NS)
    result = validate(etree.tostring(note))
    assert summary(result) == [NO_R_002]


# --- negative variants of the demo (costing.md §3.5) ------------------------------------------


def test_wrong_org_number_check_digit_fails_peppol_common_r041() -> None:
    tree = demo()
    one(tree, "cac:AccountingCustomerParty/cac:Party/cbc:EndpointID").text = "987654321"
    result = validate(etree.tostring(tree))
    assert summary(result) == [("PEPPOL", "PEPPOL-COMMON-R041", "fatal"), NO_R_002]
    assert result.fatal[0].location.endswith(f"/Q{{{CBC}}}EndpointID[1]")
    assert not result.ok


def test_missing_buyer_reference_fails_peppol_en16931_r003() -> None:
    tree = demo()
    tree.remove(one(tree, "cbc:BuyerReference"))
    result = validate(etree.tostring(tree))
    assert summary(result) == [("PEPPOL", "PEPPOL-EN16931-R003", "fatal"), NO_R_002]


def test_changed_payable_amount_fails_br_co_16() -> None:
    tree = demo()
    one(tree, "cac:LegalMonetaryTotal/cbc:PayableAmount").text = "42600.00"
    result = validate(etree.tostring(tree))
    assert summary(result) == [("CEN", "BR-CO-16", "fatal"), NO_R_002]


def test_category_s_without_rate_fails_the_br_s_rules() -> None:
    tree = demo()
    for category in tree.xpath(
        ".//cac:ClassifiedTaxCategory/cbc:ID | .//cac:TaxCategory/cbc:ID", namespaces=NS
    ):
        category.text = "S"
    result = validate(etree.tostring(tree))
    assert fatal_ids(result, "CEN") == {"BR-S-02", "BR-48", "BR-S-05", "BR-S-09", "BR-S-10"}
    assert [f.rule_id for f in result.fatal].count("BR-S-05") == 2  # once per line
    # The demo also carries exemption code VATEX-EU-O, which Peppol ties to category O.
    assert fatal_ids(result, "PEPPOL") == {"PEPPOL-EN16931-P0105"}


def test_one_line_in_category_s_without_rate() -> None:
    tree = demo()
    one(tree, "cac:InvoiceLine[1]/cac:Item/cac:ClassifiedTaxCategory/cbc:ID").text = "S"
    result = validate(etree.tostring(tree))
    # An S line without rate and without a seller VAT id, on an O invoice whose O breakdown
    # no longer matches the O lines.
    assert fatal_ids(result, "CEN") == {"BR-S-01", "BR-S-02", "BR-S-05", "BR-O-08", "BR-O-12"}
    assert fatal_ids(result, "PEPPOL") == set()


def test_dynamic_error_in_a_rule_is_one_xslt_finding() -> None:
    tree = demo()
    one(tree, "cac:LegalMonetaryTotal/cbc:PayableAmount").text = "abc"
    result = validate(etree.tostring(tree))
    (finding,) = result.findings
    assert (finding.rule_id, finding.flag, finding.rule_set) == ("XSLT", "fatal", "CEN")
    assert '"abc"' in finding.text and "xs:decimal" in finding.text
    assert not result.ok


# --- hostile and broken input ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("xml", "start"),
    [
        (b"", "Dokumentet er ikke gyldig XML"),
        (b"<Invoice><cbc:ID></Invoice>", "Dokumentet er ikke gyldig XML"),
        (b"not xml at all", "Dokumentet er ikke gyldig XML"),
        (b"<Invoice/>", "Dokumentet er ikke en UBL 2.1-faktura"),
        (f'<Order xmlns="{INVOICE}"/>'.encode(), "Dokumentet er ikke en UBL 2.1-faktura"),
    ],
)
def test_broken_input_is_one_xml_finding(xml: bytes, start: str) -> None:
    result = validate(xml)
    (finding,) = result.findings
    assert (finding.rule_id, finding.flag) == ("XML", "fatal")
    assert finding.text.startswith(start)


def test_xxe_is_rejected_without_reading_the_file() -> None:
    secret = Path("/etc/passwd").read_text().splitlines()[0]
    body = etree.tostring(demo(), encoding="unicode").replace("KOSTNADSSTED-4711", "&e;")
    xml = f'<!DOCTYPE Invoice [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n{body}'.encode()
    result = validate(xml)
    (finding,) = result.findings
    assert (finding.rule_id, finding.flag) == ("XML", "fatal")
    assert secret not in repr(result) and "root:" not in repr(result)


def test_validate_from_several_threads() -> None:
    xml = (EXAMPLES / "demo-invoice.xml").read_bytes()
    results: list[list[tuple[str, str, str]]] = []

    def work() -> None:
        for _ in range(3):
            results.append(summary(validate(xml)))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [[NO_R_002]] * 12


# --- the compiler on tiny schemas -----------------------------------------------------------

SCH = "http://purl.oclc.org/dsdl/schematron"
XS = '<ns prefix="xs" uri="http://www.w3.org/2001/XMLSchema"/>'
DOC = (
    f'<Invoice xmlns="{INVOICE}" limit="10" mode="strict">'
    '<item special="1" value="5"/><item value="50"/></Invoice>'
)


def schema(body: str, binding: str = "xslt2") -> bytes:
    ns = f'<ns prefix="i" uri="{INVOICE}"/>'
    return f'<schema xmlns="{SCH}" queryBinding="{binding}">{ns}{body}</schema>'.encode()


def check(rule_id: str, test: str = "false()", flag: str = "fatal", text: str = "m") -> str:
    flag_attr = f' flag="{flag}"' if flag else ""
    return f'<assert id="{rule_id}"{flag_attr} test="{test}">{text}</assert>'


def rule(context: str, *body: str, flag: str = "") -> str:
    flag_attr = f' flag="{flag}"' if flag else ""
    return f'<rule context="{context}"{flag_attr}>{"".join(body)}</rule>'


def pattern(*body: str) -> str:
    return f"<pattern>{''.join(body)}</pattern>"


def run(sch: bytes, xml: str) -> ValidationResult:
    """Compile a tiny schema and run it on a document."""
    return validate_with(compile_xslt(compile_schematron(sch)), xml.encode())


def hits(result: ValidationResult) -> list[tuple[str, str]]:
    """(rule id, location without the namespace) per finding, in output order."""
    return [(f.rule_id, f.location.replace(f"Q{{{INVOICE}}}", "")) for f in result.findings]


def test_first_matching_rule_wins_but_every_pattern_sees_every_node() -> None:
    sch = schema(
        pattern(rule("i:item[@special]", check("A1")), rule("i:item", check("A2")))
        + pattern(rule("i:item", check("B1")), rule("@special", check("B2", ". = '2'")))
        + pattern(rule("/", check("C1")), rule("i:Invoice", check("C2")))
        + pattern(rule("i:Invoice", check("D1")))
    )
    assert hits(run(sch, DOC)) == [
        ("A1", "/Invoice[1]/item[1]"),  # not also A2: the first matching rule wins
        ("A2", "/Invoice[1]/item[2]"),
        ("B1", "/Invoice[1]/item[1]"),  # ... but the next pattern sees the node again
        ("B2", "/Invoice[1]/item[1]/@special"),
        ("B1", "/Invoice[1]/item[2]"),
        ("C1", "/"),
        ("C2", "/Invoice[1]"),
        ("D1", "/Invoice[1]"),  # once: the root element is not visited twice
    ]


def test_schema_pattern_and_rule_level_lets() -> None:
    sch = schema(
        '<let name="limit" value="number(/*/@limit)"/>'
        + pattern(
            # Pattern-level let: evaluated at the document root (so a relative path works)
            # and usable in a rule context.
            '<let name="mode" value="string(i:Invoice/@mode)"/>',
            rule(
                "i:item[$mode = 'strict']",
                '<let name="value" value="number(@value)"/>',
                '<let name="twice" value="$value * 2"/>',
                check("MAX", "$twice le $limit"),
            ),
        )
    )
    assert hits(run(sch, DOC)) == [("MAX", "/Invoice[1]/item[2]")]
    assert hits(run(sch, DOC.replace("strict", "lenient"))) == []
    assert hits(run(sch, DOC.replace('limit="10"', 'limit="100"'))) == []


def test_xsl_function_in_a_test() -> None:
    sch = schema(
        XS
        + '<ns prefix="f" uri="urn:test:f"/>'
        + '<function xmlns="http://www.w3.org/1999/XSL/Transform" xmlns:f="urn:test:f"'
        + ' name="f:even" as="xs:boolean">'
        + '<param name="n" as="xs:integer"/><sequence select="$n mod 2 = 0"/></function>'
        + pattern(rule("i:item/@value", check("EVEN", "f:even(xs:integer(.)) and f:even(4)")))
    )
    assert hits(run(sch, DOC.replace('value="50"', 'value="51"'))) == [
        ("EVEN", "/Invoice[1]/item[1]/@value"),
        ("EVEN", "/Invoice[1]/item[2]/@value"),
    ]
    assert hits(run(sch, DOC.replace('value="5"', 'value="6"'))) == []


def test_flags_messages_and_dynamic_errors() -> None:
    message = "  Beløpet må\n være «positivt» {x}  "
    sch = schema(
        XS
        + pattern(
            rule(
                "i:item",
                check("R-{1}", flag="", text=message),  # the rule's flag applies
                check("R-2", "xs:decimal(@value) gt 0"),
                flag="warning",
            )
        )
    )
    result = run(sch, DOC)
    assert [(f.rule_id, f.flag, f.text) for f in result.findings] == [
        ("R-{1}", "warning", "Beløpet må være «positivt» {x}"),
        ("R-{1}", "warning", "Beløpet må være «positivt» {x}"),
    ]
    assert result.ok and result.fatal == ()
    broken = run(sch, DOC.replace('value="50"', 'value="fifty"'))
    assert [(f.rule_id, f.flag, f.rule_set) for f in broken.findings] == [("XSLT", "fatal", "TEST")]
    assert "fifty" in broken.findings[0].text


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (pattern(rule("x", '<report test="true()">r</report>')), "<report>"),
        (pattern(rule("x", check("A", text='<value-of select="."/>'))), "<value-of>"),
        (pattern(rule("x", check("A", text="a <name/>"))), "<name>"),
        ('<include href="other.sch"/>', "<include>"),
        (pattern(rule("x", '<extends rule="r"/>')), "<extends>"),
        (pattern(f'<rule abstract="true" id="r">{check("A")}</rule>'), "abstract"),
        ('<pattern abstract="true" id="p"/>', "abstract"),
        (pattern("<p>documentation</p>", rule("x", check("A"))), "<p>"),
        (pattern(rule("x", check("A", flag="info"))), "flag must be fatal or warning"),
        (pattern(rule("x", check("A", flag=""))), "flag must be fatal or warning"),
        (pattern(rule("x", '<assert flag="fatal" test="1">a</assert>')), r"missing .*'id'"),
        (pattern('<rule><assert id="A" flag="fatal" test="1">a</assert></rule>'), "context"),
        (pattern(rule("x", check("A")).replace("<assert", '<assert role="x"')), "role"),
        ("<diagnostics/>", "<diagnostics>"),
        ('<key xmlns="http://www.w3.org/1999/XSL/Transform" name="k" match="x" use="."/>', "<key>"),
        ('<let name="a" value="1"/>' + pattern('<let name="a" value="2"/>'), "declared twice"),
        ('<let name="a"><x/></let>', r"missing .*'value'"),
        ('<ns prefix="i" uri="urn:other"/>', "bound to two namespaces"),
    ],
)
def test_unsupported_constructs_raise(body: str, message: str) -> None:
    with pytest.raises(SchematronError, match=message):
        compile_schematron(schema(body))


def test_other_query_binding_or_root_raises() -> None:
    with pytest.raises(SchematronError, match="xslt1"):
        compile_schematron(schema("", binding="xslt1"))
    with pytest.raises(SchematronError, match="not a Schematron"):
        compile_schematron(b"<schema/>")
    with pytest.raises(SchematronError, match="not well-formed"):
        compile_schematron(b"<schema")


def test_invalid_xpath_fails_at_compile_time() -> None:
    xslt = compile_schematron(schema(pattern(rule("x", check("A", "1 +* 2")))))
    with pytest.raises(SchematronError, match="XPST0003"):
        compile_xslt(xslt)


def test_the_official_rule_files_compile() -> None:
    """Every rule in both files is inside the supported subset (compiled eagerly, once)."""
    for name, file in RULE_FILES.items():
        sch = (RULE_DIR / file).read_bytes()
        xslt = compile_schematron(sch)
        asserts = etree.fromstring(sch).xpath("count(//*[local-name() = 'assert'])")
        assert xslt.count("<failed-assert ") == asserts > 100, name
