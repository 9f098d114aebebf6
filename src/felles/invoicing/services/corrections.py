"""Correcting the texts of usage rows in a draft run that cannot go into EHF (the
correction page); the run is recomputed in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet

from felles.core import audit
from felles.core.actor import Actor
from felles.core.services import Conflict, ServiceError, allowed
from felles.core.types import AnyUser
from felles.invoicing import ehf
from felles.invoicing.models import InvoiceRun, UsageRecord
from felles.invoicing.services._common import FINANCE_ONLY, lock
from felles.invoicing.services.computation import recompute
from felles.organisations.selectors import manages_provider


def _runs_usage_invoicing(user: AnyUser, /, *, usage: UsageRecord, **_: Any) -> bool:
    return manages_provider(user, usage.provider_id or 0)


CORRECTABLE = ("buyer_reference", "external_reference")


def same_text_rows(usage: UsageRecord, name: str) -> QuerySet[UsageRecord]:
    """The rows a correction of field `name` of `usage` changes when «the same text» is
    chosen: rows of the same run *and ministry* holding the same old text — and only when
    that text holds a character EHF cannot carry (the reason the correction page exists).
    An empty or legal old text matches the row itself only."""
    old = getattr(usage, name)
    if ehf.illegal_position(old) is None:  # "" has none
        return UsageRecord.objects.filter(pk=usage.pk)
    run_id = usage.run_id  # a look through the provider's claim groups
    if run_id is None:
        return UsageRecord.objects.filter(pk=usage.pk)
    return UsageRecord.objects.filter(
        claim__run_id=run_id, ministry_id=usage.ministry_id, **{name: old}
    )


def _correction_rows(usage: UsageRecord, names: Iterable[str], same_value: bool) -> Q:
    rows = Q(pk=usage.pk)
    if same_value:
        for name in names:
            rows |= Q(pk__in=same_text_rows(usage, name).values("pk"))
    return rows


def same_text_count(usage: UsageRecord) -> int:
    """How many rows a correction «of every row with the same text» changes when each bad
    text of `usage` is corrected (the page shows it): exactly what `correct_usage` writes."""
    return UsageRecord.objects.filter(_correction_rows(usage, CORRECTABLE, True)).count()


@dataclass(frozen=True)
class Correction:
    """What the correction page shows: the suggested texts (bad characters replaced by a
    space), the stored ones made visible, and how many rows «the same text» corrects."""

    initial: dict[str, str]
    stored: dict[str, str]
    same_count: int


@allowed(_runs_usage_invoicing, FINANCE_ONLY)
def correction_for(*, actor: Actor, usage: UsageRecord) -> Correction:
    """The correction page of a usage row, for those who may correct it (`correct_usage`'s
    rule): others get no page."""
    return Correction(
        initial={name: ehf.without_illegal(getattr(usage, name)) for name in CORRECTABLE},
        stored={name: ehf.visible(getattr(usage, name)) for name in CORRECTABLE},
        same_count=same_text_count(usage),
    )


@allowed(_runs_usage_invoicing, FINANCE_ONLY)
def correct_usage(
    *,
    actor: Actor,
    usage: UsageRecord,
    buyer_reference: str,
    external_reference: str,
    same_value: bool = False,
) -> int:
    """Correct the texts of a usage row in a draft run (the buyer's reference, i.e. cost
    centre, and the external reference) — for data that cannot go into EHF. With
    `same_value`, the rows of the same ministry in the run carrying the same bad text get
    the same correction (`same_text_rows`). The run is recomputed in the same transaction,
    so its lines carry the corrected text. Returns how many rows were changed."""
    new = {"buyer_reference": buyer_reference.strip(), "external_reference": external_reference}
    new["external_reference"] = new["external_reference"].strip()
    errors = {
        name: [error] for name, value in new.items() if (error := ehf.illegal_text_error(value))
    }
    errors.update({name: ["Høyst 100 tegn."] for name, value in new.items() if len(value) > 100})
    if errors:
        raise ServiceError("Rettingen inneholder feil.", errors)
    with transaction.atomic():
        usage = UsageRecord.objects.select_for_update().get(pk=usage.pk)
        run_id = usage.run_id
        if run_id is None:
            raise Conflict("Forbruksraden hører ikke til noen fakturakjøring.")
        run = lock(InvoiceRun(pk=run_id), InvoiceRun.Status.DRAFT, "rettes")
        changed = {name: value for name, value in new.items() if getattr(usage, name) != value}
        if not changed:
            raise ServiceError("Ingenting er endret.")
        total = UsageRecord.objects.filter(_correction_rows(usage, changed, same_value)).count()
        rows: dict[str, int] = {}
        for name, value in changed.items():
            scope = _correction_rows(usage, [name], same_value)
            rows[name] = UsageRecord.objects.filter(scope).update(**{name: value})
        audit.record(
            actor=actor,
            action="invoicing.usage.correct",
            obj=usage,
            changes={
                **{name: [getattr(usage, name), value] for name, value in changed.items()},
                "rows": [None, rows],
                "run": [None, str(run.uuid)],
            },
            organisation_id=usage.ministry_id,
        )
        recompute(actor, run)
    return total
