"""API router: the implementation portfolio — projects with their risks, benefits and
costs, the portfolio summary, the model evaluations and the baseline."""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest
from ninja import Body, File, Form, Router
from ninja.files import UploadedFile
from ninja.responses import Status
from pydantic import Field

from felles.catalog.models import ServiceArea
from felles.core import uploads
from felles.core.actor import Actor
from felles.core.api import ImportOut, import_result, responses
from felles.core.permissions import api_requires, authenticated, get_visible_or_404
from felles.core.schemas import Schema
from felles.core.services import ServiceError
from felles.organisations.models import Organisation
from felles.portfolio import importing, rules, selectors, services
from felles.portfolio.models import Benefit, Evaluation, Project, Risk

router = Router(tags=["portefølje"])


class ProjectOut(Schema):
    code: str
    name: str
    area: str | None
    chosen_model: str
    responsible: str
    starts_on: dt.date
    ends_on: dt.date
    status: str
    status_reason: str
    priority: int


class RiskOut(Schema):
    id: UUID
    title: str
    likelihood: int
    consequence: int
    score: int
    level: str
    measures: str
    residual_score: int
    residual_level: str
    review_on: dt.date | None


class BenefitOut(Schema):
    id: UUID
    kind: str
    ministry: str
    area: str | None
    measure: str
    baseline_value: Decimal
    target_value: Decimal
    target_on: dt.date
    contributors: list[str]
    realisations: list[dict[str, Any]]


class ProjectDetailOut(ProjectOut):
    description: str
    milestones: list[dict[str, Any]]
    dependencies: list[dict[str, Any]]
    risks: list[RiskOut]
    hump_costs: list[dict[str, Any]]
    transfers: list[dict[str, Any]]
    benefits: list[BenefitOut]
    decisions: list[str]


def _project(p: Project) -> dict[str, Any]:
    return {
        "code": p.code,
        "name": p.name,
        "area": p.area.code if p.area else None,
        "chosen_model": p.chosen_model,
        "responsible": p.responsible.abbreviation,
        "starts_on": p.starts_on,
        "ends_on": p.ends_on,
        "status": p.status,
        "status_reason": p.status_reason,
        "priority": p.priority,
    }


def _risk(r: Risk) -> dict[str, Any]:
    return {
        "id": r.uuid,
        "title": r.title,
        "likelihood": r.likelihood,
        "consequence": r.consequence,
        "score": r.score,
        "level": r.level,
        "measures": r.measures,
        "residual_score": r.residual_score,
        "residual_level": r.residual_level,
        "review_on": r.review_on,
    }


def _benefit(b: Benefit) -> dict[str, Any]:
    return {
        "id": b.uuid,
        "kind": b.kind,
        "ministry": b.ministry.abbreviation,
        "area": b.area.code if b.area else None,
        "measure": b.measure,
        "baseline_value": b.baseline_value,
        "target_value": b.target_value,
        "target_on": b.target_on,
        "contributors": [p.code for p in b.contributors.all()],
        "realisations": [
            {"measured_on": r.measured_on, "value": r.value} for r in b.realisations.all()
        ],
    }


@router.get("/portfolio/projects", response=responses(list[ProjectOut]))
@api_requires(authenticated)
def list_projects(
    request: HttpRequest, area: str = "", status: Literal["", "green", "amber", "red"] = ""
) -> object:
    items = selectors.projects()
    if area:
        items = items.filter(area__code=area)
    if status:
        items = items.filter(status=status)
    return [_project(p) for p in items]


