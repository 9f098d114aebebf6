"""What stops a run's documents from becoming EHF, and where it comes from.

Data that reached the database before the edges refused it (an old order, a script, an
import from before the check) can hold text XML cannot carry, e.g. a buyer reference
"KS\\u000b4711". A run never fails on it with a crash: `run_problems` renders the EHF view of
every document, asks `ehf.text_problems` which fields are bad, and traces each back to its
source (the usage rows behind a line, the ministry's billing profile, the catalogue), so the
run page lists them in bokmål with a link to correct usage rows, and `review_run` refuses
with the same list. Cheap: one document per ministry, usage is only read for bad lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from stdnum.exceptions import ValidationError as NumberError

from felles.catalog.models import Service
from felles.invoicing import ehf
from felles.invoicing.models import Invoice, InvoiceLine, InvoiceRun, UsageRecord
from felles.invoicing.selectors import usage_behind
from felles.invoicing.services.computation import document_rows, line_fits, usage_of_line
from felles.invoicing.services.documents import to_document
from felles.organisations.models import Organisation

SAMPLE = 5  # usage rows named per problem (the count says how many there are)


@dataclass(frozen=True)
class Problem:
    invoice: Invoice
    what: str  # the field, the character and why (bokmål)
    source: str  # where the text comes from and how it is corrected (bokmål)
    usage: tuple[UsageRecord, ...] = ()  # the first rows to correct, when usage is the source
    usage_count: int = 0

    @property
    def document(self) -> str:
        return f"{self.invoice.get_kind_display()} til {self.invoice.ministry.abbreviation}"

    @property
    def message(self) -> str:
        return f"{self.document}: {self.what} Kilde: {self.source}"


def run_problems(run: InvoiceRun) -> list[Problem]:
    """Every text of the run's EHF documents that cannot go into XML, with its source."""
    today = timezone.localdate()
    problems: list[Problem] = []
    documents = (
        run.invoices.select_related("ministry__billing", "provider__billing")
        .prefetch_related("lines__service")
        .order_by("kind", "ministry__abbreviation")
    )
    for invoice in documents:
        if not invoice.is_ehf:
            continue
        try:
            document = to_document(invoice, f"UTKAST-{invoice.pk}", today)
        except NumberError:
            problems.append(
                Problem(
                    invoice,
                    "Kontonummeret er ugyldig (kontrollsifferet stemmer ikke).",
                    f"fakturaprofilen til {invoice.provider.abbreviation}.",
                )
            )
            continue
        lines = list(invoice.lines.all())
        problems += [_explain(invoice, lines, p) for p in ehf.text_problems(document)]
    return problems


def _explain(invoice: Invoice, lines: list[InvoiceLine], problem: ehf.TextProblem) -> Problem:
    if problem.line is None:
        return Problem(invoice, problem.message, _document_source(invoice, problem.element))
    line = lines[problem.line - 1]
    service = line.service
    if problem.element == "AccountingCost":
        return _usage_problem(invoice, problem, line, "kjøpers referanse (kostnadssted)")
    if problem.element == "Item/Name" and (
        service is None or ehf.illegal_position(service.name_nb) is None
    ):
        # The description of a pass-through line carries the supplier's reference.
        return _usage_problem(invoice, problem, line, "ekstern referanse")
    code = service.code if service else "?"
    return Problem(
        invoice, problem.message, f"tjenesten {code} i katalogen (rettes av administrator)."
    )


def _usage_problem(
    invoice: Invoice, problem: ehf.TextProblem, line: InvoiceLine, field: str
) -> Problem:
    rows = usage_behind(line)
    count = rows.count()
    sample = tuple(rows[:SAMPLE])
    named = _named(sample, count)
    return Problem(
        invoice,
        problem.message,
        f"{field} på {count} forbruksrad{'er' if count != 1 else ''} ({named}). "
        "Rett forbruksraden, så beregnes kjøringen på nytt.",
        sample,
        count,
    )


def _row_name(usage: UsageRecord) -> str:
    origin = f"bestilling {usage.order.number}" if usage.order else "import"
    reference = f", ref. {usage.external_reference}" if usage.external_reference else ""
    return f"{origin}, {usage.usage_date:%d.%m.%Y}{reference}"


def _named(rows: tuple[UsageRecord, ...], count: int) -> str:
    return ", ".join(_row_name(u) for u in rows) + (", …" if count > SAMPLE else "")


@dataclass(frozen=True)
class HeldBack:
    """A line of a draft run too large for an invoice line (`services.line_fits`): one
    absurd usage row, or very many summed. Its usage stays with the draft, unbilled, and
    review releases it (it comes back in the next run)."""

    ministry: Organisation
    service: Service
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    usage: tuple[UsageRecord, ...]
    usage_count: int

    @property
    def message(self) -> str:
        count = self.usage_count
        return (
            f"{self.service.code} ({self.service.name_nb}) til {self.ministry.abbreviation}: "
            f"{count} forbruksrad{'er' if count != 1 else ''} ({_named(self.usage, count)}) "
            f"gir {self.quantity} × {self.unit_price} kr = {self.amount} kr på én linje, mer "
            "enn en fakturalinje kan ha. Linjen er holdt utenfor og faktureres ikke; se etter "
            "en mengde eller pris som er skrevet feil (rettes av administrator)."
        )


def held_back(run: InvoiceRun) -> list[HeldBack]:
    """The lines of a draft run too large to invoice, with the usage rows behind them."""
    if run.status != InvoiceRun.Status.DRAFT:
        return []
    found = []
    for document in document_rows(run):
        for row in document.rows:
            if line_fits(row):
                continue
            rows = usage_of_line(run, document, row)
            sample = tuple(rows[:SAMPLE])
            found.append(
                HeldBack(
                    sample[0].ministry,
                    sample[0].service,
                    row["quantity"],
                    row["unit_price"],
                    row["amount"],
                    sample,
                    rows.count(),
                )
            )
    return found


def _document_source(invoice: Invoice, element: str) -> str:
    if element == "BuyerReference":
        return (
            f"den faste fakturareferansen i fakturaprofilen til {invoice.ministry.abbreviation} "
            "(rettes av administrator)."
        )
    if element.startswith("AccountingCustomerParty"):
        return f"fakturaprofilen eller organisasjonen {invoice.ministry.abbreviation}."
    if element.startswith("AccountingSupplierParty") or element.startswith("PayeeFinancial"):
        return f"fakturaprofilen eller organisasjonen {invoice.provider.abbreviation}."
    if element == "Note":
        return "begrunnelsen for kreditnotaen."
    return "dokumentet."
