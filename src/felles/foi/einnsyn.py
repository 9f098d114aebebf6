"""Reading eInnsyn's order file (bestilling, order XML version 1 and 2; ../shared/einnsyn/).

Safely: a size limit before parsing, no DTD, no entity expansion, no network, no huge
trees; anything that is not a well-formed `bestilling` with an id, the requester's address
and at least one document is refused with a reason (pure; no Django).

The reasons are bokmål msgids marked with `gettext_noop` (extracted into the foi
catalogue) and their parameters; the caller translates them (`OrderFileError.text()`).
lxml's own English text is kept only as a technical detail after the reason.

The order's time (`bestillingsdato`, ISO 8601) is converted to Norwegian time
(Europe/Oslo) before its date is taken: 23:30Z on 31 March is 01:30 on 1 April in Oslo,
and the law's deadlines count from 1 April. A time without an offset is Norwegian time.
A time more than CLOCK_TOLERANCE in the future, or before EARLIEST (eInnsyn did not exist),
refuses the file: the date decides the law's deadlines and must not be guessed. A file
without a date is received on the day it is imported."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from lxml import etree

MAX_BYTES = 1024 * 1024  # an order file is a few kilobytes; a megabyte is generous
MAX_DOCUMENTS = 500
EMAIL = re.compile(r"^[^@\s<>\x00-\x1f]{1,64}@[^@\s<>\x00-\x1f]{1,190}\.[^@\s<>\x00-\x1f.]{2,}$")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
OSLO = ZoneInfo("Europe/Oslo")
CLOCK_TOLERANCE = dt.timedelta(minutes=15)  # eInnsyn's clock and ours may differ a little
EARLIEST = dt.date(2015, 1, 1)  # eInnsyn opened in 2015; an earlier date is a broken file


def gettext_noop(message: str) -> str:
    """Marks a msgid for the catalogue (makemessages extracts it); translated later."""
    return message


class OrderFileError(ValueError):
    """The file is refused: `message` is a bokmål msgid with %(name)s parameters, `detail`
    an optional technical detail (the XML parser's own text)."""

    def __init__(self, message: str, params: dict[str, Any] | None = None, detail: str = ""):
        super().__init__(message)
        self.message, self.params, self.detail = message, params or {}, detail

    def text(self, translate: Callable[[str], str] = lambda m: m) -> str:
        """The reason, translated with `translate` (gettext), and the technical detail
        on its own line."""
        reason = translate(self.message) % self.params if self.params else translate(self.message)
        if self.detail:
            reason += "\n" + translate(TECHNICAL) % {"detail": self.detail}
        return reason

    def __str__(self) -> str:
        return self.text()


TECHNICAL = gettext_noop("Teknisk detalj: %(detail)s")


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
        raise OrderFileError(
            gettext_noop("Feltet «%(name)s» inneholder kontrolltegn."), {"name": name}
        )
    if len(value) > limit:
        raise OrderFileError(
            gettext_noop("Feltet «%(name)s» er for langt (høyst %(limit)d tegn)."),
            {"name": name, "limit": limit},
        )
    return value


def _ordered_at(raw: str, now: dt.datetime) -> dt.datetime:
    """The order's time in Norwegian time, refused when unreadable, in the future or
    before eInnsyn existed."""
    try:
        parsed = dt.datetime.fromisoformat(raw)
    except ValueError as exc:
        raise OrderFileError(
            gettext_noop("Bestillingsdatoen «%(date)s» er ugyldig (ventet ISO 8601)."),
            {"date": raw},
        ) from exc
    local = parsed.replace(tzinfo=OSLO) if parsed.tzinfo is None else parsed.astimezone(OSLO)
    if local > now.astimezone(OSLO) + CLOCK_TOLERANCE:
        raise OrderFileError(
            gettext_noop(
                "Bestillingsdatoen %(date)s ligger fram i tid. Filen er avvist fordi datoen "
                "avgjør lovens frister; kontroller filen, eller registrer kravet manuelt med "
                "riktig mottaksdato."
            ),
            {"date": raw},
        )
    if local.date() < EARLIEST:
        raise OrderFileError(
            gettext_noop(
                "Bestillingsdatoen %(date)s er eldre enn eInnsyn (2015). Filen er avvist; "
                "kontroller filen, eller registrer kravet manuelt med riktig mottaksdato."
            ),
            {"date": raw},
        )
    return local


def parse(content: bytes, *, now: dt.datetime) -> Order:
    """The order in the file; `now` is an aware datetime (the import's moment)."""
    if len(content) > MAX_BYTES:
        raise OrderFileError(gettext_noop("Bestillingsfilen er for stor (høyst 1 MB)."))
    if not content.strip():
        raise OrderFileError(gettext_noop("Filen er tom."))
    if b"<!DOCTYPE" in content[:2048].upper() or b"<!ENTITY" in content.upper():
        raise OrderFileError(gettext_noop("Bestillingsfilen kan ikke ha DOCTYPE eller entiteter."))
    try:
        root = etree.fromstring(content, parser=_parser())
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (0, 0)
        raise OrderFileError(
            gettext_noop(
                "Filen er ikke gyldig XML og kan ikke leses som en bestilling fra eInnsyn "
                "(feil i linje %(line)d, kolonne %(column)d)."
            ),
            {"line": line or 0, "column": column or 0},
            detail=str(exc.msg or "")[:200],
        ) from exc
    if root.tag != "bestilling":
        raise OrderFileError(
            gettext_noop("Filen er ikke en bestillingsfil fra eInnsyn (mangler «bestilling»).")
        )
    order_id = _text(root, "id", 100)
    if not order_id:
        raise OrderFileError(gettext_noop("Bestillingen mangler id."))
    contact = root.find("kontaktinfo")
    email = _text(contact, "e-post", 254)
    if not email:
        raise OrderFileError(gettext_noop("Bestillingen mangler innsynskreverens e-postadresse."))
    if not EMAIL.match(email):
        raise OrderFileError(
            gettext_noop("Innsynskreverens adresse «%(email)s» er ikke en e-postadresse."),
            {"email": email},
        )
    raw_date = _text(root, "bestillingsdato", 40)
    ordered_at = _ordered_at(raw_date, now) if raw_date else None
    received = ordered_at.date() if ordered_at else now.astimezone(OSLO).date()
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
        raise OrderFileError(gettext_noop("Bestillingen nevner ingen dokumenter."))
    if len(documents) > MAX_DOCUMENTS:
        raise OrderFileError(
            gettext_noop("Bestillingen nevner for mange dokumenter (høyst %(n)d)."),
            {"n": MAX_DOCUMENTS},
        )
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