@router.get("/portfolio/projects/{code}", response=responses(ProjectDetailOut))
@api_requires(authenticated)
def get_project(request: HttpRequest, code: str) -> object:
    project = get_visible_or_404(selectors.projects(), code=code)
    return {
        **_project(project),
        "description": project.description,
        "milestones": [
            {"name": m.name, "due_on": m.due_on, "done_on": m.done_on}
            for m in project.milestones.all()
        ],
        "dependencies": [
            {
                "on": str(row.dependency.prerequisite),
                "kind": row.dependency.kind,
                "due": row.due,
                "late": row.late,
            }
            for row in selectors.dependency_rows([project])
        ],
        "risks": [_risk(r) for r in project.risks.all()],
        "hump_costs": [
            {"year": c.year, "kind": c.kind, "amount": c.amount} for c in project.hump_costs.all()
        ],
        "transfers": [
            {
                "ministry": t.ministry.abbreviation,
                "provider": t.provider.abbreviation,
                "fte": t.fte,
                "roles": t.roles,
                "transfer_on": t.transfer_on,
                "status": t.status,
            }
            for t in selectors.transfers_for(request.user, project)
        ],
        "benefits": [_benefit(b) for b in selectors.benefits().filter(project=project)],
        "decisions": [c.number for c in project.decisions.filter(status="decided")],
    }


class StatusIn(Schema):
    status: Literal["green", "amber", "red"]
    reason: str = Field("", max_length=5000)


@router.post("/portfolio/projects/{code}/status", response=responses(ProjectOut))
@api_requires(authenticated)
def set_status(request: HttpRequest, code: str, payload: StatusIn) -> object:
    project = get_visible_or_404(selectors.projects(), code=code)
    return _project(
        services.update_status(
            actor=Actor.from_request(request),
            project=project,
            status=payload.status,
            reason=payload.reason,
        )
    )


class RiskIn(Schema):
    title: str = Field(..., max_length=200)
    description: str = Field("", max_length=5000)
    likelihood: int = Field(..., ge=1, le=5)
    consequence: int = Field(..., ge=1, le=5)
    measures: str = Field("", max_length=5000)
    residual_likelihood: int = Field(..., ge=1, le=5)
    residual_consequence: int = Field(..., ge=1, le=5)
    review_on: dt.date | None = None


@router.post("/portfolio/projects/{code}/risks", response=responses(RiskOut, 201))
@api_requires(authenticated)
def add_risk(request: HttpRequest, code: str, payload: RiskIn) -> Status:
    project = get_visible_or_404(selectors.projects(), code=code)
    risk = services.save_risk(
        actor=Actor.from_request(request), project=project, values=payload.model_dump()
    )
    return Status(201, _risk(risk))


class RealisationIn(Schema):
    measured_on: dt.date
    value: Decimal = Field(..., max_digits=16, decimal_places=2)
    note: str = Field("", max_length=300)


@router.post("/portfolio/benefits/{benefit_id}/realisations", response=responses(BenefitOut))
@api_requires(authenticated)
def add_realisation(request: HttpRequest, benefit_id: UUID, payload: RealisationIn) -> object:
    benefit = get_visible_or_404(selectors.benefits(), uuid=benefit_id)
    services.record_realisation(
        actor=Actor.from_request(request), benefit=benefit, **payload.model_dump()
    )
    return _benefit(selectors.benefits().get(pk=benefit.pk))


class SummaryOut(Schema):
    projects: dict[str, int]
    benefits: dict[str, dict[str, Decimal]]
    hump_costs: list[dict[str, Any]]
    heat_map: list[list[int]]
    late_dependencies: int


@router.get("/portfolio/summary", response=responses(SummaryOut))
@api_requires(authenticated)
def summary(request: HttpRequest) -> object:
    items = list(selectors.projects())
    return {
        "projects": {rag: sum(1 for p in items if p.status == rag) for rag in Project.Rag.values},
        "benefits": selectors.benefit_totals(selectors.benefits()),
        "hump_costs": selectors.hump_costs_by_year(items),
        "heat_map": rules.heat_map(Risk.objects.values_list("likelihood", "consequence")),
        "late_dependencies": sum(1 for r in selectors.dependency_rows(items) if r.late),
    }


class AlternativeOut(Schema):
    name: str
    score: float
    wins_percent: float


class WeightOut(Schema):
    criterion: str
    code: str
    weight: float
    holds_from: float
    holds_to: float


class EvaluationOut(Schema):
    code: str
    title: str
    recommendation: str
    ranking: list[AlternativeOut]
    weights: list[WeightOut]


