"""Validation of EHF / Peppol BIS Billing 3.0 invoices and credit notes (UBL 2.1).

The official rules are two ISO Schematron files vendored in `peppol/` (release 3.0.19):
`CEN-EN16931-UBL.sch` (EN 16931 core rules) and `PEPPOL-EN16931-UBL.sch` (Peppol and national
rules such as PEPPOL-COMMON-R041 and NO-R-002). Both use `queryBinding="xslt2"`, and the Peppol
file declares `xsl:function`s (u:mod11, …) and `let`s used inside rule contexts.

Why a compiler of our own: Schematron is executed by compiling it to XSLT. The usual compilers
(SchXslt, the ISO skeleton for XSLT 2) are not installable from PyPI, lxml's `isoschematron`
only speaks XSLT 1.0, and pyschematron cannot run `xsl:function`. This module therefore holds a
small compiler for exactly the subset the two files use and runs the result with SaxonC-HE
(`saxonche`, XSLT 3.0). Anything outside the subset raises `SchematronError`, so a future rule
release that needs more fails loudly instead of silently skipping rules.

Mapping (one XSLT 3.0 stylesheet per .sch file):
- `ns` → a namespace declaration on `xsl:stylesheet`; `title`, `phase`/`active` are ignored
  (all patterns run, as with phase `#ALL`).
- `let` at schema or pattern level → a global `xsl:variable` evaluated with the document node
  as context (ISO: only rule-level lets are evaluated in rule context). They must be global,
  because the Peppol file uses pattern-level lets inside rule contexts (match patterns), where
  XSLT only sees global variables. Duplicate names are rejected rather than renamed.
- `xsl:function` at schema level → copied verbatim.
- `pattern` number i → mode `p{i}`; the root template applies every mode to
  `/ | //node() | //@*`, so each pattern sees every node (once), and a catch-all template of
  default priority makes unmatched nodes produce nothing.
- `rule` → a template in its pattern's mode with priority (number of rules − position), so
  within a pattern only the first matching rule fires for a node. `rule/@flag` is the default
  for asserts without one. Rule-level `let`s become local variables in rule context.
- `assert` → `xsl:choose`: when `test` is false, emit `<failed-assert id flag location>` with
  the (whitespace-normalised) message and `path()` of the context node.

Input XML is parsed with lxml first (no entity resolution, no network, DOCTYPE rejected) and
re-serialised for Saxon, so an uploaded file cannot make the validator read local files.
One `PySaxonProcessor` exists per process; every Saxon call runs under one lock, because the
compiled `PyXsltExecutable`s are not thread-safe. Each rule file is compiled lazily, once.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree
from saxonche import PySaxonApiError, PySaxonProcessor

SCH_NS = "http://purl.oclc.org/dsdl/schematron"
XSL_NS = "http://www.w3.org/1999/XSL/Transform"
INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
_S = f"{{{SCH_NS}}}"
_X = f"{{{XSL_NS}}}"
_ROOT_TAGS = frozenset({f"{{{INVOICE_NS}}}Invoice", f"{{{CREDIT_NOTE_NS}}}CreditNote"})
_FLAGS = frozenset({"fatal", "warning"})

RULE_DIR = Path(__file__).resolve().parent / "peppol"
RULE_FILES = {"CEN": "CEN-EN16931-UBL.sch", "PEPPOL": "PEPPOL-EN16931-UBL.sch"}


@dataclass(frozen=True)
class Finding:
    """One failed assert, or a failure to check the document at all: rule_id "XML" (not
    well-formed, DOCTYPE, not an Invoice/CreditNote; rule_set "XML") or "XSLT" (dynamic error
    while running the rule set named in rule_set)."""

    rule_id: str
    flag: str
    text: str
    location: str
    rule_set: str


@dataclass(frozen=True)
class ValidationResult:
    findings: tuple[Finding, ...]

    @property
    def fatal(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.flag == "fatal")

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.flag == "warning")

    @property
    def ok(self) -> bool:
        return not self.fatal


class SchematronError(ValueError):
    """The Schematron uses a construct outside the supported subset, or is malformed."""


# --- compiler ----------------------------------------------------------------------------


def _where(el: Any) -> str:
    return f"<{etree.QName(el).localname}> (line {el.sourceline})"


def _elements(el: Any) -> list[Any]:
    """Element children; comments and processing instructions carry no rules."""
    return [c for c in el if isinstance(c.tag, str)]


def _attrs(
    el: Any, required: AbstractSet[str], optional: AbstractSet[str] = frozenset()
) -> dict[str, str]:
    attrs = {str(k): str(v) for k, v in el.attrib.items()}
    unknown = set(attrs) - required - optional
    if unknown:
        raise SchematronError(f"{_where(el)}: unsupported attribute(s) {sorted(unknown)}")
    missing = required - set(attrs)
    if missing:
        raise SchematronError(f"{_where(el)}: missing attribute(s) {sorted(missing)}")
    return attrs


def _unsupported(el: Any) -> SchematronError:
    return SchematronError(f"{_where(el)} is not supported by this Schematron compiler")


def _avt(text: str) -> str:
    """Escape a literal for use in an attribute value template."""
    return text.replace("{", "{{").replace("}", "}}")


def compile_schematron(sch: bytes) -> str:
    """Compile an ISO Schematron document (the subset described above) to XSLT 3.0 text."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True
    )
    try:
        schema = etree.fromstring(sch, parser)
    except etree.XMLSyntaxError as exc:
        raise SchematronError(f"not well-formed: {exc}") from exc
    if schema.tag != _S + "schema":
        raise SchematronError(f"root element is {schema.tag}, not a Schematron <schema>")
    binding = _attrs(schema, {"queryBinding"}, {"schemaVersion", "defaultPhase", "id"})
    if binding["queryBinding"] not in ("xslt2", "xslt3"):
        raise SchematronError(f"queryBinding {binding['queryBinding']!r} is not xslt2/xslt3")

    namespaces: dict[str, str] = {"xsl": XSL_NS}
    variables: dict[str, str] = {}  # global lets (schema and pattern level), in order
    functions: list[Any] = []
    patterns: list[Any] = []

    def add_ns(prefix: str, uri: str, el: Any) -> None:
        if namespaces.setdefault(prefix, uri) != uri:
            raise SchematronError(f"{_where(el)}: prefix {prefix!r} bound to two namespaces")

    def add_global(let: Any) -> None:
        a = _attrs(let, {"name", "value"})
        if _elements(let) or (let.text or "").strip():
            raise SchematronError(f"{_where(let)}: only let/@value is supported")
        if a["name"] in variables:
            raise SchematronError(f"{_where(let)}: variable ${a['name']} declared twice")
        variables[a["name"]] = a["value"]

    for child in _elements(schema):
        tag = child.tag
        if tag == _S + "title":
            continue
        if tag == _S + "ns":
            a = _attrs(child, {"prefix", "uri"})
            add_ns(a["prefix"], a["uri"], child)
        elif tag == _S + "phase":
            _attrs(child, {"id"})
            for active in _elements(child):
                if active.tag != _S + "active":
                    raise _unsupported(active)
        elif tag == _S + "let":
            add_global(child)
        elif tag == _X + "function":
            functions.append(child)
        elif tag == _S + "pattern":
            _attrs(child, set(), {"id"})
            for item in _elements(child):
                if item.tag == _S + "let":
                    add_global(item)
                elif item.tag != _S + "rule":
                    raise _unsupported(item)
            patterns.append(child)
        else:
            raise _unsupported(child)
    for function in functions:  # prefixes used inside function bodies (e.g. xs:, u:)
        for prefix, uri in function.nsmap.items():
            if prefix is not None:
                add_ns(prefix, uri, function)

    stylesheet = etree.Element(_X + "stylesheet", nsmap=namespaces)
    stylesheet.set("version", "3.0")
    stylesheet.set("exclude-result-prefixes", "#all")
    etree.SubElement(stylesheet, _X + "output", method="xml", encoding="UTF-8", indent="no")
    for name, value in variables.items():
        etree.SubElement(stylesheet, _X + "variable", name=name, select=value)
    for function in functions:
        stylesheet.append(copy.deepcopy(function))
    main = etree.SubElement(stylesheet, _X + "template", match="/")
    report = etree.SubElement(main, "report")
    for number, pattern in enumerate(patterns):
        mode = f"p{number}"
        # Nodes no rule matches produce nothing. (Not xsl:mode on-no-match="deep-skip": for the
        # document node that still applies templates to the children, so the root element
        # would be visited twice.)
        etree.SubElement(stylesheet, _X + "template", match="/ | node() | @*", mode=mode)
        etree.SubElement(report, _X + "apply-templates", select="/ | //node() | //@*", mode=mode)
        rules = [r for r in _elements(pattern) if r.tag == _S + "rule"]
        for position, rule in enumerate(rules):
            _compile_rule(rule, mode, len(rules) - position, stylesheet)
    return str(etree.tostring(stylesheet, encoding="unicode"))


