"""Model evaluations: DFD's stored criterion weights."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from felles.core import audit
from felles.core.actor import Actor
from felles.core.services import ServiceError, allowed
from felles.portfolio import selectors
from felles.portfolio.models import (
    Evaluation,
)


@allowed(selectors.may_manage_portfolio, gettext_lazy("Bare DFD endrer vektene."))
def save_weights(
    *, actor: Actor, evaluation: Evaluation, weights: dict[str, Decimal]
) -> Evaluation:
    """New stored weights for an evaluation (DFD). Refused if they cannot rank."""
    criteria = {c.code: c for c in evaluation.criteria.all()}
    unknown = sorted(set(weights) - set(criteria))
    if unknown:
        raise ServiceError(_("Ukjente kriterier: %(codes)s.") % {"codes": ", ".join(unknown)})
    merged = {code: weights.get(code, c.weight) for code, c in criteria.items()}
    if any(w < 0 for w in merged.values()) or sum(merged.values()) <= 0:
        raise ServiceError(_("Vektene må være positive og ikke alle null."))
    with transaction.atomic():
        before = {code: str(c.weight) for code, c in criteria.items()}
        for code, criterion in criteria.items():
            criterion.weight = merged[code]
            criterion.save(update_fields=["weight", "updated_at"])
        audit.record(
            actor=actor,
            action="portfolio.evaluation.weights",
            obj=evaluation,
            changes=audit.diff(before, {k: str(v) for k, v in merged.items()}),
        )
    return evaluation