def _evaluation(computed: selectors.Computed) -> dict[str, Any]:
    return {
        "code": computed.evaluation.code,
        "title": computed.evaluation.title,
        "recommendation": computed.evaluation.recommendation,
        "ranking": [
            {"name": name, "score": round(score, 4), "wins_percent": computed.wins[name]}
            for name, score in computed.ranking
        ],
        "weights": [
            {
                "criterion": criterion.name,
                "code": criterion.code,
                "weight": round(weight, 4),
                "holds_from": round(r.low, 4),
                "holds_to": round(r.high, 4),
            }
            for (criterion, weight), r in zip(computed.weights, computed.sensitivity, strict=True)
        ],
    }


@router.get("/portfolio/evaluations", response=responses(list[EvaluationOut]))
@api_requires(authenticated)
def list_evaluations(request: HttpRequest) -> object:
    return [_evaluation(selectors.compute(e)) for e in selectors.evaluations()]


def _parse_weights(text: str) -> dict[str, float]:
    weights: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        code, _, value = part.partition(":")
        try:
            weights[code.strip()] = float(value)
        except ValueError as exc:
            raise ServiceError(
                "Vekter skrives kode:vekt, kommaseparert.", {"weights": [part]}
            ) from exc
        if not 0 <= weights[code.strip()] <= 100:
            raise ServiceError("Vekter må være mellom 0 og 100.", {"weights": [part]})
    return weights


@router.get("/portfolio/evaluations/{code}", response=responses(EvaluationOut))
@api_requires(authenticated)
def get_evaluation(request: HttpRequest, code: str, weights: str = "") -> object:
    """`weights` (optional): a what-if, e.g. `kvalitet:0.1,kostnad:0.4`; other criteria
    keep their stored weight."""
    evaluation = get_visible_or_404(selectors.evaluations(), code=code)
    try:
        return _evaluation(selectors.compute(evaluation, _parse_weights(weights) or None))
    except rules.RuleError as exc:
        raise ServiceError(str(exc), {"weights": [str(exc)]}) from exc


class WeightsIn(Schema):
    weights: dict[str, Decimal] = Field(
        ..., description="Ny vekt per kriteriekode (0–100); andre kriterier beholder sin."
    )


@router.put("/portfolio/evaluations/{code}/weights", response=responses(EvaluationOut))
@api_requires(authenticated)  # DFD only: the service refuses others with 403
def put_weights(request: HttpRequest, code: str, payload: Body[WeightsIn]) -> object:
    evaluation = get_visible_or_404(Evaluation.objects.all(), code=code)
    if any(not Decimal(0) <= w <= Decimal(100) for w in payload.weights.values()):
        raise ServiceError("Vekter må være mellom 0 og 100.", {"weights": ["0–100."]})
    services.save_weights(
        actor=Actor.from_request(request), evaluation=evaluation, weights=payload.weights
    )
    return _evaluation(selectors.compute(evaluation))


class BaselineOut(Schema):
    ministry: str
    area: str
    measure: str
    name: str
    unit: str
    value: Decimal
    measured_on: dt.date


@router.get("/portfolio/baseline", response=responses(list[BaselineOut]))
@api_requires(authenticated)
def list_baseline(request: HttpRequest) -> object:
    return [
        {
            "ministry": b.ministry.abbreviation,
            "area": b.area.code,
            "measure": b.measure,
            "name": b.name,
            "unit": b.unit,
            "value": b.value,
            "measured_on": b.measured_on,
        }
        for b in selectors.baseline_for(request.user)
    ]


@router.post("/portfolio/baseline", response=responses(ImportOut))
@api_requires(selectors.may_manage_portfolio)
def import_baseline(
    request: HttpRequest,
    file: File[UploadedFile | None] = None,  # optional, so the rule is checked first
    dry_run: Form[bool] = True,
) -> object:
    """Import baseline figures from CSV/XLSX (multipart field `file`). With `dry_run` (the
    default) nothing is written; every row error is listed. Without it the file is written
    whole or not at all."""
    if file is None:
        raise ServiceError("Last opp en fil (CSV eller XLSX).", {"file": ["Mangler."]})
    plan = importing.plan_baseline(uploads.read_upload(file), file.name or "fil.csv")
    applied = False
    if plan.ok and not dry_run and plan.creates:
        importing.apply_baseline(actor=Actor.from_request(request), plan=plan)
        applied = True
    return import_result(plan, applied)


