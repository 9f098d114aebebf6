"""The access matrix: every URL and API operation, every persona, the expected answer.

Adding a route without adding it here fails `test_every_route_is_declared`, and a route
whose view declares no permission rule fails `test_every_view_declares_its_rule`. Each
case builds its own objects (an object of KUD, the employee's ministry) so state-changing
requests can run once per persona.
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from felles.conf.api import api
from felles.core.actor import Actor
from felles.core.services import create_api_token
from felles.organisations import services

PERSONAS = (
    "anonymous",
    "employee",
    "manager",
    "coordinator",
    "outsider",
    "agent",
    "governance",
    "auditor",
    "admin",
)
ALL = dict.fromkeys(PERSONAS[1:], 200)
_dates = itertools.count()


def seeded(p) -> Any:
    """The seed catalogue (once per test) and a helper to place Kari's orders."""
    from felles.catalog import services as catalog_services
    from felles.catalog.models import Service

    if not Service.objects.exists():
        catalog_services.seed_catalogue(
            actor=Actor.system("matrix"), price_from=dt.date(2026, 1, 1)
        )
    return Service.objects


def service_id(code: str) -> Callable[[Any], dict[str, Any]]:
    return lambda p: {"service_id": seeded(p).get(code=code).uuid}


def karis_phone_order(p) -> Any:
    """A DSS order (mobile phone, below the budget threshold) waiting for Per."""
    from felles.orders import services as order_services

    svc = seeded(p).get(code="srv-mobil")
    return order_services.submit_order(
        actor=Actor.system("matrix"),
        orderer=p.employee,
        service=svc,
        answers={"mottaker": {"label": "Mottaker", "value": None}},
    )


def order_id(p) -> dict[str, Any]:
    return {"order_id": karis_phone_order(p).uuid}


def step_id(p) -> dict[str, Any]:
    return {"step_id": karis_phone_order(p).steps.get().uuid}


def approval_token(p) -> dict[str, Any]:
    from felles.orders import services as order_services

    return {"token": order_services.approval_token(karis_phone_order(p).steps.get())}


def meeting_body(p) -> dict[str, Any]:
    return {
        "service_id": str(seeded(p).get(code="srv-moterom").uuid),
        "answers": {
            "dato": "2026-12-10",
            "tidspunkt": "09:00–10:00",
            "deltakere": 4,
            "oppsett": "U-bord",
        },
    }


def demo_cost_model(p) -> Any:
    from felles.costing import demo

    seeded(p)
    return demo.load(actor=Actor.system("matrix"), year=2026)


def demo_price_list(p) -> Any:
    from felles.costing import services as costing_services

    return costing_services.propose_price_list(
        actor=Actor.system("matrix"), model=demo_cost_model(p), effective_from=dt.date(2027, 1, 1)
    )


def kud_invoice(p) -> Any:
    """An issued DSS invoice to KUD for October 2026 (once per test)."""
    from felles.invoicing.models import Invoice
    from felles.testing import add_billing, issued_run

    existing = Invoice.objects.filter(ministry=p.kud, number__isnull=False).first()
    if existing:
        return existing
    seeded(p)
    return Invoice.objects.get(run=issued_run(add_billing(p)))


def invoice_id(p) -> dict[str, Any]:
    return {"invoice_id": kud_invoice(p).uuid}


def invoice_line(p) -> dict[str, Any]:
    return {"invoice_id": kud_invoice(p).uuid, "position": 1}


def run_usage(p) -> dict[str, Any]:
    run = kud_invoice(p).run
    return {"run_id": run.uuid, "usage_id": run.usage.first().uuid}


def fresh_absence(p) -> dict[str, Any]:
    start = dt.date(2030, 1, 1) + dt.timedelta(days=3 * next(_dates))
    absence = services.register_absence(
        actor=Actor.system("matrix"), person=p.employee, starts_on=start, ends_on=start
    )
    return {"absence_id": absence.uuid}


def employee_token(p) -> dict[str, Any]:
    issued = create_api_token(actor=Actor.system("matrix"), user=p.employee.user, name="m")
    return {"token_id": issued.token.uuid}


def absence_body(p) -> dict[str, Any]:
    start = dt.date(2031, 1, 1) + dt.timedelta(days=3 * next(_dates))
    return {"person_id": str(p.employee.uuid), "starts_on": str(start), "ends_on": str(start)}


def governance_case(p) -> Any:
    """A fresh operative case KUD's coordinator raised with DSS."""
    from felles.governance import services as governance_services
    from felles.governance.models import DecisionRight

    governance_services.seed_decision_rights(actor=Actor.system("matrix"))
    return governance_services.raise_case(
        actor=Actor.system("matrix"),
        raised_by=p.coordinator,
        right=DecisionRight.objects.get(code="rutiner"),
        provider=p.dss,
        title="Rutine",
        description="Beskrivelse",
    )


def case_id(p) -> dict[str, Any]:
    return {"case_id": governance_case(p).uuid}


def kud_series(p) -> Any:
    """KUD's operative dialogue with DSS (once per test)."""
    from felles.governance import services as governance_services

    return governance_services.save_series(
        actor=Actor.system("matrix"), provider=p.dss, ministry=p.kud, level="operative"
    )


def series_id(p) -> dict[str, Any]:
    return {"series_id": kud_series(p).uuid}


def action_id(p) -> dict[str, Any]:
    from felles.governance import services as governance_services

    meeting = governance_services.record_meeting(
        actor=Actor.system("matrix"),
        series=kud_series(p),
        held_on=dt.date(2026, 1, 5),
        minutes="Referat",
        actions=[("Følg opp", p.coordinator, dt.date(2026, 2, 1))],
    )
    return {"action_id": meeting.actions.get().uuid}


