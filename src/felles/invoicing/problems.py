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
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from stdnum.exceptions import ValidationError as NumberError

from felles.catalog.models import Service
from felles.core import formatting, units
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
        return _("%(kind)s til %(ministry)s") % {
            "kind": self.invoice.get_kind_display(),
            "ministry": self.invoice.ministry.abbreviation,
        }

    @property
    def message(self) -> str:
        return _("%(document)s: %(what)s Kilde: %(source)s") % {
            "document": self.document,
            "what": self.what,
            "source": self.source,
        }


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
                    _("Kontonummeret er ugyldig (kontrollsifferet stemmer ikke)."),
                    _("fakturaprofilen til %(provider)s.")
                    % {"provider": invoice.provider.abbreviation},
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
        return _usage_problem(invoice, problem, line, _("kjøpers referanse (kostnadssted)"))
    if problem.element == "Item/Name" and (
        service is None or ehf.illegal_position(service.name_nb) is None
    ):
        # The description of a pass-through line carries the supplier's reference.
        return _usage_problem(invoice, problem, line, _("ekstern referanse"))
    code = service.code if service else "?"
    return Problem(
        invoice,
        problem.message,
        _("tjenesten %(code)s i katalogen (rettes av administrator).") % {"code": code},
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
        ngettext(
            "%(field)s på %(count)s forbruksrad (%(named)s). Rett forbruksraden, så beregnes "
            "kjøringen på nytt.",
            "%(field)s på %(count)s forbruksrader (%(named)s). Rett forbruksradene, så beregnes "
            "kjøringen på nytt.",
            count,
        )
        % {"field": field, "count": count, "named": named},
        sample,
        count,
    )


def _row_name(usage: UsageRecord) -> str:
    """«bestilling 2026-000123, 14.10.2026»; a restricted or security service's order is
    named by neither number nor person (issue 18)."""
    if usage.order and usage.service.is_confidential:
        origin = _("skjermet sak")
    elif usage.order:
        origin = _("bestilling %(number)s") % {"number": usage.order.number}
    else:
        origin = _("import")
    reference = (
        _(", ref. %(reference)s") % {"reference": usage.external_reference}
        if usage.external_reference
        else ""
    )
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
        return ngettext(
            "%(code)s (%(service)s) til %(ministry)s: %(count)s forbruksrad (%(named)s) gir "
            "%(quantity)s × %(price)s = %(amount)s på én linje, mer enn en fakturalinje kan ha. "
            "Linjen er holdt utenfor og faktureres ikke; se etter en mengde eller pris som er "
            "skrevet feil (rettes av administrator).",
            "%(code)s (%(service)s) til %(ministry)s: %(count)s forbruksrader (%(named)s) gir "
            "%(quantity)s × %(price)s = %(amount)s på én linje, mer enn en fakturalinje kan ha. "
            "Linjen er holdt utenfor og faktureres ikke; se etter en mengde eller pris som er "
            "skrevet feil (rettes av administrator).",
            count,
        ) % {
            "code": self.service.code,
            "service": self.service.name_nb,
            "ministry": self.ministry.abbreviation,
            "count": count,
            "named": _named(self.usage, count),
            "quantity": units.quantity(self.quantity, self.service.unit_code),
            "price": formatting.kroner(self.unit_price),
            "amount": formatting.kroner(self.amount),
        }


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
        return _(
            "den faste fakturareferansen i fakturaprofilen til %(ministry)s (rettes av "
            "administrator)."
        ) % {"ministry": invoice.ministry.abbreviation}
    if element.startswith("AccountingCustomerParty"):
        return _("fakturaprofilen eller organisasjonen %(organisation)s.") % {
            "organisation": invoice.ministry.abbreviation
        }
    if element.startswith("AccountingSupplierParty") or element.startswith("PayeeFinancial"):
        return _("fakturaprofilen eller organisasjonen %(organisation)s.") % {
            "organisation": invoice.provider.abbreviation
        }
    if element == "Note":
        return _("begrunnelsen for kreditnotaen.")
    return _("dokumentet.")
