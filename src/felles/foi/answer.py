"""The answer to the requester, drafted from the ministry's decisions: per document the
outcome with its full legal reference (paragraph, subsection, letter, and the
confidentiality rule in another act), what was withheld, the meirinnsyn assessment, and
the right to appeal and ask for fuller reasons with their deadlines (offl. §§ 31–32).

The letter is in bokmål: it goes to the requester from a Norwegian ministry."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

from felles.foi import rules
from felles.foi.models import NEEDS_BASIS, Decision, Outcome, Request

MONTHS = (
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
)

LINES = {
    Outcome.FULL: "Du får innsyn.",
    Outcome.PARTIAL: "Du får delvis innsyn. Opplysninger er unntatt med hjemmel i {basis}.",
    Outcome.REFUSED: "Kravet er avslått med hjemmel i {basis}.",
    Outcome.NOT_CASE_DOCUMENT: "Dokumentet er ikke et saksdokument for departementet "
    "(offl. § 4), og kravet er derfor avslått.",
    Outcome.DOES_NOT_EXIST: "Departementet har ikke et slikt dokument.",
    Outcome.FORWARDED: "Kravet er sendt videre til {forwarded}, som avgjør det.",
}


UNDECIDED = "ikke avgjort ennå"
DEADLINE = re.compile(r"det vil si innen (\d{1,2}\. [a-zæøå]+ \d{4})")


def stated_deadline(text: str) -> str | None:
    """The appeal deadline the letter states («9. desember 2026»), if it states one."""
    found = DEADLINE.search(text)
    return found.group(1) if found else None


def long_date(day: dt.date) -> str:
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


def _reference(item: object) -> str:
    parts = []
    case_number = getattr(item, "case_number", "")
    if case_number:
        doc = getattr(item, "document_number", "")
        parts.append(f"sak {case_number}" + (f", dokument {doc}" if doc else ""))
    journal = getattr(item, "journal_number", "")
    if journal:
        parts.append(f"journalnummer {journal}")
    return "; ".join(parts) or getattr(item, "title", "") or "dokumentet"


def draft_answer(request: Request, sent_on: dt.date | None = None) -> str:
    sent_on = sent_on or request.answered_on or timezone.localdate()
    finals = {
        d.item_id: d
        for d in Decision.objects.filter(item__request=request, stage=Decision.Stage.FINAL)
    }
    lines = [
        f"Svar på innsynskrav mottatt {long_date(request.received_on)} "
        f"(vår referanse {request.order.number}).",
        "",
    ]
    restricted = False
    for n, item in enumerate(request.items.all(), start=1):
        decision = finals.get(item.pk)
        if decision is None:
            lines.append(f"{n}. {_reference(item)}: {UNDECIDED}.")
            continue
        text = LINES[Outcome(decision.outcome)].format(
            basis=decision.legal_basis(), forwarded=decision.forwarded_to
        )
        lines.append(f"{n}. {_reference(item)}: {text}")
        if decision.outcome == Outcome.PARTIAL:
            lines.append(f"   Unntatt: {decision.withheld}")
        if decision.outcome in NEEDS_BASIS and decision.meirinnsyn is not None:
            verdict = "gitt" if decision.meirinnsyn else "ikke gitt"
            lines.append(
                f"   Merinnsyn (offl. § 11) er vurdert og {verdict}: {decision.meirinnsyn_reason}"
            )
        if decision.outcome not in (Outcome.FULL, Outcome.FORWARDED):
            restricted = True
    if restricted:
        deadline = rules.appeal_deadline(sent_on)
        lines += [
            "",
            "Du kan klage på avslaget. Klagefristen er tre uker fra du mottok dette svaret "
            f"(offl. § 32 tredje ledd, jf. forvaltningsloven § 29), det vil si innen "
            f"{long_date(deadline)}. Send klagen til departementet. Opprettholder "
            "departementet avslaget, sendes klagen til Kongen i statsråd, som avgjør den.",
            "",
            "Du kan også innen tre uker be om en fyldigere grunngiving for avslaget "
            "(offl. § 31 andre ledd). Den får du skriftlig innen ti arbeidsdager.",
        ]
    return "\n".join(lines)