def proposal_id(p) -> dict[str, Any]:
    from decimal import Decimal

    from felles.governance import services as governance_services

    proposal = governance_services.submit_budget_proposal(
        actor=Actor.system("matrix"),
        provider=p.dss,
        year=2028,
        title="Forslag",
        amount=Decimal(1000),
        description="Beskrivelse",
    )
    return {"proposal_id": proposal.uuid}


def council_term(p) -> dict[str, Any]:
    from felles.governance.models import CouncilTerm

    term = CouncilTerm.objects.create(
        ministry=p.kud,
        starts_on=dt.date(2040, 1, 1) + dt.timedelta(days=next(_dates)),
        ends_on=dt.date(2041, 1, 1),
    )
    return {"term_id": term.uuid}


def seeded_portfolio(p) -> Any:
    """The review's evaluations and programme (once per test)."""
    from felles.portfolio import services as portfolio_services

    seeded(p)
    portfolio_services.seed_evaluations(actor=Actor.system("matrix"))
    portfolio_services.seed_portfolio(actor=Actor.system("matrix"))
    return p


def project_code(p) -> dict[str, Any]:
    seeded_portfolio(p)
    return {"code": "sikkerhet"}


def evaluation_code(p) -> dict[str, Any]:
    seeded_portfolio(p)
    return {"code": "hr"}


def benefit_id(p) -> dict[str, Any]:
    from decimal import Decimal

    from felles.portfolio import services as portfolio_services
    from felles.portfolio.models import Project

    seeded_portfolio(p)
    project = Project.objects.get(code="sikkerhet")
    benefit = portfolio_services.save_benefit(
        actor=Actor.system("matrix"),
        project=project,
        values={
            "kind": "quality",
            "ministry": p.kud,
            "area": project.area,
            "measure": f"Måltall {next(_dates)}",
            "baseline_value": Decimal(1),
            "target_value": Decimal(2),
            "target_on": dt.date(2027, 1, 1),
        },
    )
    return {"benefit_id": benefit.uuid}


@dataclass
class Case:
    method: str
    expected: dict[str, int]
    kwargs: Callable[[Any], dict[str, Any]] = lambda p: {}
    body: Callable[[Any], dict[str, Any]] | None = None
    anonymous: int = 302  # web pages send anonymous users to the login page
    extra: dict[str, Any] = field(default_factory=dict)


KUD_PERSON = {**ALL, "outsider": 404}
# Kari's DSS order: Kari, her approver Per, KUD's coordinator, the DSS agent serving KUD,
# the auditor and the administrator see it; FIN's adviser and DFD's governance user do not.
KARIS_ORDER = {**ALL, "outsider": 404, "governance": 404}
# Comments: the orderer's side and the provider's side only.
KARIS_ORDER_COMMENT = {
    "employee": 302,
    "manager": 403,
    "coordinator": 403,
    "outsider": 404,
    "agent": 302,
    "governance": 404,
    "auditor": 403,
    "admin": 403,
}
ONLY_PER_DECIDES = {**dict.fromkeys(PERSONAS[1:], 404), "manager": 302}
# Ministry people order; provider staff (DSS: the agent and the administrator) do not.
ORDERING = {**ALL, "agent": 404, "admin": 404}
ADMIN_ONLY = {**dict.fromkeys(PERSONAS[1:], 403), "admin": 200}
# KUD's bill: its budget holder (Per) and ordering coordinator, and the cross-ministry
# readers; employees and provider agents do not follow bills. No standing persona is a
# provider manager (provider finance): their pages are 403 here, tested in invoicing/tests.
KUD_BILL = {
    **dict.fromkeys(PERSONAS[1:], 200),
    "employee": 403,
    "outsider": 403,
    "agent": 403,
}
NOBODY = dict.fromkeys(PERSONAS[1:], 403)
CROSS_READERS = {**NOBODY, "governance": 200, "auditor": 200, "admin": 200}
# Governance: people with a responsibility raise cases (not every employee, not the
# auditor); an operative case is seen by the ministry that raised it and the provider, not
# by DFD (until it reaches the strategic level) and not by other ministries.
MAY_RAISE = {**ALL, "employee": 403, "outsider": 403, "auditor": 403, "admin": 403}
KUD_CASE = {**ALL, "outsider": 404, "governance": 404}
KUD_CASE_ACTION = {**KUD_CASE, "employee": 403, "auditor": 403, "admin": 403}
# KUD's dialogue with DSS is written by its parties: KUD's leaders and coordinators and
# DSS's staff; DFD, the auditor and the administrator read it.
KUD_DIALOGUE = {
    "employee": 403,  # employees are no party to the dialogue (the rule refuses them)
    "manager": 302,
    "coordinator": 302,
    "outsider": 404,
    "agent": 302,
    "governance": 403,
    "auditor": 403,
    "admin": 403,
}
DIALOGUE_READERS = {**ALL, "employee": 403, "outsider": 403}

