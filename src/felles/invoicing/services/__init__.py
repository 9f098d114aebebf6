"""Invoicing writes: usage, invoice runs, issuing (numbered, EHF, validated), credit notes
and disputes, by topic. Every function runs in one transaction, leaves an audit event and
declares who may call it (`core.services.allowed`). Other apps import this package:
`from felles.invoicing import services` then `services.create_run(...)`.

Rounding rule: a line's amount is Σ quantity × unit price of the usage behind it, rounded
half up to the øre once (`ehf.round_ore`); a document's total is the sum of its lines.
"""

from felles.invoicing.services._common import BILLED_FUNDING
from felles.invoicing.services.computation import (
    DocumentRows,
    document_rows,
    line_fits,
    usage_of_line,
)
from felles.invoicing.services.corrections import (
    CORRECTABLE,
    Correction,
    correct_usage,
    correction_for,
    same_text_count,
    same_text_rows,
)
from felles.invoicing.services.disputes import credit_invoice, raise_dispute, resolve_dispute
from felles.invoicing.services.documents import SERIES, to_document
from felles.invoicing.services.runs import (
    OVERLAP,
    approve_run,
    create_run,
    discard_run,
    issue_run,
    recompute_run,
    review_run,
)
from felles.invoicing.services.usage import record_order_usage

__all__ = [
    "BILLED_FUNDING",
    "CORRECTABLE",
    "OVERLAP",
    "SERIES",
    "Correction",
    "DocumentRows",
    "approve_run",
    "correct_usage",
    "correction_for",
    "create_run",
    "credit_invoice",
    "discard_run",
    "document_rows",
    "issue_run",
    "line_fits",
    "raise_dispute",
    "recompute_run",
    "record_order_usage",
    "resolve_dispute",
    "review_run",
    "same_text_count",
    "same_text_rows",
    "to_document",
    "usage_of_line",
]
