"""API: hr — a ministry's HR figures and the community's totals, suppressed exactly as on
the pages (hr.rules): a hidden cell has no value, only its text («<5» or «..»)."""

from decimal import Decimal

from django.http import Http404, HttpRequest
from ninja import Router

from felles.core.api import responses
from felles.core.permissions import api_requires, authenticated
from felles.core.schemas import Schema
from felles.hr import selectors

router = Router(tags=["hr"])


class CellOut(Schema):
    measure: str
    breakdown: str
    value: Decimal | None
    text: str
    hidden: bool


class FiguresOut(Schema):
    ministry: str
    period: str
    figures: list[CellOut]
    community: list[CellOut]


def _cells(rows: list[selectors.MeasureRow]) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for row in rows:
        for breakdown, cell in ([("", row.total)] if row.total else []) + row.breakdown:
            out.append(
                {
                    "measure": row.measure,
                    "breakdown": breakdown,
                    "value": cell.shown,
                    "text": cell.text,
                    "hidden": cell.hidden,
                }
            )
    return out


@router.get("/hr/statistics/{abbreviation}", response=responses(FiguresOut))
@api_requires(authenticated)
def statistics(request: HttpRequest, abbreviation: str, period: str = "") -> object:
    """A ministry's figures for a period (the latest when none is given) with the
    community's totals. A ministry outside the caller's reach is a 404."""
    ministry = selectors.ministry_for(request.user, abbreviation)
    if ministry is None:
        raise Http404
    available = selectors.periods([ministry.pk])
    if period not in available:
        if period:
            raise Http404
        period = available[0] if available else ""
    return {
        "ministry": ministry.abbreviation,
        "period": period,
        "figures": _cells(selectors.ministry_figures(ministry, period)) if period else [],
        "community": _cells(selectors.community_figures(period)) if period else [],
    }
