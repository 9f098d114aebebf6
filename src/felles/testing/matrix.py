"""The access matrix's vocabulary: the personas, the objects each case builds (all of KUD,
the employee's ministry, so a state-changing request can run once per persona), the `Case`
of one route and the usual answers. Each app keeps its rows in `<app>/tests/routes.py`;
tests/test_access_matrix.py collects them and checks every route against every persona."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

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
    """The seed catalogue (once per test, copied in after the first build:
    `felles.testing.snapshot`) and a helper to place Kari's orders."""
    from felles.catalog import services as catalog_services
    from felles.catalog.models import Service
    from felles.testing import new_catalogue_revision
    from felles.testing.snapshot import cached

    def build() -> SimpleNamespace:
        catalog_services.seed_catalogue(
            actor=Actor.system("matrix"), price_from=dt.date(2026, 1, 1)
        )
        return SimpleNamespace()

    if not Service.objects.exists():
        cached("matrix_catalogue", build, lambda attributes: new_catalogue_revision())
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
        # Video equipment for a meeting (a meeting room itself is booked in the room search).
        "service_id": str(seeded(p).get(code="ikt-videomote").uuid),
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
