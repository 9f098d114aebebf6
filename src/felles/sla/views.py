"""SLA report: compliance per provider, service and ministry and month, with a chart and
export; approval lead time per ministry."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from felles.core.exports import csv_response, xlsx_response
from felles.core.permissions import requires
from felles.sla import selectors

HEADERS = [
    "Gruppe",
    "Måned",
    "Avsluttet",
    "Overholdt",
    "Brudd",
    "Etterlevelse %",
    "Median timer",
    "90-persentil timer",
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
        return xlsx_response(f"sla-{group}.xlsx", HEADERS, table)
    if fmt == "csv":
        return csv_response(f"sla-{group}.csv", HEADERS, table)
    # A plain server-rendered SVG bar chart (no scripts; the CSP forbids inline ones).
    # Coordinates are whole numbers: templates would localise floats with a decimal comma.
    chart = [
        {
            "label": f"{r.group} {r.month}",
            "value": r.compliance or 0,
            "width": round(3 * (r.compliance or 0)),
            "y": 14 * i,
            "text_y": 14 * i + 10,
            "value_x": 205 + round(3 * (r.compliance or 0)),
        }
        for i, r in enumerate(rows[-12:])
    ]
    return render(
        request,
        "sla/report.html",
        {
            "rows": rows,
            "group": group,
            "groups": [(k, v[1]) for k, v in selectors.GROUPS.items()],
            "group_label": selectors.GROUPS[group][1],
            "chart": chart,
            "approvals": selectors.approval_lead_times(slas),
            "chart_height": 14 * len(chart) + 4,
        },
    )
