"""Portfolio writes (audited, one transaction each). Who may write is checked here against
the same selectors the pages use; system actors (seed, demo) are not checked."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from felles.catalog.models import ServiceArea
from felles.core import audit
from felles.core.actor import Actor
from felles.core.services import Conflict, ServiceError, check_allowed
from felles.organisations.models import Organisation
from felles.portfolio import rules, seed, selectors
from felles.portfolio.models import (
    Alternative,
    Benefit,
    BenefitRealisation,
    Criterion,
    Dependency,
    Evaluation,
    ExternalDate,
    HumpCost,
    Milestone,
    Programme,
    Project,
    Risk,
    Score,
    StaffTransfer,
)


def _may_manage(actor: Actor, project: Project) -> None:
    check_allowed(
        actor,
        lambda u: selectors.may_manage(u, project),
        "Bare DFDs porteføljekontor, prosjektlederen og ansvarlig virksomhets ledere kan "
        "endre prosjektet.",
    )


# --- reference data -------------------------------------------------------------------------


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


# --- projects -------------------------------------------------------------------------------


def update_status(*, actor: Actor, project: Project, status: str, reason: str) -> Project:
    """A new RAG status; amber and red must say why."""
    _may_manage(actor, project)
    reason = (reason or "").strip()
    if status not in Project.Rag.values:
        raise ServiceError("Velg grønn, gul eller rød.", {"status": ["Ukjent status."]})
    if status != Project.Rag.GREEN and not reason:
        raise ServiceError("Gul og rød status må begrunnes.", {"status_reason": ["Skriv hvorfor."]})
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        before = audit.snapshot(locked, ["status", "status_reason"])
        locked.status, locked.status_reason = status, reason
        locked.status_on = timezone.localdate()
        locked.save(update_fields=["status", "status_reason", "status_on", "updated_at"])
        audit.record(
            actor=actor,
            action="portfolio.project.status",
            obj=locked,
            changes=audit.diff(before, audit.snapshot(locked, ["status", "status_reason"])),
        )
    return locked


RISK_FIELDS = (
    "title",
    "description",
    "likelihood",
    "consequence",
    "measures",
    "residual_likelihood",
    "residual_consequence",
    "owner",
    "review_on",
)


def save_risk(
    *, actor: Actor, project: Project, values: dict[str, Any], risk: Risk | None = None
) -> Risk:
    _may_manage(actor, project)
    if not (values.get("title") or "").strip():
        raise ServiceError("Beskriv risikoen.", {"title": ["Må fylles ut."]})
    for name in ("likelihood", "consequence", "residual_likelihood", "residual_consequence"):
        if values.get(name) not in rules.SCALE:
            raise ServiceError("Sannsynlighet og konsekvens angis fra 1 til 5.", {name: ["1–5."]})
    with transaction.atomic():
        before = audit.snapshot(risk, RISK_FIELDS) if risk else {}
        risk = risk or Risk(project=project)
        for name in RISK_FIELDS:
            if name in values:
                setattr(risk, name, values[name])
        risk.save()
        audit.record(
            actor=actor,
            action="portfolio.risk." + ("change" if before else "create"),
            obj=risk,
            changes=audit.diff(before, audit.snapshot(risk, RISK_FIELDS)),
        )
    return risk


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


def save_benefit(*, actor: Actor, project: Project, values: dict[str, Any]) -> Benefit:
    """A benefit plan. The same benefit (kind, ministry, area — and for quality, the
    measure) can be owned by one project only; others are added as contributors."""
    _may_manage(actor, project)
    measure = (values.get("measure") or "").strip()
    if not measure:
        raise ServiceError("Beskriv måltallet.", {"measure": ["Må fylles ut."]})
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
            f"Gevinsten er allerede planlagt i prosjektet «{existing.project}». Legg "
            "prosjektet til som bidragsyter der i stedet, så telles den ikke to ganger."
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
        raise Conflict("Gevinsten ble nettopp planlagt i et annet prosjekt.") from exc
    return benefit


def add_contributor(*, actor: Actor, benefit: Benefit, project: Project) -> Benefit:
    _may_manage(actor, benefit.project)
    if project.pk == benefit.project_id:
        raise ServiceError("Prosjektet eier allerede gevinsten.")
    with transaction.atomic():
        benefit.contributors.add(project)
        audit.record(
            actor=actor,
            action="portfolio.benefit.contributor",
            obj=benefit,
            changes={"contributor": [None, project.code]},
        )
    return benefit


def record_realisation(
    *, actor: Actor, benefit: Benefit, measured_on: dt.date, value: Decimal, note: str = ""
) -> BenefitRealisation:
    _may_manage(actor, benefit.project)
    if measured_on > timezone.localdate():
        raise ServiceError(
            "En måling kan ikke ligge fram i tid.", {"measured_on": ["Dato i framtiden."]}
        )
    with transaction.atomic():
        realisation, _ = BenefitRealisation.objects.update_or_create(
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


def save_hump_cost(
    *, actor: Actor, project: Project, year: int, kind: str, amount: Decimal, note: str = ""
) -> HumpCost:
    _may_manage(actor, project)
    if amount < 0:
        raise ServiceError("Beløpet kan ikke være negativt.", {"amount": ["Negativt beløp."]})
    with transaction.atomic():
        cost = (
            HumpCost.objects.select_for_update()
            .filter(project=project, year=year, kind=kind)
            .first()
        )
        before = audit.snapshot(cost, ("amount", "note")) if cost else {}
        cost = cost or HumpCost(project=project, year=year, kind=kind)
        cost.amount, cost.note = amount, note
        cost.save()
        audit.record(
            actor=actor,
            action="portfolio.hump_cost.save",
            obj=cost,
            changes=audit.diff(before, audit.snapshot(cost, ("amount", "note"))),
        )
    return cost


def save_transfer(
    *,
    actor: Actor,
    project: Project,
    ministry: Organisation,
    provider: Organisation,
    fte: Decimal,
    roles: str,
    transfer_on: dt.date,
    status: str = StaffTransfer.Status.PLANNED,
) -> StaffTransfer:
    _may_manage(actor, project)
    if ministry.kind != Organisation.Kind.MINISTRY or provider.kind != Organisation.Kind.PROVIDER:
        raise ServiceError("Overføringer går fra et departement til en leverandør.")
    if fte <= 0:
        raise ServiceError("Oppgi årsverk større enn null.", {"fte": ["Må være positivt."]})
    with transaction.atomic():
        transfer = StaffTransfer.objects.create(
            project=project,
            ministry=ministry,
            provider=provider,
            fte=fte,
            roles=roles,
            transfer_on=transfer_on,
            status=status,
        )
        audit.record(
            actor=actor,
            action="portfolio.transfer.create",
            obj=transfer,
            changes={"fte": [None, str(fte)]},
            organisation_id=ministry.pk,
        )
    return transfer


def save_weights(
    *, actor: Actor, evaluation: Evaluation, weights: dict[str, Decimal]
) -> Evaluation:
    """New stored weights for an evaluation (DFD). Refused if they cannot rank."""
    check_allowed(actor, selectors.may_manage_portfolio, "Bare DFD endrer vektene.")
    criteria = {c.code: c for c in evaluation.criteria.all()}
    unknown = sorted(set(weights) - set(criteria))
    if unknown:
        raise ServiceError("Ukjente kriterier: " + ", ".join(unknown))
    merged = {code: weights.get(code, c.weight) for code, c in criteria.items()}
    if any(w < 0 for w in merged.values()) or sum(merged.values()) <= 0:
        raise ServiceError("Vektene må være positive og ikke alle null.")
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


def save_milestone(
    *, actor: Actor, project: Project, name: str, due_on: dt.date, done_on: dt.date | None = None
) -> Milestone:
    _may_manage(actor, project)
    name = (name or "").strip()
    if not name:
        raise ServiceError("Gi milepælen et navn.", {"name": ["Må fylles ut."]})
    with transaction.atomic():
        milestone = Milestone.objects.create(
            project=project, name=name, due_on=due_on, done_on=done_on
        )
        audit.record(
            actor=actor,
            action="portfolio.milestone.create",
            obj=milestone,
            changes={"due_on": [None, str(due_on)]},
        )
    return milestone


def reach_milestone(*, actor: Actor, milestone: Milestone, on: dt.date) -> Milestone:
    _may_manage(actor, milestone.project)
    if on > timezone.localdate():
        raise ServiceError("Datoen kan ikke ligge fram i tid.", {"done_on": ["Framtidig dato."]})
    with transaction.atomic():
        if not Milestone.objects.filter(pk=milestone.pk, done_on__isnull=True).update(done_on=on):
            raise Conflict("Milepælen er allerede nådd.")
        milestone.refresh_from_db()
        audit.record(
            actor=actor,
            action="portfolio.milestone.reached",
            obj=milestone,
            changes={"done_on": [None, str(on)]},
        )
    return milestone


def save_external_date(
    *, actor: Actor, code: str, name: str, date: dt.date, organisation: Organisation | None
) -> ExternalDate:
    """A date outside the portfolio's control (e.g. a ministry's move into the new
    government quarter). DFD's portfolio office keeps them."""
    check_allowed(actor, selectors.may_manage_portfolio, "Bare DFD fører eksterne datoer.")
    name = (name or "").strip()
    if not name:
        raise ServiceError("Gi datoen et navn.", {"name": ["Må fylles ut."]})
    fields = ("name", "date", "organisation")
    with transaction.atomic():
        external = ExternalDate.objects.select_for_update().filter(code=code).first()
        before = audit.snapshot(external, fields) if external else {}
        external = external or ExternalDate(code=code)
        external.name, external.date, external.organisation = name, date, organisation
        external.save()
        audit.record(
            actor=actor,
            action="portfolio.external_date." + ("change" if before else "create"),
            obj=external,
            changes=audit.diff(before, audit.snapshot(external, fields)),
        )
    return external


