"""SLA report: compliance per provider, service and ministry and month, with a chart and
export; approval lead time per ministry."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext, gettext_lazy

from felles.core.exports import csv_response, xlsx_response
from felles.core.permissions import requires
from felles.sla import selectors
from felles.sla.agreed import agreed_vs_delivered

HEADERS = [
    gettext_lazy("Gruppe"),
    gettext_lazy("Måned"),
    gettext_lazy("Avsluttet"),
    gettext_lazy("Overholdt"),
    gettext_lazy("Brudd"),
    gettext_lazy("Etterlevelse %"),
    gettext_lazy("Median timer"),
    gettext_lazy("90-persentil timer"),
]


@requires(selectors.may_see_reports)
def report(request: HttpRequest) -> HttpResponse:
    group = request.GET.get("gruppe", "provider")
    if group not in selectors.GROUPS:
        group = "provider"
    slas = selectors.slas_for(request.user)
    rows = selectors.compliance(slas, group)
    table = [
        [r.group, r.month, r.finished, r.met, r.breached, r.compliance, r.median_hours, r.p90_hours]
        for r in rows
    ]
    fmt = request.GET.get("format")
    if fmt == "xlsx":
        return xlsx_response(f"sla-{group}.xlsx", [str(h) for h in HEADERS], table)
    if fmt == "csv":
        return csv_response(f"sla-{group}.csv", [str(h) for h in HEADERS], table)
    # The chart (web/static/web/charts.js draws it and adds a table of the same figures):
    # compliance for the last twelve rows, one bar each, 0–100 %, the newest at the top.
    shown = rows[-12:]
    chart = {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "y": [f"{r.group} {r.month}" for r in reversed(shown)],
                "x": [r.compliance or 0 for r in reversed(shown)],
                "name": gettext("Etterlevelse (%)"),
                "hovertemplate": "%{y}: %{x} %<extra></extra>",
            }
        ],
        "layout": {
            "title": {"text": gettext("Andel overholdt løsningstid")},
            "height": max(240, 32 * len(shown) + 110),
            "xaxis": {"range": [0, 100], "title": {"text": gettext("Etterlevelse (%)")}},
            "yaxis": {"type": "category"},
        },
    }
    return render(
        request,
        "sla/report.html",
        {
            "rows": rows,
            "group": group,
            "groups": [(k, str(v[1])) for k, v in selectors.GROUPS.items()],
            "group_label": str(selectors.GROUPS[group][1]),
            "chart": chart if shown else None,
            "approvals": selectors.approval_lead_times(slas),
            "agreed": agreed_vs_delivered(request.user, slas),
        },
    )
