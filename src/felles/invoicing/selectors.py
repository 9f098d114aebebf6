"""Invoicing reads: who sees which invoices and runs, drill-down from a line to the usage
behind it, showback of appropriation-funded services, and the ledger export rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import translation
from django.utils.translation import ngettext

from felles.catalog.models import Funding
from felles.core import visibility
from felles.core.permissions import Rule
from felles.core.types import AnyUser
from felles.invoicing import events
from felles.invoicing.models import Dispute, Invoice, InvoiceLine, InvoiceRun, UsageRecord
from felles.organisations.models import Role
from felles.organisations.selectors import (
    access_for,
    managed_providers,
    manages_provider,
    provider_scope,
    role_rule,
)

# Ministry side: the people who follow the ministry's bill. Provider side: its managers
# (provider finance). Governance, auditors and administrators read everything.
MINISTRY_BILLING_ROLES = (Role.ORDERING_COORDINATOR, Role.BUDGET_HOLDER)
reads_all_bills = role_rule(Role.GOVERNANCE, Role.AUDITOR, Role.ADMINISTRATOR)
may_bill = role_rule(Role.PROVIDER_MANAGER)
may_dispute = role_rule(*MINISTRY_BILLING_ROLES)
may_see_invoices = may_dispute | may_bill | reads_all_bills
may_see_runs = may_bill | reads_all_bills


def _orgs(user: AnyUser, *roles: str) -> list[int]:
    return [o for r, o in access_for(user).roles if r in roles]


def billing_ministries(user: AnyUser) -> list[int]:
    """The ministries whose bill `user` follows (and may dispute)."""
    return _orgs(user, *MINISTRY_BILLING_ROLES)


def billing_providers(user: AnyUser) -> list[int]:
    """The providers whose runs `user` manages: a run covers every ministry, so only
    managers who serve every ministry of the provider."""
    return managed_providers(user)


runs_invoicing = Rule("runs invoicing", lambda user: bool(billing_providers(user)))
"""Who runs a provider's invoicing (runs, usage import): a manager serving every ministry."""


def follows_bill(user: AnyUser, ministry_id: int, provider_id: int) -> bool:
    """Whether `user` may see what the ministry is billed and shown by the provider: the
    ministry's billing roles, the provider's managers who serve the ministry, and the
    cross-ministry readers."""
    return (
        reads_all_bills(user)
        or ministry_id in billing_ministries(user)
        or manages_provider(user, provider_id, ministry_id)
    )


def _managed_bills(user: AnyUser, prefix: str = "") -> Q:
    """Documents of the providers the user manages, for the ministries they serve."""
    return provider_scope(
        user,
        roles=(Role.PROVIDER_MANAGER,),
        provider=f"{prefix}provider_id",
        ministry=f"{prefix}ministry_id",
    )


