"""The review's reference data: the model evaluations and the implementation programme
(seeded by the system, once)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy

from felles.catalog.models import ServiceArea
from felles.core import audit
from felles.core.actor import Actor
from felles.core.services import SYSTEM_ONLY, allowed
from felles.organisations.models import Organisation
from felles.portfolio import seed
from felles.portfolio.models import (
    Alternative,
    Criterion,
    Dependency,
    Evaluation,
    ExternalDate,
    Programme,
    Project,
    Risk,
    Score,
)


@allowed(SYSTEM_ONLY, gettext_lazy("Porteføljens referansedata lastes bare av systemet."))
def seed_evaluations(*, actor: Actor) -> int:
    """The four model evaluations of chapter 4; existing ones are left as they are."""
    areas = {a.code: a for a in ServiceArea.objects.all()}
    created = 0
    for spec in seed.EVALUATIONS:
        if Evaluation.objects.filter(code=spec["code"]).exists():
            continue
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                code=spec["code"],
                title=spec["title"],
                area=areas.get(spec["area"]),
                recommendation=spec["recommendation"],
                description="Skårene er gjennomgangens egne vurderinger satt på en skala 1–5 "
                "(5 best; for risiko: lavest risiko), med sitat og linje i gjennomgangens tekst.",
            )
            criteria = {
                code: Criterion.objects.create(
                    evaluation=evaluation, code=code, name=name, weight=weight, position=i
                )
                for i, (code, name, weight) in enumerate(seed.CRITERIA)
            }
            for i, (code, name, scores) in enumerate(spec["alternatives"]):
                alternative = Alternative.objects.create(
                    evaluation=evaluation, code=code, name=name, position=i
                )
                Score.objects.bulk_create(
                    [
                        Score(
                            alternative=alternative,
                            criterion=criteria[criterion],
                            value=Decimal(value),
                            justification=text,
                            source=source,
                        )
                        for criterion, (value, text, source) in scores.items()
                    ]
                )
            audit.record(actor=actor, action="portfolio.evaluation.seed", obj=evaluation)
        created += 1
    return created


@allowed(SYSTEM_ONLY, gettext_lazy("Porteføljens referansedata lastes bare av systemet."))
def seed_portfolio(*, actor: Actor) -> int:
    """The implementation programme of chapters 5–6; existing projects are left alone."""
    orgs = {o.abbreviation: o for o in Organisation.objects.all()}
    areas = {a.code: a for a in ServiceArea.objects.all()}
    if Project.objects.exists():
        return 0
    with transaction.atomic():
        programme = Programme.objects.create(
            code="gjennomforing",
            name="Gjennomføring av områdegjennomgangen",
            description="Interimsorganisering med ett implementeringsprosjekt per område under "
            "porteføljestyring (kapittel 5).",
            owner=orgs["DFD"],
        )
        externals = {
            code: ExternalDate.objects.create(code=code, name=name, date=date)
            for code, name, date in seed.EXTERNAL_DATES
        }
        projects = {}
        for (
            code,
            name,
            area,
            model,
            responsible,
            contributors,
            start,
            end,
            priority,
            text,
        ) in seed.PROJECTS:
            project = Project.objects.create(
                programme=programme,
                code=code,
                name=name,
                area=areas.get(area) if area else None,
                chosen_model=model,
                responsible=orgs[responsible],
                starts_on=start,
                ends_on=end,
                priority=priority,
                description=text,
            )
            project.contributors.set([orgs[c] for c in contributors])
            projects[code] = project
        for code, on, kind, note in seed.DEPENDENCIES:
            Dependency.objects.create(
                project=projects[code],
                on_project=projects.get(on),
                on_date=externals.get(on),
                kind=kind,
                note=note,
            )
        for code, title, lik, con, measures, rlik, rcon, quote in seed.RISKS:
            Risk.objects.create(
                project=projects[code] if code else None,
                title=title,
                description=quote,
                likelihood=lik,
                consequence=con,
                measures=measures,
                residual_likelihood=rlik,
                residual_consequence=rcon,
            )
        audit.record(
            actor=actor,
            action="portfolio.seed",
            obj=programme,
            changes={"projects": [None, len(projects)]},
        )
    return len(projects)
