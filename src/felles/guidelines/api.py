"""API: the guideline library (search, a guideline with its versions), a ministry's answer
to the version in force, and the matrix across the ministries. The same services and
visibility rules as the pages."""

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from felles.core.actor import Actor
from felles.core.api import Pagination, responses
from felles.core.permissions import api_requires, authenticated, get_visible_or_404
from felles.core.services import Conflict, Forbidden
from felles.guidelines import selectors, services
from felles.guidelines.models import Guideline, Version
from felles.guidelines.schemas import (
    AdoptionIn,
    AdoptionOut,
    GuidelineDetailOut,
    GuidelineOut,
    MatrixRowOut,
)

router = Router(tags=["retningslinjer"])


def _status(versions: list[Version]) -> tuple[str, int | None]:
    current = next((v for v in versions if v.status == Version.Status.ADOPTED), None)
    newest = versions[0] if versions else None
    status = (current or newest).status if (current or newest) else ""  # type: ignore[union-attr]
    return status, current.number if current else None


def _out(g: Guideline, versions: list[Version]) -> dict[str, Any]:
    status, current = _status(versions)
    return {
        "code": g.code,
        "title": g.title,
        "kind": g.kind,
        "area": g.area.code,
        "owner": g.owner.abbreviation,
        "status": status,
        "current_version": current,
    }


@router.get("/guidelines", response=responses(list[GuidelineOut]))
@api_requires(authenticated)
@paginate(Pagination)
def list_guidelines(request: HttpRequest, q: str = "", area: str = "") -> object:
    found = selectors.guidelines_for(request.user, q=q[:200], area=area[:40])
    return [_out(g, g.seen_versions) for g in found]  # type: ignore[attr-defined]


@router.get("/guidelines/matrix", response=responses(list[MatrixRowOut]))
@api_requires(selectors.may_see_matrix)
def guideline_matrix(request: HttpRequest) -> object:
    _orgs, rows = selectors.matrix(request.user)
    return [
        {
            "guideline": r.guideline.code,
            "version": r.version.number,
            "respond_by": r.version.respond_by,
            "cells": [
                {
                    "ministry": c.ministry.abbreviation,
                    "status": c.adoption.status if c.adoption else None,
                    "ends_on": c.adoption.ends_on if c.adoption else None,
                    "overdue": c.overdue,
                }
                for c in r.cells
            ],
        }
        for r in rows
    ]


@router.get("/guidelines/{code}", response=responses(GuidelineDetailOut))
@api_requires(authenticated)
def get_guideline(request: HttpRequest, code: str) -> object:
    g = get_visible_or_404(selectors.guidelines_for(request.user), code=code)
    versions = list(selectors.versions_for(request.user, g))
    return {
        **_out(g, versions),
        "versions": [
            {
                "id": v.uuid,
                "number": v.number,
                "status": v.status,
                "effective_from": v.effective_from,
                "respond_by": v.respond_by,
                "case": v.case.number if v.case else None,
                "changes": v.changes,
                "text": v.text,
                "adopted_at": v.adopted_at,
            }
            for v in versions
        ],
    }


@router.put("/guidelines/{code}/adoption", response=responses(AdoptionOut))
@api_requires(authenticated)
def record_adoption(request: HttpRequest, code: str, payload: AdoptionIn) -> object:
    """The caller's ministry answers for the version in force: adopted, adopted with a
    local addition, or an exception with its reason and end date."""
    g = get_visible_or_404(selectors.guidelines_for(request.user), code=code)
    ministry = selectors.answering_ministry(request.user)
    if ministry is None:
        raise Forbidden("Du kan ikke svare for et departement.")
    current = selectors.current_version(g)
    if current is None:
        raise Conflict("Retningslinjen har ingen vedtatt versjon.")
    adoption = services.record_adoption(
        actor=Actor.from_request(request),
        version=current,
        ministry=ministry,
        status=payload.status,
        addition=payload.addition,
        reason=payload.reason,
        ends_on=payload.ends_on,
    )
    return {
        "guideline": g.code,
        "version": current.number,
        "ministry": ministry.abbreviation,
        "status": adoption.status,
        "addition": adoption.addition,
        "reason": adoption.reason,
        "ends_on": adoption.ends_on,
    }