WEB: dict[str, Case] = {
    "home": Case("GET", ALL),
    "login": Case("GET", dict.fromkeys(PERSONAS[1:], 302), anonymous=200),
    "logout": Case("POST", dict.fromkeys(PERSONAS[1:], 302), anonymous=302),
    "set_language": Case(
        "POST",
        dict.fromkeys(PERSONAS[1:], 302),
        anonymous=302,
        body=lambda p: {"language": "en", "next": "/"},
    ),
    "healthz": Case("GET", ALL, anonymous=200),
    "organisations": Case("GET", ALL),
    "organisation": Case("GET", ALL, kwargs=lambda p: {"organisation_id": p.kud.uuid}),
    "people": Case("GET", ALL),
    "person": Case("GET", KUD_PERSON, kwargs=lambda p: {"person_id": p.employee.uuid}),
    "absence_cancel": Case(
        "POST",
        {
            "employee": 302,
            "manager": 302,
            "coordinator": 403,
            "outsider": 404,
            "agent": 404,
            "governance": 404,
            "auditor": 403,
            "admin": 302,
        },
        kwargs=fresh_absence,
    ),
    "import": Case("GET", ADMIN_ONLY),
    "role_add": Case(
        "POST",
        {**dict.fromkeys(PERSONAS[1:], 403), "admin": 302},
        kwargs=lambda p: {"person_id": p.employee.uuid},
        body=lambda p: {"role": "budget_holder"},
    ),
    "role_remove": Case(
        "POST",
        {**dict.fromkeys(PERSONAS[1:], 403), "admin": 302},
        kwargs=lambda p: {"role_id": p.employee.roles.get().uuid},
    ),
    "audit": Case("GET", {**ADMIN_ONLY, "auditor": 200}),
    "jobs": Case("GET", ADMIN_ONLY),
    "tokens": Case("GET", ALL),
    "catalogue": Case("GET", ALL),
    "service": Case("GET", ALL, kwargs=service_id("srv-moterom")),
    "service_edit": Case("GET", ADMIN_ONLY, kwargs=service_id("srv-moterom")),
    "order_new": Case("GET", ORDERING, kwargs=service_id("srv-moterom")),
    "my_orders": Case("GET", ALL),
    "ministry_orders": Case("GET", {**dict.fromkeys(PERSONAS[1:], 403), "coordinator": 200}),
    "order": Case("GET", KARIS_ORDER, kwargs=order_id),
    "order_action": Case(
        "POST",
        KARIS_ORDER_COMMENT,
        kwargs=order_id,
        body=lambda p: {"action": "comment", "text": "Hei"},
    ),
    "approvals": Case("GET", ALL),
    "approval_decide": Case(
        "POST", ONLY_PER_DECIDES, kwargs=step_id, body=lambda p: {"decision": "approve"}
    ),
    "approval_link": Case("GET", ALL, anonymous=200, kwargs=approval_token),
    "sla_report": Case(
        "GET",
        {
            **dict.fromkeys(PERSONAS[1:], 403),
            "coordinator": 200,
            "governance": 200,
            "auditor": 200,
            "admin": 200,
        },
    ),
    "cost_models": Case("GET", ALL),
    "cost_model": Case("GET", ALL, kwargs=lambda p: {"model_id": demo_cost_model(p).uuid}),
    # Only the provider's managers propose prices (no standing persona is one: 403 for all;
    # the success path is tested in costing/tests).
    "propose_prices": Case(
        "POST",
        dict.fromkeys(PERSONAS[1:], 403),
        kwargs=lambda p: {"model_id": demo_cost_model(p).uuid},
        body=lambda p: {"effective_from": "2027-01-01"},
    ),
    "price_list": Case("GET", ALL, kwargs=lambda p: {"price_list_id": demo_price_list(p).uuid}),
    "queue": Case("GET", {**dict.fromkeys(PERSONAS[1:], 403), "agent": 200}),
    "invoices": Case("GET", KUD_BILL),
    "invoice": Case("GET", KUD_BILL, kwargs=invoice_id),
    "invoice_line": Case("GET", KUD_BILL, kwargs=invoice_line),
    "invoice_dispute": Case(
        "POST",
        {**NOBODY, "manager": 302, "coordinator": 302},
        kwargs=invoice_line,
        body=lambda p: {"reason": "Feil antall"},
    ),
    "invoice_credit": Case("POST", NOBODY, kwargs=invoice_id, body=lambda p: {"reason": "x"}),
    "invoice_runs": Case("GET", CROSS_READERS),
    "invoice_run": Case("GET", CROSS_READERS, kwargs=lambda p: {"run_id": kud_invoice(p).run.uuid}),
    # Correcting a usage row of a draft run: provider finance only (tested in invoicing/tests).
    "invoice_run_usage": Case("GET", NOBODY, kwargs=run_usage),
    "usage_import": Case("GET", NOBODY),
    "invoice_dispute_resolve": Case(
        "POST", NOBODY, kwargs=lambda p: {"dispute_id": uuid.uuid4()}, body=lambda p: {}
    ),
    "governance_cases": Case("GET", ALL),
    "case_new": Case("GET", MAY_RAISE),
    "case": Case("GET", KUD_CASE, kwargs=case_id),
    "decisions": Case("GET", ALL),
    "decisions_feed": Case("GET", ALL, anonymous=401),
    "decision_rights": Case("GET", ALL),
    "decision_right": Case(
        "GET",
        {**NOBODY, "governance": 200},
        kwargs=lambda p: {"code": governance_case(p).right.code},
    ),
    "council": Case("GET", ALL),
    "dialogue": Case("GET", DIALOGUE_READERS),
    "series": Case("GET", DIALOGUE_READERS, kwargs=series_id),
    "meeting_pack": Case("GET", DIALOGUE_READERS, kwargs=series_id),
    "action_done": Case("POST", {**KUD_DIALOGUE, "outsider": 403}, kwargs=action_id),
    "portfolio": Case("GET", ALL, kwargs=lambda p: seeded_portfolio(p) and {}),
    "project": Case("GET", ALL, kwargs=project_code),
    "evaluations": Case("GET", ALL, kwargs=lambda p: seeded_portfolio(p) and {}),
    "evaluation": Case("GET", ALL, kwargs=evaluation_code),
    "baseline": Case("GET", ALL),
    "budget": Case("GET", ALL),
    "transfers": Case("GET", ALL),
    "recovery": Case("GET", ALL, kwargs=lambda p: seeded(p) and {}),
    "token_revoke": Case(
        "POST", {**dict.fromkeys(PERSONAS[1:], 404), "employee": 302}, kwargs=employee_token
    ),
}