def _compile_rule(rule: Any, mode: str, priority: int, stylesheet: Any) -> None:
    rule_attrs = _attrs(rule, {"context"}, {"flag", "id"})
    template = etree.SubElement(
        stylesheet, _X + "template", match=rule_attrs["context"], mode=mode, priority=str(priority)
    )
    for item in _elements(rule):
        if item.tag == _S + "let":
            let = _attrs(item, {"name", "value"})
            if _elements(item) or (item.text or "").strip():
                raise SchematronError(f"{_where(item)}: only let/@value is supported")
            etree.SubElement(template, _X + "variable", name=let["name"], select=let["value"])
        elif item.tag == _S + "assert":
            attrs = _attrs(item, {"id", "test"}, {"flag"})
            flag = attrs.get("flag", rule_attrs.get("flag", ""))
            if flag not in _FLAGS:
                raise SchematronError(f"{_where(item)}: flag must be fatal or warning")
            if _elements(item):  # value-of, name, emph, … in the message
                raise _unsupported(_elements(item)[0])
            choose = etree.SubElement(template, _X + "choose")
            etree.SubElement(choose, _X + "when", test=attrs["test"])
            otherwise = etree.SubElement(choose, _X + "otherwise")
            failed = etree.SubElement(
                otherwise, "failed-assert", id=_avt(attrs["id"]), flag=_avt(flag)
            )
            location = etree.SubElement(failed, _X + "attribute", name="location", select="path()")
            location.tail = " ".join((item.text or "").split())
        else:
            raise _unsupported(item)