def add_dependency(
    *,
    actor: Actor,
    project: Project,
    on_project: Project | None = None,
    on_date: ExternalDate | None = None,
    kind: str = Dependency.Kind.FINISH_TO_START,
    note: str = "",
) -> Dependency:
    """The project needs another project or an external date first; a dependency on
    itself, or one that closes a loop, is refused."""
    _may_manage(actor, project)
    if (on_project is None) == (on_date is None):
        raise ServiceError("Velg enten et prosjekt eller en ekstern dato.")
    if on_project is not None:
        if on_project.pk == project.pk:
            raise ServiceError("Et prosjekt kan ikke avhenge av seg selv.")
        # Walk the prerequisites of the prerequisite: reaching this project is a loop.
        seen, frontier = set(), {on_project.pk}
        while frontier:
            if project.pk in frontier:
                raise ServiceError(
                    f"«{on_project}» avhenger allerede av «{project}»; det ville gi en sirkel."
                )
            seen |= frontier
            frontier = (
                set(
                    Dependency.objects.filter(
                        project_id__in=frontier, on_project__isnull=False
                    ).values_list("on_project_id", flat=True)
                )
                - seen
            )
    if Dependency.objects.filter(project=project, on_project=on_project, on_date=on_date).exists():
        raise Conflict("Avhengigheten er registrert fra før.")
    with transaction.atomic():
        dependency = Dependency.objects.create(
            project=project, on_project=on_project, on_date=on_date, kind=kind, note=note.strip()
        )
        audit.record(
            actor=actor,
            action="portfolio.dependency.create",
            obj=dependency,
            changes={"on": [None, str(on_project or on_date)], "kind": [None, kind]},
        )
    return dependency
