"""Reading eInnsyn's order file (bestilling, order XML version 1 and 2; ../shared/einnsyn/).

Safely: a size limit before parsing, no DTD, no entity expansion, no network, no huge
trees; anything that is not a well-formed `bestilling` with an id, a date, the requester's
address and at least one document is refused with a reason in bokmål (pure; no Django)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from lxml import etree

MAX_BYTES = 1024 * 1024  # an order file is a few kilobytes; a megabyte is generous
MAX_DOCUMENTS = 500
EMAIL = re.compile(r"^[^@\s<>\x00-\x1f]{1,64}@[^@\s<>\x00-\x1f]{1,190}\.[^@\s<>\x00-\x1f.]{2,}$")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class OrderFileError(ValueError):
    """The file is refused; the message says why (bokmål)."""


@dataclass(frozen=True)
class Document:
    case_number: str
    document_number: str
    journal_number: str
    case_officer: str


@dataclass(frozen=True)
class Order:
    id: str
    ordered_at: dt.datetime | None
    received_on: dt.date
    agency: str
    agency_email: str
    requester_email: str
    requester_name: str
    documents: tuple[Document, ...]


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def _text(element: etree._Element | None, name: str, limit: int = 200) -> str:
    found = element.find(name) if element is not None else None
    value = (found.text or "").strip() if found is not None else ""
    if CONTROL.search(value):
        raise OrderFileError(f"Feltet «{name}» inneholder kontrolltegn.")
    if len(value) > limit:
        raise OrderFileError(f"Feltet «{name}» er for langt (høyst {limit} tegn).")
    return value


def parse(content: bytes, *, today: dt.date) -> Order:
    if len(content) > MAX_BYTES:
        raise OrderFileError("Bestillingsfilen er for stor (høyst 1 MB).")
    if not content.strip():
        raise OrderFileError("Filen er tom.")
    if b"<!DOCTYPE" in content[:2048].upper() or b"<!ENTITY" in content.upper():
        raise OrderFileError("Bestillingsfilen kan ikke ha DOCTYPE eller entiteter.")
    try:
        root = etree.fromstring(content, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise OrderFileError(f"Filen er ikke gyldig XML ({exc.msg}).") from exc
    if root.tag != "bestilling":
        raise OrderFileError("Filen er ikke en bestillingsfil fra eInnsyn (mangler «bestilling»).")
    order_id = _text(root, "id", 100)
    if not order_id:
        raise OrderFileError("Bestillingen mangler id.")
    contact = root.find("kontaktinfo")
    email = _text(contact, "e-post", 254)
    if not email:
        raise OrderFileError("Bestillingen mangler innsynskreverens e-postadresse.")
    if not EMAIL.match(email):
        raise OrderFileError(f"Innsynskreverens adresse «{email}» er ikke en e-postadresse.")
    ordered_at = None
    raw_date = _text(root, "bestillingsdato", 40)
    if raw_date:
        try:
            ordered_at = dt.datetime.fromisoformat(raw_date)
        except ValueError as exc:
            raise OrderFileError(f"Bestillingsdatoen «{raw_date}» er ugyldig.") from exc
    received = ordered_at.date() if ordered_at else today
    if received > today or received.year < 2000:
        received = today
    til = root.find("til")
    documents = []
    for wrapper in root.findall("dokumenter"):
        for doc in wrapper.findall("dokument"):
            documents.append(
                Document(
                    case_number=_text(doc, "saksnr", 40),
                    document_number=_text(doc, "dokumentnr", 20),
                    journal_number=_text(doc, "journalnr", 40),
                    case_officer=_text(doc, "saksbehandler", 200),
                )
            )
    if not documents:
        raise OrderFileError("Bestillingen nevner ingen dokumenter.")
    if len(documents) > MAX_DOCUMENTS:
        raise OrderFileError(f"Bestillingen nevner for mange dokumenter (høyst {MAX_DOCUMENTS}).")
    return Order(
        id=order_id,
        ordered_at=ordered_at,
        received_on=received,
        agency=_text(til, "enhet", 200),
        agency_email=_text(til, "enhetepost", 254).lower(),
        requester_email=email,
        requester_name=_text(contact, "navn", 200),
        documents=tuple(documents),
    )
