"""Cost-model pages: the three allocation methods side by side, and every computed price
with its calculation basis."""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from felles.core.exports import xlsx_response
from felles.core.permissions import authenticated, get_visible_or_404, requires
from felles.costing import selectors


@requires(authenticated)
def model_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "costing/model_list.html", {"models": selectors.models_for(request.user)}
    )


@requires(authenticated)
def model_detail(request: HttpRequest, model_id: uuid.UUID) -> HttpResponse:
    model = get_visible_or_404(selectors.models_for(request.user), uuid=model_id)
    method = request.GET.get("metode", "reciprocal")
    if method not in selectors.METHOD_LABELS:
        method = "reciprocal"
    result = selectors.compute(model, method)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            f"priser-{model.provider.abbreviation}-{model.year}.xlsx",
            [
                "Tjeneste",
                "Linje",
                "Fullkost",
                "Planlagt volum",
                "Enhet",
                "Pris (fullkost)",
                "Pris (dekningsbidrag)",
                "Beregningsgrunnlag",
            ],
            (
                [
                    p.service.name_nb,
                    p.line,
                    p.full_cost,
                    p.planned_volume,
                    p.service.unit_label,
                    p.unit_price,
                    p.marginal_price,
                    p.basis,
                ]
                for p in result.prices
            ),
        )
    rows = [
        {
            "centre": line["centre"],
            "full_cost": line["full_cost"],
            "by_method": [
                result.comparison[m][line["centre"].code] for m in selectors.METHOD_LABELS
            ],
        }
        for line in result.lines
    ]
    return render(
        request,
        "costing/model_detail.html",
        {
            "model": model,
            "result": result,
            "rows": rows,
            "method": method,
            "methods": list(selectors.METHOD_LABELS.items()),
            "support": [c for c in model.centres.all() if c.kind == "support"],
        },
    )