API: dict[str, Case] = {
    "GET /me": Case("GET", ALL, anonymous=401),
    "GET /organisations": Case("GET", ALL, anonymous=401),
    "GET /organisations/{organisation_id}": Case(
        "GET", ALL, anonymous=401, kwargs=lambda p: {"organisation_id": p.kud.uuid}
    ),
    "GET /units": Case("GET", ALL, anonymous=401),
    "GET /units/{unit_id}": Case(
        "GET", KUD_PERSON, anonymous=401, kwargs=lambda p: {"unit_id": p.unit.uuid}
    ),
    "GET /people": Case("GET", ALL, anonymous=401),
    "GET /people/{person_id}": Case(
        "GET", KUD_PERSON, anonymous=401, kwargs=lambda p: {"person_id": p.employee.uuid}
    ),
    "GET /absences": Case("GET", ALL, anonymous=401),
    "POST /absences": Case(
        "POST",
        {
            "employee": 201,
            "manager": 201,
            "coordinator": 403,
            "outsider": 404,
            "agent": 403,
            "governance": 403,
            "auditor": 403,
            "admin": 201,
        },
        anonymous=401,
        body=absence_body,
    ),
    "DELETE /absences/{absence_id}": Case(
        "DELETE",
        {
            "employee": 204,
            "manager": 204,
            "coordinator": 403,
            "outsider": 404,
            "agent": 404,
            "governance": 404,
            "auditor": 403,
            "admin": 204,
        },
        anonymous=401,
        kwargs=fresh_absence,
    ),
    "GET /tokens": Case("GET", ALL, anonymous=401),
    "GET /catalog/areas": Case("GET", ALL, anonymous=401),
    "GET /catalog/services": Case("GET", ALL, anonymous=401),
    "GET /catalog/services/{service_id}": Case(
        "GET", ALL, anonymous=401, kwargs=service_id("srv-moterom")
    ),
    "GET /orders": Case("GET", ALL, anonymous=401),
    "POST /orders": Case(
        "POST",
        {**{k: 201 for k in ORDERING if ORDERING[k] == 200}, "agent": 404, "admin": 404},
        anonymous=401,
        body=meeting_body,
    ),
    "GET /orders/{order_id}": Case("GET", KARIS_ORDER, anonymous=401, kwargs=order_id),
    "POST /orders/{order_id}/actions": Case(
        "POST",
        {k: 200 if v == 302 else v for k, v in KARIS_ORDER_COMMENT.items()},
        anonymous=401,
        kwargs=order_id,
        body=lambda p: {"action": "comment", "text": "Hei"},
    ),
    "GET /approvals": Case("GET", ALL, anonymous=401),
    "POST /approvals/{step_id}": Case(
        "POST",
        {k: 200 if v == 302 else v for k, v in ONLY_PER_DECIDES.items()},
        anonymous=401,
        kwargs=step_id,
        body=lambda p: {"decision": "approve"},
    ),
    "GET /governance/rights": Case("GET", ALL, anonymous=401),
    "PUT /governance/rights/{code}": Case(
        "PUT",
        {**NOBODY, "governance": 200},
        anonymous=401,
        kwargs=lambda p: {"code": governance_case(p).right.code},
        body=lambda p: {"topic": "Rutiner", "decider": "provider", "level": "operative"},
    ),
    "GET /governance/cases": Case("GET", ALL, anonymous=401),
    "POST /governance/cases": Case(
        "POST",
        {k: 201 if v == 200 else v for k, v in MAY_RAISE.items()},
        anonymous=401,
        body=lambda p: {
            "title": "Ny sak",
            "description": "Beskrivelse",
            "topic": governance_case(p).right.code,
            "provider": "DSS",
        },
    ),
    "GET /governance/cases/{case_id}": Case("GET", KUD_CASE, anonymous=401, kwargs=case_id),
    "POST /governance/cases/{case_id}/actions": Case(
        "POST",
        KUD_CASE_ACTION,
        anonymous=401,
        kwargs=case_id,
        body=lambda p: {"action": "escalate", "text": "Kan ikke avgjøres her"},
    ),
    "GET /governance/decisions": Case("GET", ALL, anonymous=401),
    "GET /governance/dialogue": Case("GET", ALL, anonymous=401),
    "POST /governance/dialogue/{series_id}/meetings": Case(
        "POST",
        {**{k: 201 if v == 302 else v for k, v in KUD_DIALOGUE.items()}, "employee": 404},
        anonymous=401,
        kwargs=series_id,
        body=lambda p: {"held_on": "2026-02-02", "minutes": "Referat"},
    ),
    "POST /governance/actions/{action_id}/done": Case(
        "POST",
        {**{k: 200 if v == 302 else v for k, v in KUD_DIALOGUE.items()}, "employee": 404},
        anonymous=401,
        kwargs=action_id,
    ),
    "GET /governance/dialogue/{series_id}/pack": Case(
        "GET", {**ALL, "employee": 404, "outsider": 404}, anonymous=401, kwargs=series_id
    ),
    "GET /governance/council": Case("GET", ALL, anonymous=401),
    "POST /governance/council/plan": Case(
        "POST",
        {**NOBODY, "governance": 201},
        anonymous=401,
        body=lambda p: {"first": "2050-01-01", "count": 1},
    ),
    "PUT /governance/council/terms/{term_id}": Case(
        "PUT",
        # KUD's own leaders and coordinator nominate; DFD only for terms starting within a
        # year (this one starts in 2040); nobody else (FIN's adviser cannot even see the KUD
        # employee named).
        {**NOBODY, "manager": 200, "coordinator": 200, "outsider": 404},
        anonymous=401,
        kwargs=council_term,
        body=lambda p: {
            "nominee_id": str(p.employee.uuid),
            "competence": "Tjenesteforvaltning",
            "capacity_hours": 8,
        },
    ),
    "POST /governance/council/proposals": Case(
        "POST",
        NOBODY,  # provider managers only; tested in governance/tests
        anonymous=401,
        body=lambda p: {
            "provider": "DSS",
            "year": 2028,
            "title": "Forslag",
            "amount": "1000",
            "description": "Beskrivelse",
        },
    ),
    "POST /governance/council/proposals/{proposal_id}/statement": Case(
        "POST",
        {**NOBODY, "governance": 200},
        anonymous=401,
        kwargs=proposal_id,
        body=lambda p: {"statement": "Rådet støtter forslaget."},
    ),
    "GET /portfolio/projects": Case("GET", ALL, anonymous=401),
    "GET /portfolio/projects/{code}": Case("GET", ALL, anonymous=401, kwargs=project_code),
    # Project writes: DFD's portfolio office, the project manager and the responsible
    # organisation's managers (no standing persona is one of the latter two).
    "POST /portfolio/projects/{code}/status": Case(
        "POST",
        {**NOBODY, "governance": 200},
        anonymous=401,
        kwargs=project_code,
        body=lambda p: {"status": "amber", "reason": "Forsinket"},
    ),
    "POST /portfolio/projects/{code}/risks": Case(
        "POST",
        {**NOBODY, "governance": 201},
        anonymous=401,
        kwargs=project_code,
        body=lambda p: {
            "title": "Risiko",
            "likelihood": 3,
            "consequence": 3,
            "residual_likelihood": 2,
            "residual_consequence": 2,
        },
    ),
    "POST /portfolio/benefits/{benefit_id}/realisations": Case(
        "POST",
        {**NOBODY, "governance": 200},
        anonymous=401,
        kwargs=benefit_id,
        body=lambda p: {"measured_on": "2026-06-30", "value": "1.5"},
    ),
    "GET /portfolio/summary": Case("GET", ALL, anonymous=401),
    "GET /portfolio/evaluations": Case(
        "GET", ALL, anonymous=401, kwargs=lambda p: seeded_portfolio(p) and {}
    ),
    "GET /portfolio/evaluations/{code}": Case("GET", ALL, anonymous=401, kwargs=evaluation_code),
    "PUT /portfolio/evaluations/{code}/weights": Case(
        "PUT",
        {**NOBODY, "governance": 200},
        anonymous=401,
        kwargs=evaluation_code,
        body=lambda p: {"weights": {"kvalitet": "0.4"}},
    ),
    "GET /portfolio/baseline": Case("GET", ALL, anonymous=401),
    # A multipart upload: the matrix sends no file, so DFD is told it is missing (422; the
    # upload itself is tested in portfolio/tests); everyone else is refused by the rule.
    "POST /portfolio/baseline": Case("POST", {**NOBODY, "governance": 422}, anonymous=401),
    "GET /costing/models": Case("GET", ALL, anonymous=401),
    "GET /costing/models/{model_id}": Case(
        "GET", ALL, anonymous=401, kwargs=lambda p: {"model_id": demo_cost_model(p).uuid}
    ),
    "GET /costing/budget": Case("GET", ALL, anonymous=401),
    # Budgets and the ledger are kept by the provider's managers (no standing persona is
    # one; the success path is tested in costing/tests).
    "PUT /costing/budget/posts": Case(
        "PUT",
        NOBODY,
        anonymous=401,
        body=lambda p: {
            "provider": "DSS",
            "year": 2026,
            "chapter": 1510,
            "post": "01",
            "name": "Driftsutgifter",
            "kind": "expense",
            "amount": "1000",
        },
    ),
    "POST /costing/budget/ledger": Case("POST", NOBODY, anonymous=401),
    "GET /costing/transfers": Case("GET", ALL, anonymous=401),
    "GET /costing/recovery": Case("GET", ALL, anonymous=401),
    "GET /costing/funding": Case("GET", ALL, anonymous=401),
    "GET /costing/price-lists": Case("GET", ALL, anonymous=401),
    "GET /costing/price-lists/{price_list_id}": Case(
        "GET", ALL, anonymous=401, kwargs=lambda p: {"price_list_id": demo_price_list(p).uuid}
    ),
    "POST /costing/models/{model_id}/price-lists": Case(
        "POST",
        NOBODY,  # the provider's managers; tested in costing/tests
        anonymous=401,
        kwargs=lambda p: {"model_id": demo_cost_model(p).uuid},
        body=lambda p: {"effective_from": "2027-01-01"},
    ),
    "POST /costing/price-lists/{price_list_id}/approve": Case(
        "POST",
        {**NOBODY, "governance": 200},
        anonymous=401,
        kwargs=lambda p: {"price_list_id": demo_price_list(p).uuid},
        body=lambda p: {"decision_reference": "DFDs vedtak 2026/1"},
    ),
    "POST /portfolio/projects/{code}/milestones": Case(
        "POST",
        {**NOBODY, "governance": 201},
        anonymous=401,
        kwargs=project_code,
        body=lambda p: {"name": "Milepæl", "due_on": "2027-01-01"},
    ),
    "PUT /portfolio/projects/{code}/hump-costs": Case(
        "PUT",
        {**NOBODY, "governance": 200},
        anonymous=401,
        kwargs=project_code,
        body=lambda p: {"year": 2026, "kind": "transition", "amount": "1000"},
    ),
    "POST /portfolio/projects/{code}/transfers": Case(
        "POST",
        {**NOBODY, "governance": 201},
        anonymous=401,
        kwargs=project_code,
        body=lambda p: {
            "ministry": "KUD",
            "provider": "DSS",
            "fte": "1.5",
            "transfer_on": "2026-09-01",
        },
    ),
    "POST /portfolio/projects/{code}/benefits": Case(
        "POST",
        {**NOBODY, "governance": 201},
        anonymous=401,
        kwargs=project_code,
        body=lambda p: {
            "kind": "quality",
            "ministry": "KUD",
            "measure": f"Måltall {next(_dates)}",
            "baseline_value": "1",
            "target_value": "2",
            "target_on": "2027-01-01",
        },
    ),
    "POST /governance/dialogue": Case(
        "POST",
        NOBODY,  # the provider's managers and customer contacts; tested in governance/tests
        anonymous=401,
        body=lambda p: {"provider": "DSS", "ministry": "KUD", "level": "operative"},
    ),
    "POST /governance/council/unavailability": Case(
        "POST",
        # KUD's own responsible people, and DFD.
        {**NOBODY, "manager": 201, "coordinator": 201, "governance": 201},
        anonymous=401,
        body=lambda p: {
            "ministry": "KUD",
            "starts_on": "2030-01-01",
            "ends_on": "2030-12-31",
            "reason": "Flytting",
        },
    ),
    "GET /invoices": Case("GET", {**KUD_BILL, "employee": 403}, anonymous=401),
    "GET /invoices/{invoice_id}": Case("GET", KUD_BILL, anonymous=401, kwargs=invoice_id),
    "GET /invoices/{invoice_id}/ehf": Case("GET", KUD_BILL, anonymous=401, kwargs=invoice_id),
    "POST /invoices/{invoice_id}/disputes": Case(
        "POST",
        # KUD's billing roles dispute; the invoice is shared in the test, so the
        # coordinator finds line 1 already disputed by Per (409).
        {**NOBODY, "manager": 201, "coordinator": 409},
        anonymous=401,
        kwargs=invoice_id,
        body=lambda p: {"position": 1, "reason": "Feil antall"},
    ),
    "POST /disputes/{dispute_id}/resolve": Case(
        "POST",
        NOBODY,
        anonymous=401,
        kwargs=lambda p: {"dispute_id": uuid.uuid4()},
        body=lambda p: {"accept": False, "resolution": "Nei"},
    ),
    "GET /invoice-runs": Case("GET", CROSS_READERS, anonymous=401),
    "POST /invoice-runs": Case(
        "POST",
        NOBODY,  # provider finance; tested in invoicing/tests
        anonymous=401,
        body=lambda p: {
            "provider": "DSS",
            "period_start": "2026-10-01",
            "period_end": "2026-10-31",
        },
    ),
    "POST /invoice-runs/{run_id}/actions": Case(
        "POST",
        NOBODY,
        anonymous=401,
        kwargs=lambda p: {"run_id": kud_invoice(p).run.uuid},
        body=lambda p: {"action": "recompute"},
    ),
    "POST /governance/rights": Case(
        "POST",
        {**NOBODY, "governance": 201},
        anonymous=401,
        body=lambda p: {
            "code": f"lokaler-{next(_dates)}",
            "topic": "Lokaler",
            "decider": "provider",
            "level": "tactical",
        },
    ),
    "DELETE /tokens/{token_id}": Case(
        "DELETE",
        {**dict.fromkeys(PERSONAS[1:], 404), "employee": 200},
        anonymous=401,
        kwargs=employee_token,
    ),
}
# The API document and its browser are public: they describe, they hold no data.
API_PUBLIC_URLS = {
    "openapi-json": "/api/v1/openapi.json",
    "openapi-view": "/api/v1/docs",
    "api-root": "/api/v1/",
}