class MilestoneIn(Schema):
    name: str = Field(..., max_length=200)
    due_on: dt.date


@router.post("/portfolio/projects/{code}/milestones", response=responses(dict[str, Any], 201))
@api_requires(authenticated)
def add_milestone(request: HttpRequest, code: str, payload: MilestoneIn) -> Status:
    project = get_visible_or_404(selectors.projects(), code=code)
    milestone = services.save_milestone(
        actor=Actor.from_request(request), project=project, **payload.model_dump()
    )
    return Status(201, {"name": milestone.name, "due_on": milestone.due_on.isoformat()})


class HumpCostIn(Schema):
    year: int = Field(..., ge=2020, le=2100)
    kind: Literal["transition", "investment"]
    amount: Decimal = Field(..., ge=0, max_digits=14, decimal_places=2)
    note: str = Field("", max_length=300)


@router.put("/portfolio/projects/{code}/hump-costs", response=responses(dict[str, Any]))
@api_requires(authenticated)
def put_hump_cost(request: HttpRequest, code: str, payload: HumpCostIn) -> object:
    project = get_visible_or_404(selectors.projects(), code=code)
    cost = services.save_hump_cost(
        actor=Actor.from_request(request), project=project, **payload.model_dump()
    )
    return {"year": cost.year, "kind": cost.kind, "amount": str(cost.amount)}


class TransferIn(Schema):
    ministry: str = Field(..., max_length=12)
    provider: Literal["DSS", "DIO"]
    fte: Decimal = Field(..., gt=0, max_digits=7, decimal_places=2)
    roles: str = Field("", max_length=300)
    transfer_on: dt.date
    status: Literal["planned", "agreed", "completed"] = "planned"


@router.post("/portfolio/projects/{code}/transfers", response=responses(dict[str, Any], 201))
@api_requires(authenticated)
def add_transfer(request: HttpRequest, code: str, payload: TransferIn) -> Status:
    project = get_visible_or_404(selectors.projects(), code=code)
    data = payload.model_dump()
    ministry = Organisation.objects.customers().filter(abbreviation=data.pop("ministry")).first()
    if ministry is None:
        raise ServiceError("Ukjent departement.", {"ministry": ["Ukjent departement."]})
    data["provider"] = Organisation.objects.get(abbreviation=data["provider"])
    transfer = services.save_transfer(
        actor=Actor.from_request(request), project=project, ministry=ministry, **data
    )
    return Status(201, {"ministry": ministry.abbreviation, "fte": str(transfer.fte)})


class BenefitIn(Schema):
    kind: Literal["fte_freed", "cost_reduced", "floor_space", "quality"]
    ministry: str = Field(..., max_length=12)
    area: str = Field("", max_length=40)
    measure: str = Field(..., max_length=200)
    baseline_value: Decimal = Field(..., max_digits=16, decimal_places=2)
    target_value: Decimal = Field(..., max_digits=16, decimal_places=2)
    target_on: dt.date


@router.post("/portfolio/projects/{code}/benefits", response=responses(BenefitOut, 201))
@api_requires(authenticated)
def add_benefit(request: HttpRequest, code: str, payload: BenefitIn) -> Status:
    project = get_visible_or_404(selectors.projects(), code=code)
    data = payload.model_dump()
    ministry = Organisation.objects.customers().filter(abbreviation=data["ministry"]).first()
    area = ServiceArea.objects.filter(code=data["area"]).first() if data["area"] else None
    errors = {}
    if ministry is None:
        errors["ministry"] = ["Ukjent departement."]
    if data["area"] and area is None:
        errors["area"] = ["Ukjent område."]
    if errors:
        raise ServiceError("Gevinstplanen har ugyldige felt.", errors)
    benefit = services.save_benefit(
        actor=Actor.from_request(request),
        project=project,
        values={**data, "ministry": ministry, "area": area},
    )
    return Status(201, _benefit(selectors.benefits().get(pk=benefit.pk)))