def visible_invoice_filter(user: AnyUser) -> Q:
    """A ministry's billing roles see its issued documents; a provider's managers see all of
    the provider's documents, drafts included; nobody else sees any."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if reads_all_bills(user):
        return Q()
    return Q(
        ministry_id__in=billing_ministries(user), status=Invoice.Status.ISSUED
    ) | _managed_bills(user)


def invoices_for(user: AnyUser) -> QuerySet[Invoice]:
    return Invoice.objects.visible_to(user).select_related("ministry", "provider", "run")


def invoices_to_dispute(user: AnyUser) -> QuerySet[Invoice]:
    """The invoices whose lines `user` may dispute: those of the ministries whose bill they
    follow (others' invoices are not theirs to dispute: 404)."""
    return invoices_for(user).filter(ministry_id__in=billing_ministries(user))


def runs_for(user: AnyUser) -> QuerySet[InvoiceRun]:
    qs = InvoiceRun.objects.select_related("provider")
    if reads_all_bills(user):
        return qs
    return qs.filter(provider_id__in=billing_providers(user))


def run_for_reader(user: AnyUser, invoice: Invoice) -> InvoiceRun | None:
    """The run behind `invoice` if `user` may open the run's page (so that a breadcrumb
    links only to what its reader may open), else None."""
    if invoice.run_id is None or not may_see_runs(user):
        return None
    return runs_for(user).filter(pk=invoice.run_id).first()


def manages(user: AnyUser, provider_id: int, ministry_id: int | None = None) -> bool:
    """The provider's managers: for one ministry's documents those who serve it, for
    provider-wide matters (runs) those who serve every ministry."""
    return manages_provider(user, provider_id, ministry_id)


def lines_with_disputes(invoice: Invoice) -> list[InvoiceLine]:
    lines = list(invoice.lines.select_related("service").annotate(credit_count=Count("credits")))
    disputes: dict[int, list[Dispute]] = {}
    for dispute in Dispute.objects.filter(line__invoice=invoice).select_related("raised_by"):
        disputes.setdefault(dispute.line_id, []).append(dispute)
    for line in lines:
        line.text = line_text(line)  # type: ignore[attr-defined]
        line.screened = is_screened(line)  # type: ignore[attr-defined]
        line.dispute_list = disputes.get(line.pk, [])  # type: ignore[attr-defined]
        line.open_dispute = any(  # type: ignore[attr-defined]
            d.status == Dispute.Status.OPEN
            for d in line.dispute_list  # type: ignore[attr-defined]
        )
    return lines


def is_screened(line: InvoiceLine) -> bool:
    """Whether the line is a restricted or security service's (issue 18): its drill-down,
    its page and its API show how many cases it covers, never which. The service's class
    now counts, so a class raised after the invoice was issued screens the line at once."""
    return line.service is not None and line.service.is_confidential


def line_text(line: InvoiceLine) -> str:
    """A line's text on the pages: its description (bokmål, as in the EHF), except that a
    screened line reads «<service>, <n> cases» in the reader's language."""
    if not is_screened(line) or line.pass_through:
        return line.description
    service = line.service
    assert service is not None
    name = (translation.get_language() == "en" and service.name_en) or service.name_nb
    count = line.usage_count
    return ngettext("%(service)s, %(count)s sak", "%(service)s, %(count)s saker", count) % {
        "service": name,
        "count": count,
    }


def usage_behind(line: InvoiceLine) -> QuerySet[UsageRecord]:
    """The usage records a line was aggregated from (for a credit-note line: the original's).
    A screened line (`is_screened`) was merged whatever the orders' references said."""
    source = line.credited_line or line
    invoice = source.invoice
    rows = UsageRecord.objects.filter(
        claim__run_id=invoice.run_id,
        ministry_id=invoice.ministry_id,
        funding=Funding.INVOICING
        if invoice.kind == Invoice.Kind.INVOICE
        else Funding.CHARGING_AUTHORISATION,
        service_id=source.service_id,
        unit_price=source.unit_price,
        unit_code=source.unit_code,
        pass_through=source.pass_through,
    )
    if source.buyer_reference or not is_screened(source):
        rows = rows.filter(
            buyer_reference__in=[source.buyer_reference, invoice.buyer_reference]
            if not source.buyer_reference
            else [source.buyer_reference]
        )
    if source.pass_through:
        rows = rows.filter(external_reference=source.external_reference)
    return rows.select_related("order", "service").order_by("usage_date", "pk")


def disputes_to_answer(user: AnyUser) -> QuerySet[Dispute]:
    """Open disputes the user may answer: those on invoices of the providers they manage
    (reading all bills is not answering them)."""
    return open_disputes_for(user).filter(_managed_bills(user, "line__invoice__"))


def open_disputes_for(user: AnyUser) -> QuerySet[Dispute]:
    qs = Dispute.objects.select_related("line__invoice__ministry", "raised_by").filter(
        status=Dispute.Status.OPEN
    )
    if reads_all_bills(user):
        return qs
    return qs.filter(_managed_bills(user, "line__invoice__"))


# --- showback -------------------------------------------------------------------------------


@dataclass
class ShowbackRow:
    service: str
    provider: str
    unit: str
    volume: Decimal
    unit_code: str
    unit_cost: Decimal | None
    value: Decimal | None


def latest_showback_month(ministry_id: int, today: dt.date) -> dt.date | None:
    """The first day of the newest month, up to this one, in which the ministry used
    appropriation-funded services (the showback opens there), or None."""
    newest = (
        UsageRecord.objects.filter(
            ministry_id=ministry_id, funding=Funding.APPROPRIATION, usage_date__lte=today
        )
        .order_by("-usage_date")
        .values_list("usage_date", flat=True)
        .first()
    )
    return newest.replace(day=1) if newest else None


def showback(ministry_id: int, start: dt.date, end: dt.date) -> list[ShowbackRow]:
    """What a ministry used of appropriation-funded services in a period, valued at the
    full-cost price of the provider's cost model for that year (if one is approved)."""
    rows = (
        UsageRecord.objects.filter(
            ministry_id=ministry_id,
            funding=Funding.APPROPRIATION,
            usage_date__gte=start,
            usage_date__lte=end,
        )
        .values(
            "service_id",
            "service__name_nb",
            "service__name_en",
            "service__provider__abbreviation",
            "service__unit_label",
            "service__unit_code",
        )
        .annotate(volume=Sum("quantity"))
        .order_by("service__provider__abbreviation", "service__name_nb")
    )
    prices = events.full_cost_prices(year=start.year)
    english = translation.get_language() == "en"
    result = []
    for row in rows:
        unit_cost = prices.get(row["service_id"])
        result.append(
            ShowbackRow(
                service=(english and row["service__name_en"]) or row["service__name_nb"],
                provider=row["service__provider__abbreviation"],
                unit=row["service__unit_label"],
                volume=row["volume"],
                unit_code=row["service__unit_code"],
                unit_cost=unit_cost,
                value=(row["volume"] * unit_cost).quantize(Decimal("0.01"))
                if unit_cost is not None
                else None,
            )
        )
    return result


def ledger_rows(run: InvoiceRun) -> list[list[Any]]:
    """One row per document line, for the provider's accounting system."""
    rows = []
    for line in (
        InvoiceLine.objects.filter(invoice__run=run)
        .select_related("invoice__ministry", "service")
        .order_by("invoice__kind", "invoice__ministry__abbreviation", "position")
    ):
        invoice = line.invoice
        rows.append(
            [
                invoice.number or "",
                invoice.get_kind_display(),
                invoice.issue_date,
                invoice.ministry.abbreviation,
                invoice.ministry.org_number,
                invoice.buyer_reference,
                line.position,
                line.service.code if line.service else "",
                line.description,
                line.quantity,
                line.unit_code,
                line.unit_price,
                line.amount,
                line.buyer_reference,
                "ja" if line.pass_through else "nei",
                line.period_start,
                line.period_end,
            ]
        )
    return rows


LEDGER_HEADER = [
    "Bilagsnummer",
    "Type",
    "Dato",
    "Kunde",
    "Organisasjonsnummer",
    "Kjøpers referanse",
    "Linje",
    "Tjenestekode",
    "Beskrivelse",
    "Mengde",
    "Enhet",
    "Enhetspris",
    "Beløp",
    "Linjereferanse",
    "Videreformidlet",
    "Periode fra",
    "Periode til",
]


def unpriced_usage(run: InvoiceRun) -> int:
    """Billable usage in the period that cannot be invoiced because no price applied.
    (Unpriced usage is never claimed, and the price is set only when the record is written:
    no look at the claims, which would unnest every run's.)"""
    return UsageRecord.objects.filter(
        provider_id=run.provider_id,
        usage_date__lte=run.period_end,
        funding__in=[Funding.INVOICING, Funding.CHARGING_AUTHORISATION],
        unit_price__isnull=True,
    ).count()


visibility.register(Invoice, visible_invoice_filter)
