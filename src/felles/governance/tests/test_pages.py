"""Governance pages and API as their users meet them: raising, deciding, the decision log
and its Atom feed, the meeting pack, the council."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from felles.core.actor import Actor
from felles.core.services import SERVICES_WITH_RULES, create_api_token
from felles.governance import services
from felles.governance.models import Case, DecisionRight, Hearing
from felles.testing import client_for

# Hearing deadlines, working days and «today» depend on the date.
pytestmark = pytest.mark.usefixtures("frozen_clock")

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def gov(personas, actor) -> Any:
    from felles.organisations.models import Role
    from felles.organisations.tests.factories import make_person

    services.seed_decision_rights(actor=actor)
    personas.marte = make_person(personas.dss, "marte", roles=[Role.PROVIDER_MANAGER])
    return personas


def test_raising_a_pricing_case_on_the_web_routes_it_to_dfd(gov) -> None:
    client = client_for(gov.coordinator)
    form = {
        "title": "Prisen på ekstra renhold",
        "right": DecisionRight.objects.get(code="priser").pk,
        "provider": gov.dss.pk,
        "level": "operative",
        "description": "Prisen har økt med 40 % uten forklaring.",
    }
    response = client.post(reverse("case_new"), {**form, "title": ""})
    assert response.status_code == 422
    assert "Tittel: Feltet er påkrevet." in response.content.decode()
    assert not Case.objects.exists()

    response = client.post(reverse("case_new"), form, follow=True)
    page = response.content.decode()
    assert "ligger på strategisk nivå hos DFD" in page
    case = Case.objects.get()
    assert case.level == "strategic"
    # DFD sees it, and the decision form says whose input it still waits for.
    page = client_for(gov.governance).get(reverse("case", args=[case.uuid])).content.decode()
    assert "Fatt vedtak" in page and "Venter på: " in page and "KUD (frist" in page


def test_coordinator_answers_the_hearing_and_dfd_decides(gov) -> None:
    case = services.raise_case(
        actor=Actor.system("t"),
        raised_by=gov.coordinator,
        right=DecisionRight.objects.get(code="priser"),
        provider=gov.dss,
        title="Priser 2027",
        description="…",
    )
    hearing = case.hearings.get(organisation=gov.kud)
    client = client_for(gov.coordinator)
    client.post(
        reverse("case", args=[case.uuid]),
        {"action": "answer", "hearing": hearing.uuid, "input": "KUD støtter forslaget."},
    )
    hearing.refresh_from_db()
    assert hearing.input == "KUD støtter forslaget."
    Hearing.objects.filter(case=case, answered_at__isnull=True).update(
        deadline=timezone.localdate() - dt.timedelta(days=1)
    )
    dfd = client_for(gov.governance)
    response = dfd.post(reverse("case", args=[case.uuid]), {"action": "decide", "decision": "Ja"})
    assert response.status_code == 422 and "Begrunnelse" in response.content.decode()
    dfd.post(
        reverse("case", args=[case.uuid]),
        {"action": "decide", "decision": "Prisene vedtas.", "reasons": "Fullkost."},
    )
    case.refresh_from_db()
    assert case.status == "decided"
    log = client_for(gov.outsider).get(reverse("decisions")).content.decode()
    assert "Prisene vedtas." in log


def test_atom_feed_needs_a_session_or_a_bearer_token(gov) -> None:
    case = services.raise_case(
        actor=Actor.system("t"),
        raised_by=gov.coordinator,
        right=DecisionRight.objects.get(code="rutiner"),
        provider=gov.dss,
        title="Varsling av nedetid",
        description="…",
    )
    services.decide_case(
        actor=Actor.system("t"), case=case, decision="Varsle fem dager før.", reasons="B"
    )
    anonymous = Client().get(reverse("decisions_feed"))
    assert anonymous.status_code == 401 and anonymous["WWW-Authenticate"] == "Bearer"
    bad = Client().get(reverse("decisions_feed"), HTTP_AUTHORIZATION="Bearer fel_feil")
    assert bad.status_code == 401
    token = create_api_token(actor=Actor.system("t"), user=gov.outsider.user, name="rss").secret
    response = Client().get(reverse("decisions_feed"), HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 (our own response)
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [f"{case.number} Varsling av nedetid"]
    assert "Varsle fem dager før." in entries[0].findtext(f"{ATOM}summary")


def test_api_raises_escalates_and_refuses_the_top(gov) -> None:
    client = client_for(gov.coordinator)
    response = client.post(
        "/api/v1/governance/cases",
        {"title": "T", "description": "D", "topic": "finnes-ikke", "provider": "KUD"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"topic", "provider"}
    created = client.post(
        "/api/v1/governance/cases",
        {"title": "T", "description": "D", "topic": "rutiner", "provider": "DSS"},
        content_type="application/json",
    ).json()
    assert (created["level"], created["decider"]) == ("operative", "DSS")
    url = f"/api/v1/governance/cases/{created['id']}/actions"
    for expected in ("tactical", "strategic"):
        body = client.post(url, {"action": "escalate", "text": "Uenige"}, "application/json")
        assert body.json()["level"] == expected
    top = client.post(url, {"action": "escalate", "text": "Igjen"}, "application/json")
    assert top.status_code == 409 and "DFD" in top.json()["message"]
    dfd = client_for(gov.governance).get(f"/api/v1/governance/cases/{created['id']}")
    assert dfd.status_code == 200 and dfd.json()["decider"] == "DFD"


def test_meeting_pack_page_and_bad_period(gov) -> None:
    from felles.organisations.models import Role
    from felles.organisations.tests.factories import make_person

    lars = make_person(gov.dss, "lars", roles=[Role.CUSTOMER_CONTACT])
    series = services.save_series(
        actor=Actor(user=lars.user), provider=gov.dss, ministry=gov.kud, level="operative"
    )
    client = client_for(gov.coordinator)
    url = reverse("meeting_pack", args=[series.uuid])
    page = client.get(url, {"fra": "2026-01-01", "til": "2026-01-31"}).content.decode()
    assert "Ingen bestillinger i perioden." in page and "Ingen vedtak siden forrige møte." in page
    bad = client.get(url, {"fra": "2026-02-01", "til": "2026-01-01"})
    assert bad.status_code == 422 and "Til-datoen er før fra-datoen." in bad.content.decode()
    response = client.post(
        reverse("series", args=[series.uuid]),
        {"held_on": "2026-01-12", "minutes": "Gjennomgang", "action_text": "Følg opp"},
    )
    assert response.status_code == 422
    assert "Et oppfølgingspunkt trenger eier og frist." in response.content.decode()
    assert not series.meetings.exists()


def test_council_page_shows_the_plan_and_takes_statements(gov) -> None:
    from decimal import Decimal

    dfd = client_for(gov.governance)
    response = dfd.post(
        reverse("council"),
        {"action": "plan", "first": "2027-01-01", "count": 2, "months": 12, "seats": 3},
        follow=True,
    )
    assert "6 rådsplasser er planlagt." in response.content.decode()
    proposal = services.submit_budget_proposal(
        actor=Actor.system("t"),
        provider=gov.dss,
        year=2028,
        title="Ny plattform",
        amount=Decimal(1000000),
        description="…",
    )
    # A coordinator may not speak for the council.
    assert (
        client_for(gov.coordinator)
        .post(
            reverse("council"), {"action": "statement", "proposal": proposal.uuid, "statement": "x"}
        )
        .status_code
        == 403
    )
    dfd.post(
        reverse("council"),
        {"action": "statement", "proposal": proposal.uuid, "statement": "Rådet støtter."},
    )
    proposal.refresh_from_db()
    assert proposal.statement == "Rådet støtter."
    page = client_for(gov.employee).get(reverse("council")).content.decode()
    assert "Rådet støtter." in page and "(fast medlem)" in page


def test_a_decision_links_the_projects_it_affects(gov, actor) -> None:
    from felles.catalog import services as catalog_services
    from felles.portfolio import services as portfolio_services
    from felles.portfolio.models import Project

    catalog_services.seed_catalogue(actor=actor, price_from=dt.date(2026, 1, 1))
    portfolio_services.seed_portfolio(actor=actor)
    case = services.raise_case(
        actor=actor,
        raised_by=gov.coordinator,
        right=DecisionRight.objects.get(code="rutiner"),
        provider=gov.dss,
        title="Rutine for sikkerhetsklarering",
        description="…",
    )
    url = f"/api/v1/governance/cases/{case.uuid}/actions"
    marte = client_for(gov.marte)
    bad = marte.post(
        url,
        {"action": "decide", "text": "Ja", "reasons": "B", "project_codes": ["nei"]},
        "application/json",
    )
    assert bad.status_code == 422
    done = marte.post(
        url,
        {"action": "decide", "text": "Ja", "reasons": "B", "project_codes": ["sikkerhet"]},
        "application/json",
    ).json()
    assert done["projects"] == ["sikkerhet"]
    project = Project.objects.get(code="sikkerhet")
    page = client_for(gov.employee).get(reverse("project", args=["sikkerhet"])).content.decode()
    assert case.number in page and list(project.decisions.all()) == [case]


def test_provider_sets_up_a_dialogue_with_the_reviews_targets(gov) -> None:
    from felles.governance.models import MeetingSeries

    marte = client_for(gov.marte)
    response = marte.post(
        reverse("dialogue"),
        {"ministry": gov.kud.pk, "level": "tactical", "target_min": 3, "target_max": ""},
    )
    assert response.status_code == 422 and "både minst og høyst" in response.content.decode()
    marte.post(reverse("dialogue"), {"ministry": gov.kud.pk, "level": "tactical"})
    series = MeetingSeries.objects.get()
    assert (series.target_min, series.target_max, series.period_months) == (2, 3, 6)
    # A KUD coordinator reads the dialogue but does not set dialogues up.
    assert client_for(gov.coordinator).post(reverse("dialogue"), {}).status_code == 403


def test_case_lists_run_a_constant_number_of_queries(gov, django_assert_max_num_queries) -> None:
    def raise_one() -> None:
        services.raise_case(
            actor=Actor.system("t"),
            raised_by=gov.coordinator,
            right=DecisionRight.objects.get(code="rutiner"),
            provider=gov.dss,
            title="Sak",
            description="…",
        )

    client = client_for(gov.coordinator)
    raise_one()
    with django_assert_max_num_queries(40) as api_few:
        client.get("/api/v1/governance/cases")
    with django_assert_max_num_queries(40) as page_few:
        client.get(reverse("governance_cases"))
    for _ in range(6):
        raise_one()
    with django_assert_max_num_queries(len(api_few.captured_queries)):
        client.get("/api/v1/governance/cases")
    with django_assert_max_num_queries(len(page_few.captured_queries)):
        client.get(reverse("governance_cases"))


def test_dfd_adds_a_decision_right_and_a_code_is_used_once(gov) -> None:
    dfd = client_for(gov.governance)
    row = {
        "code": "lokaler",
        "topic": "Lokaler og arealbruk",
        "level": "strategic",
        "decider": "dfd",
        "hearing_days": 10,
        "hear_ministries": "on",
    }
    dfd.post(reverse("decision_rights"), row)
    assert DecisionRight.objects.get(code="lokaler").hear_ministries
    again = dfd.post(reverse("decision_rights"), row)
    assert again.status_code == 422 and "finnes allerede" in again.content.decode()
    wrong = dfd.post(
        reverse("decision_rights"), {**row, "code": "lokaler-2", "decider": "provider"}
    )
    assert (
        wrong.status_code == 422
        and "Strategiske spørsmål avgjøres av DFD" in wrong.content.decode()
    )
    assert client_for(gov.marte).post(reverse("decision_rights"), row).status_code == 403


def test_council_page_on_29_february_and_the_nomination_rule_in_the_service(gov) -> None:
    """DFD may fill in a nomination for terms starting within a year. On 29 February the
    page used to add a year with date.replace and crash; and the API skipped the rule
    (it lived in the page). Now it is one rule, in the service, for page and API."""
    from unittest import mock

    from felles.core.services import Forbidden
    from felles.governance.models import CouncilTerm

    near = CouncilTerm.objects.create(
        ministry=gov.kud, starts_on=dt.date(2029, 1, 1), ends_on=dt.date(2029, 12, 31)
    )
    far = CouncilTerm.objects.create(
        ministry=gov.kud, starts_on=dt.date(2029, 3, 1), ends_on=dt.date(2030, 2, 28)
    )
    leap_day = dt.date(2028, 2, 29)
    with mock.patch("django.utils.timezone.localdate", return_value=leap_day):
        page = client_for(gov.governance).get(reverse("council"))
        assert page.status_code == 200
        # A year after 29.02.2028 is 28.02.2029: January's term is DFD's to fill, March's not.
        body = page.content.decode()
        assert f'value="{near.uuid}"' in body and f'value="{far.uuid}"' not in body
        nominate = {"competence": "Styring", "capacity_hours": 4}
        with pytest.raises(Forbidden):
            services.nominate(
                actor=Actor(user=gov.governance.user), term=far, nominee=gov.manager, **nominate
            )
        api = client_for(gov.governance).put(
            f"/api/v1/governance/council/terms/{far.uuid}",
            {"nominee_id": str(gov.manager.uuid), **nominate},
            content_type="application/json",
        )
        assert api.status_code == 403
        services.nominate(
            actor=Actor(user=gov.governance.user), term=near, nominee=gov.manager, **nominate
        )
        # KUD's own coordinator nominates for any of KUD's terms.
        services.nominate(
            actor=Actor(user=gov.coordinator.user), term=far, nominee=gov.manager, **nominate
        )


def test_every_governance_service_declares_who_may_call_it() -> None:
    declared = {name.rsplit(".", 1)[-1] for name in SERVICES_WITH_RULES if ".governance." in name}
    writers = {name for name in services.__all__ if name.islower()}
    assert writers and writers <= declared, writers - declared


def test_page_steps_a_user_may_not_take_answer_403(gov) -> None:
    case = services.raise_case(
        actor=Actor.system("t"),
        raised_by=gov.coordinator,
        right=DecisionRight.objects.get(code="rutiner"),
        provider=gov.dss,
        title="Sak",
        description="…",
    )
    coordinator = client_for(gov.coordinator)
    # An action the page does not have, DFD's plan, a provider manager's proposal.
    assert coordinator.post(reverse("case", args=[case.uuid]), {"action": "x"}).status_code == 403
    for action in ("x", "plan", "propose"):
        response = coordinator.post(reverse("council"), {"action": action, "first": "", "count": 1})
        assert response.status_code == 403, action
    # The provider's manager decides; the agent may not (the service refuses).
    decide = {"action": "decide", "decision": "Ja", "reasons": "Fordi"}
    assert client_for(gov.agent).post(reverse("case", args=[case.uuid]), decide).status_code == 403
    assert client_for(gov.marte).post(reverse("case", args=[case.uuid]), decide).status_code == 302
    # A form with errors from someone who may take the step: shown again (422).
    plan = client_for(gov.governance).post(reverse("council"), {"action": "plan", "count": 1})
    assert plan.status_code == 422