def web_patterns() -> dict[str, URLPattern]:
    found: dict[str, URLPattern] = {}

    def walk(patterns: list, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if str(pattern.pattern).startswith("api/"):
                    continue
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                found[pattern.name] = pattern

    walk(get_resolver().url_patterns, "")
    return found


def api_operations() -> dict[str, Any]:
    found = {}
    for _prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    found[f"{method} {path}"] = operation
    return found


def test_every_route_is_declared() -> None:
    assert set(web_patterns()) == set(WEB), "declare new web routes in WEB"
    assert set(api_operations()) == set(API), "declare new API operations in API"
    assert set(SCOPED_WEB) == set(WEB), "declare limited-scope statuses in SCOPED_WEB"
    assert set(SCOPED_API) == set(API), "declare limited-scope statuses in SCOPED_API"


def test_every_view_declares_its_rule() -> None:
    missing = [name for name, p in web_patterns().items() if not hasattr(p.callback, "felles_rule")]
    missing += [
        key for key, op in api_operations().items() if not hasattr(op.view_func, "felles_rule")
    ]
    assert missing == []


def request(client: Client, method: str, url: str, body: dict | None, api_call: bool):
    if method == "GET":
        return client.get(url)
    if api_call:
        return client.generic(
            method, url, data=__import__("json").dumps(body or {}), content_type="application/json"
        )
    return client.post(url, body or {})


def login(client: Client, personas, name: str) -> None:
    if name != "anonymous":
        client.force_login(getattr(personas, name).user)


@pytest.mark.parametrize("name", sorted(WEB))
def test_web_matrix(name: str, personas) -> None:
    from django.urls import reverse

    case = WEB[name]
    got = {}
    for persona in PERSONAS:
        client = Client()
        login(client, personas, persona)
        url = reverse(name, kwargs=case.kwargs(personas))
        body = case.body(personas) if case.body else None
        response = request(client, case.method, url, body, api_call=False)
        got[persona] = response.status_code
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            # A page's <title> is plain text: markup there means a template put content
            # in the wrong block.
            title = response.content.decode().split("<title>", 1)[1].split("</title>", 1)[0]
            assert "<" not in title, (name, title[:120])
    assert got == {"anonymous": case.anonymous, **case.expected}


@pytest.mark.parametrize("key", sorted(API))
def test_api_matrix(key: str, personas) -> None:
    case = API[key]
    method, path = key.split(" ", 1)
    got = {}
    for persona in PERSONAS:
        client = Client()
        login(client, personas, persona)
        url = "/api/v1" + path.format(**case.kwargs(personas))
        body = case.body(personas) if case.body else None
        got[persona] = request(client, method, url, body, api_call=True).status_code
    assert got == {"anonymous": case.anonymous, **case.expected}


# --- provider staff limited to named ministries ------------------------------------------
# Two DSS people who serve FIN only: a customer contact (Lars's role in the demo) and a
# provider manager (provider finance). Every object above belongs to KUD, so for them a KUD
# object is a 404 and a KUD write never lands; lists answer without KUD's rows
# (`test_scoped_lists_hold_nothing_of_kud`). Provider-wide matters (cost model, price
# lists, invoice runs, budgets) belong to managers who serve every ministry.
SCOPED_PERSONAS = ("contact_fin", "finance_fin")


@pytest.fixture
def scoped(personas):
    from felles.organisations.models import Role
    from felles.organisations.tests.factories import make_person

    personas.contact_fin = make_person(
        personas.dss, "lars.fin", roles=[Role.CUSTOMER_CONTACT], serves=[personas.fin]
    )
    personas.finance_fin = make_person(
        personas.dss, "siri.fin", roles=[Role.PROVIDER_MANAGER], serves=[personas.fin]
    )
    return personas


def _scoped_statuses(case: Case, personas, url_for, api_call: bool) -> dict[str, int]:
    got = {}
    for persona in SCOPED_PERSONAS:
        client = Client()
        login(client, personas, persona)
        url = url_for(case.kwargs(personas))
        body = case.body(personas) if case.body else None
        got[persona] = request(client, case.method, url, body, api_call=api_call).status_code
    return got


@pytest.mark.parametrize("name", sorted(WEB))
def test_web_matrix_scoped(name: str, scoped) -> None:
    from django.urls import reverse

    got = _scoped_statuses(
        WEB[name], scoped, lambda kwargs: reverse(name, kwargs=kwargs), api_call=False
    )
    assert got == dict(zip(SCOPED_PERSONAS, SCOPED_WEB[name], strict=True))


@pytest.mark.parametrize("key", sorted(API))
def test_api_matrix_scoped(key: str, scoped) -> None:
    _method, path = key.split(" ", 1)
    got = _scoped_statuses(
        API[key], scoped, lambda kwargs: "/api/v1" + path.format(**kwargs), api_call=True
    )
    assert got == dict(zip(SCOPED_PERSONAS, SCOPED_API[key], strict=True))


@pytest.mark.parametrize("name", sorted(API_PUBLIC_URLS))
def test_api_documents_are_public(name: str, client: Client, db) -> None:
    response = client.get(API_PUBLIC_URLS[name])
    assert response.status_code in {200, 404}  # api-root has no page of its own
    if name == "openapi-json":
        assert response.json()["info"]["title"] == "Felles API"


@pytest.mark.parametrize("key", sorted(k for k in API if "{" in k))
def test_guessed_ids_answer_404_never_500(key: str, personas) -> None:
    import uuid

    method, path = key.split(" ", 1)
    client = Client()
    client.force_login(personas.admin.user)
    names = [part[1:-1] for part in path.split("/") if part.startswith("{")]
    for guess in (str(uuid.uuid4()), "123", "not-a-uuid"):
        url = "/api/v1" + path.format(**dict.fromkeys(names, guess))
        status = request(client, method, url, {}, api_call=True).status_code
        assert status in {404, 422}, (url, status)


def test_foreign_ministry_ids_enumerated_answer_404(personas, client: Client) -> None:
    """Every FIN person id, tried by a KUD employee, on web and API, is a 404."""
    from felles.organisations.models import Person

    client.force_login(personas.employee.user)
    for person_id in Person.objects.filter(organisation=personas.fin).values_list(
        "uuid", flat=True
    ):
        assert client.get(f"/personer/{person_id}/").status_code == 404
        assert client.get(f"/api/v1/people/{person_id}").status_code == 404


# (customer contact serving FIN, provider manager serving FIN) for every route.
SCOPED_WEB: dict[str, tuple[int, int]] = {
    "absence_cancel": (404, 404),
    "action_done": (404, 404),
    "approval_decide": (404, 404),
    "approval_link": (200, 200),
    "approvals": (200, 200),
    "audit": (403, 403),
    "baseline": (200, 200),
    "budget": (200, 200),
    "case": (404, 404),
    "case_new": (200, 200),
    "catalogue": (200, 200),
    "cost_model": (200, 200),
    "cost_models": (200, 200),
    "council": (200, 200),
    "decision_right": (403, 403),
    "decision_rights": (200, 200),
    "decisions": (200, 200),
    "decisions_feed": (200, 200),
    "dialogue": (200, 200),
    "evaluation": (200, 200),
    "evaluations": (200, 200),
    "governance_cases": (200, 200),
    "healthz": (200, 200),
    "home": (200, 200),
    "import": (403, 403),
    "invoice": (403, 404),
    "invoice_credit": (403, 404),
    "invoice_dispute": (403, 403),
    "invoice_dispute_resolve": (403, 404),
    "invoice_line": (403, 404),
    "invoice_run": (403, 404),
    "invoice_run_usage": (403, 404),
    "invoice_runs": (403, 200),
    "invoices": (403, 200),
    "jobs": (403, 403),
    "login": (302, 302),
    "logout": (302, 302),
    "meeting_pack": (404, 404),
    "ministry_orders": (403, 403),
    "my_orders": (200, 200),
    "order": (404, 404),
    "order_action": (404, 404),
    "order_new": (404, 404),
    "organisation": (200, 200),
    "organisations": (200, 200),
    "people": (200, 200),
    "person": (404, 404),
    "portfolio": (200, 200),
    "price_list": (200, 200),
    "project": (200, 200),
    "propose_prices": (403, 403),
    "queue": (200, 200),
    "recovery": (200, 200),
    "role_add": (403, 403),
    "role_remove": (403, 403),
    "series": (404, 404),
    "service": (200, 200),
    "service_edit": (403, 404),
    "set_language": (302, 302),
    "sla_report": (200, 200),
    "token_revoke": (404, 404),
    "tokens": (200, 200),
    "transfers": (200, 200),
    "usage_import": (403, 403),
}
SCOPED_API: dict[str, tuple[int, int]] = {
    "DELETE /absences/{absence_id}": (404, 404),
    "DELETE /tokens/{token_id}": (404, 404),
    "GET /absences": (200, 200),
    "GET /approvals": (200, 200),
    "GET /catalog/areas": (200, 200),
    "GET /catalog/services": (200, 200),
    "GET /catalog/services/{service_id}": (200, 200),
    "GET /costing/budget": (200, 200),
    "GET /costing/funding": (200, 200),
    "GET /costing/models": (200, 200),
    "GET /costing/models/{model_id}": (200, 200),
    "GET /costing/price-lists": (200, 200),
    "GET /costing/price-lists/{price_list_id}": (200, 200),
    "GET /costing/recovery": (200, 200),
    "GET /costing/transfers": (200, 200),
    "GET /governance/cases": (200, 200),
    "GET /governance/cases/{case_id}": (404, 404),
    "GET /governance/council": (200, 200),
    "GET /governance/decisions": (200, 200),
    "GET /governance/dialogue": (200, 200),
    "GET /governance/dialogue/{series_id}/pack": (404, 404),
    "GET /governance/rights": (200, 200),
    "GET /invoice-runs": (403, 200),
    "GET /invoices": (403, 200),
    "GET /invoices/{invoice_id}": (403, 404),
    "GET /invoices/{invoice_id}/ehf": (403, 404),
    "GET /me": (200, 200),
    "GET /orders": (200, 200),
    "GET /orders/{order_id}": (404, 404),
    "GET /organisations": (200, 200),
    "GET /organisations/{organisation_id}": (200, 200),
    "GET /people": (200, 200),
    "GET /people/{person_id}": (404, 404),
    "GET /portfolio/baseline": (200, 200),
    "GET /portfolio/evaluations": (200, 200),
    "GET /portfolio/evaluations/{code}": (200, 200),
    "GET /portfolio/projects": (200, 200),
    "GET /portfolio/projects/{code}": (200, 200),
    "GET /portfolio/summary": (200, 200),
    "GET /tokens": (200, 200),
    "GET /units": (200, 200),
    "GET /units/{unit_id}": (404, 404),
    "POST /absences": (404, 404),
    "POST /approvals/{step_id}": (404, 404),
    "POST /costing/budget/ledger": (403, 403),
    "POST /costing/models/{model_id}/price-lists": (403, 403),
    "POST /costing/price-lists/{price_list_id}/approve": (403, 403),
    "POST /disputes/{dispute_id}/resolve": (403, 404),
    "POST /governance/actions/{action_id}/done": (404, 404),
    "POST /governance/cases": (201, 201),
    "POST /governance/cases/{case_id}/actions": (404, 404),
    "POST /governance/council/plan": (403, 403),
    "POST /governance/council/proposals": (403, 403),
    "POST /governance/council/proposals/{proposal_id}/statement": (403, 403),
    "POST /governance/council/unavailability": (403, 403),
    "POST /governance/dialogue": (403, 403),
    "POST /governance/dialogue/{series_id}/meetings": (404, 404),
    "POST /governance/rights": (403, 403),
    "POST /invoice-runs": (403, 404),
    "POST /invoice-runs/{run_id}/actions": (403, 404),
    "POST /invoices/{invoice_id}/disputes": (403, 403),
    "POST /orders": (404, 404),
    "POST /orders/{order_id}/actions": (404, 404),
    "POST /portfolio/baseline": (403, 403),
    "POST /portfolio/benefits/{benefit_id}/realisations": (403, 403),
    "POST /portfolio/projects/{code}/benefits": (403, 403),
    "POST /portfolio/projects/{code}/milestones": (403, 403),
    "POST /portfolio/projects/{code}/risks": (403, 403),
    "POST /portfolio/projects/{code}/status": (403, 403),
    "POST /portfolio/projects/{code}/transfers": (403, 403),
    "PUT /costing/budget/posts": (403, 403),
    "PUT /governance/council/terms/{term_id}": (404, 404),
    "PUT /governance/rights/{code}": (403, 403),
    "PUT /portfolio/evaluations/{code}/weights": (403, 403),
    "PUT /portfolio/projects/{code}/hump-costs": (403, 403),
}
