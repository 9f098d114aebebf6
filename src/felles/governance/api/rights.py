"""API: the decision-rights table (DFD edits it; everyone reads it)."""

from typing import Literal

from django.http import HttpRequest
from ninja import Router
from ninja.responses import Status
from pydantic import Field

from felles.core.actor import Actor
from felles.core.api import responses
from felles.core.permissions import api_requires, authenticated, get_visible_or_404
from felles.core.schemas import Schema
from felles.governance import selectors, services
from felles.governance.api.common import LevelName
from felles.governance.models import DecisionRight

router = Router(tags=["styring"])


class RightOut(Schema):
    code: str
    topic: str
    description: str
    decider: str
    level: str
    hear_ministries: bool
    hear_council: bool
    hear_forum: str
    hearing_days: int


class RightIn(Schema):
    topic: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=5000)
    decider: Literal["provider", "dfd"]
    level: LevelName
    hear_ministries: bool = False
    hear_council: bool = False
    hear_forum: str = Field("", max_length=200)
    hearing_days: int = Field(10, ge=0, le=60)


@router.get("/governance/rights", response=responses(list[RightOut]))
@api_requires(authenticated)
def list_rights(request: HttpRequest) -> object:
    return selectors.rights()


class NewRightIn(RightIn):
    code: str = Field(..., pattern=r"^[a-z0-9-]{1,40}$")


@router.post("/governance/rights", response=responses(RightOut, 201))
@api_requires(selectors.is_governance)
def create_right(request: HttpRequest, payload: NewRightIn) -> Status:
    values = payload.model_dump()
    code = values.pop("code")
    return Status(
        201,
        services.save_decision_right(actor=Actor.from_request(request), code=code, values=values),
    )


@router.put("/governance/rights/{code}", response=responses(RightOut))
@api_requires(authenticated)  # DFD only: the service refuses others with 403
def put_right(request: HttpRequest, code: str, payload: RightIn) -> object:
    right = get_visible_or_404(DecisionRight.objects.all(), code=code)
    return services.save_decision_right(
        actor=Actor.from_request(request), code=code, values=payload.model_dump(), right=right
    )
