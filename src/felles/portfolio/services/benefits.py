"""Benefit plans, contributors and realisations (each benefit counted once)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from felles.core import audit
from felles.core.actor import Actor
from felles.core.services import Conflict, ServiceError, allowed
from felles.portfolio.models import (
    Benefit,
    BenefitRealisation,
    Project,
)
from felles.portfolio.services.projects import MANAGERS, manages_benefit, manages_project

BENEFIT_FIELDS = (
    "kind",
    "ministry",
    "area",
    "measure",
    "baseline_value",
    "target_value",
    "target_on",
    "owner",
)


@allowed(manages_project, MANAGERS)
def save_benefit(*, actor: Actor, project: Project, values: dict[str, Any]) -> Benefit:
    """A benefit plan. The same benefit (kind, ministry, area — and for quality, the
    measure) can be owned by one project only; others are added as contributors."""
    measure = (values.get("measure") or "").strip()
    if not measure:
        raise ServiceError(_("Beskriv måltallet."), {"measure": [_("Må fylles ut.")]})
    key = measure.lower() if values.get("kind") == Benefit.Kind.QUALITY else ""
    existing = Benefit.objects.filter(
        kind=values.get("kind"),
        ministry=values.get("ministry"),
        area=values.get("area"),
        measure_key=key,
    ).first()
    if existing is None and key == "":
        # FTE, cost and floor space are counted per ministry and area, or for the whole
        # ministry; never both, or the same hours would be counted twice.
        overlapping = Benefit.objects.filter(
            kind=values.get("kind"), ministry=values.get("ministry")
        )
        overlapping = (
            overlapping.filter(area__isnull=True) if values.get("area") is not None else overlapping
        )
        existing = overlapping.first()
    if existing is not None:
        raise Conflict(
            _(
                "Gevinsten er allerede planlagt i prosjektet «%(project)s». Legg prosjektet "
                "til som bidragsyter der i stedet, så telles den ikke to ganger."
            )
            % {"project": existing.project}
        )
    try:
        with transaction.atomic():
            benefit = Benefit(project=project, measure_key=key)
            for name in BENEFIT_FIELDS:
                setattr(benefit, name, values.get(name))
            benefit.measure = measure
            benefit.save()
            audit.record(
                actor=actor,
                action="portfolio.benefit.create",
                obj=benefit,
                changes={"target": [None, str(benefit.target_value)]},
                organisation_id=benefit.ministry_id,
            )
    except IntegrityError as exc:  # a concurrent claim on the same benefit
        raise Conflict(_("Gevinsten ble nettopp planlagt i et annet prosjekt.")) from exc
    return benefit


@allowed(manages_benefit, MANAGERS)
def add_contributor(*, actor: Actor, benefit: Benefit, project: Project) -> Benefit:
    if project.pk == benefit.project_id:
        raise ServiceError(_("Prosjektet eier allerede gevinsten."))
    with transaction.atomic():
        benefit.contributors.add(project)
        audit.record(
            actor=actor,
            action="portfolio.benefit.contributor",
            obj=benefit,
            changes={"contributor": [None, project.code]},
        )
    return benefit


@allowed(manages_benefit, MANAGERS)
def record_realisation(
    *, actor: Actor, benefit: Benefit, measured_on: dt.date, value: Decimal, note: str = ""
) -> BenefitRealisation:
    if measured_on > timezone.localdate():
        raise ServiceError(
            _("En måling kan ikke ligge fram i tid."), {"measured_on": [_("Dato i framtiden.")]}
        )
    with transaction.atomic():
        realisation, _created = BenefitRealisation.objects.update_or_create(
            benefit=benefit, measured_on=measured_on, defaults={"value": value, "note": note}
        )
        audit.record(
            actor=actor,
            action="portfolio.benefit.realised",
            obj=benefit,
            changes={str(measured_on): [None, str(value)]},
            organisation_id=benefit.ministry_id,
        )
    return realisation
