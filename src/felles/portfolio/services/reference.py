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
        complete_portfolio(actor=actor)
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
            project.contributors.set(
                [o for o in _contributors(contributors, orgs) if o.pk != project.responsible_id]
            )
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


def _contributors(codes: tuple[str, ...], orgs: dict[str, Organisation]) -> list[Organisation]:
    """The organisations a seed row names; `seed.ALL_MINISTRIES` is every ministry and SMK."""
    found: dict[int, Organisation] = {}
    for code in codes:
        if code == seed.ALL_MINISTRIES:
            found.update({o.pk: o for o in Organisation.objects.customers()})
        elif code in orgs:
            found[orgs[code].pk] = orgs[code]
    return list(found.values())


@allowed(SYSTEM_ONLY, gettext_lazy("Porteføljens referansedata lastes bare av systemet."))
def complete_portfolio(*, actor: Actor) -> int:
    """Bring a programme seeded before table 5 was complete up to the seed: the projects it
    lacks are created, each seeded project gets the contributors the table names (added,
    none taken away) and the missing dependencies. Harmless to call again: nothing that is
    there is changed. Returns how many projects were created."""
    programme = Programme.objects.filter(code="gjennomforing").first()
    if programme is None:
        return 0
    orgs = {o.abbreviation: o for o in Organisation.objects.all()}
    areas = {a.code: a for a in ServiceArea.objects.all()}
    created = []
    with transaction.atomic():
        projects = {p.code: p for p in Project.objects.all()}
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
            project = projects.get(code)
            if project is None:
                if responsible not in orgs:
                    continue
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
                projects[code] = project
                created.append(code)
            wanted = _contributors(contributors, orgs)
            have = set(project.contributors.values_list("pk", flat=True))
            missing = [o for o in wanted if o.pk not in have and o.pk != project.responsible_id]
            if missing:
                project.contributors.add(*missing)
        externals = {e.code: e for e in ExternalDate.objects.all()}
        for code, on, kind, note in seed.DEPENDENCIES:
            if code not in projects or (on not in projects and on not in externals):
                continue
            link = {"on_project": projects.get(on), "on_date": externals.get(on)}
            if not Dependency.objects.filter(project=projects[code], **link).exists():
                Dependency.objects.create(project=projects[code], kind=kind, note=note, **link)
        if created:
            audit.record(
                actor=actor,
                action="portfolio.seed",
                obj=programme,
                changes={"projects": [None, created]},
            )
    return len(created)