# --- running ------------------------------------------------------------------------------


class _Saxon:
    """The process-wide SaxonC processor and the compiled rule sets, guarded by one lock."""

    lock = threading.RLock()
    processor: Any = None
    rule_sets: dict[str, Any] = {}

    @classmethod
    def get_processor(cls) -> Any:
        with cls.lock:
            if cls.processor is None:
                cls.processor = PySaxonProcessor(license=False)
            return cls.processor

    @classmethod
    def compile_xslt(cls, xslt: str) -> Any:
        with cls.lock:
            try:
                return (
                    cls.get_processor()
                    .new_xslt30_processor()
                    .compile_stylesheet(stylesheet_text=xslt)
                )
            except PySaxonApiError as exc:
                raise SchematronError(f"Saxon rejected the compiled stylesheet: {exc}") from exc

    @classmethod
    def rule_set(cls, name: str) -> Any:
        with cls.lock:
            if name not in cls.rule_sets:
                sch = (RULE_DIR / RULE_FILES[name]).read_bytes()
                cls.rule_sets[name] = cls.compile_xslt(compile_schematron(sch))
            return cls.rule_sets[name]


def _xml_finding(text: str) -> ValidationResult:
    return ValidationResult((Finding("XML", "fatal", text, "/", "XML"),))


def _safe_xml(xml: bytes) -> str | ValidationResult:
    """The document re-serialised for Saxon, or a fatal "XML" result explaining why not."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(xml, parser)
    except (etree.XMLSyntaxError, ValueError, TypeError) as exc:
        return _xml_finding(f"Dokumentet er ikke gyldig XML: {exc}")
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        return _xml_finding("Dokumentet er ikke gyldig: DOCTYPE/DTD er ikke tillatt i EHF.")
    if root.tag not in _ROOT_TAGS:
        return _xml_finding(
            f"Dokumentet er ikke en UBL 2.1-faktura eller -kreditnota (rotelement {root.tag})."
        )
    return str(etree.tostring(root, encoding="unicode"))


def _run(executable: Any, node: Any, rule_set: str) -> tuple[Finding, ...]:
    """Run one compiled rule set on a parsed document (call with the lock held); raises
    PySaxonApiError on a dynamic error."""
    executable.set_global_context_item(xdm_item=node)  # context of the global lets
    output = executable.transform_to_string(xdm_node=node)
    report = etree.fromstring(str(output).encode("utf-8"))
    return tuple(
        Finding(
            rule_id=str(f.get("id")),
            flag=str(f.get("flag")),
            text=" ".join((f.text or "").split()),
            location=str(f.get("location")),
            rule_set=rule_set,
        )
        for f in report
    )


def _validate(xml: bytes, rule_sets: list[tuple[str, Any]]) -> ValidationResult:
    prepared = _safe_xml(xml)
    if isinstance(prepared, ValidationResult):
        return prepared
    findings: list[Finding] = []
    with _Saxon.lock:
        name = "XML"
        try:
            node = _Saxon.get_processor().parse_xml(xml_text=prepared, encoding="UTF-8")
            for name, executable in rule_sets:
                findings.extend(_run(executable, node, name))
        except PySaxonApiError as exc:
            message = " ".join(str(exc).split()) or "ukjent feil"
            text = f"Valideringsreglene kunne ikke kjøres på dokumentet: {message}"
            return ValidationResult((Finding("XSLT", "fatal", text, "/", name),))
    return ValidationResult(tuple(findings))


def validate(xml: bytes) -> ValidationResult:
    """Validate a UBL Invoice-2 or CreditNote-2 against the CEN and the PEPPOL rules."""
    return _validate(xml, [(name, _Saxon.rule_set(name)) for name in RULE_FILES])


def compile_xslt(xslt: str) -> Any:
    """A Saxon executable for a stylesheet from `compile_schematron` (e.g. in tests)."""
    return _Saxon.compile_xslt(xslt)


def validate_with(executable: Any, xml: bytes, rule_set: str = "TEST") -> ValidationResult:
    """Like `validate`, but with one executable from `compile_xslt`."""
    return _validate(xml, [(rule_set, executable)])
