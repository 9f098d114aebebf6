"""What people read about people: a decision names the person who made it (not «anne (DFD)»),
the history and the hearing name people too, the system is «Felles (system)», never
«system:…»; and the governance pages read in English when the user picks English."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from felles.core.actor import Actor
from felles.governance import services
from felles.governance.models import Case, DecisionRight, Hearing
from felles.testing import client_for

pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def decided(personas, actor) -> Any:
    """A pricing case KUD answered, decided by DFD's Anne on the web."""
    services.seed_decision_rights(actor=actor)
    case = services.raise_case(
        actor=Actor.system("demo"),
        raised_by=personas.coordinator,
        right=DecisionRight.objects.get(code="priser"),
        provider=personas.dss,
        title="Priser 2027",
        description="…",
    )
    hearing = case.hearings.get(organisation=personas.kud)
    client_for(personas.coordinator).post(
        reverse("case", args=[case.uuid]),
        {"action": "answer", "hearing": hearing.uuid, "input": "KUD støtter forslaget."},
    )
    Hearing.objects.filter(case=case, answered_at__isnull=True).update(
        deadline=timezone.localdate() - dt.timedelta(days=1)
    )
    client_for(personas.governance).post(
        reverse("case", args=[case.uuid]),
        {"action": "decide", "decision": "Prisene vedtas.", "reasons": "Fullkost."},
    )
    case.refresh_from_db()
    assert case.status == Case.Status.DECIDED
    personas.case = case
    return personas


def _english(client: Any) -> Any:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_a_decision_names_the_person_who_made_it(decided) -> None:
    page = (
        client_for(decided.coordinator)
        .get(reverse("case", args=[decided.case.uuid]))
        .content.decode()
    )
    assert "anne (DFD)" not in page and "av anne" not in page
    assert "Anne Testesen" in page  # who decided, with role and organisation beside
    assert "Rådgiver, DFD" in page
    assert "Ingrid Testesen" in page  # who answered the hearing
    assert "system:" not in page
    assert "Felles (system)" in page  # the case was raised by the system in this test


def test_the_decision_log_names_the_person(decided) -> None:
    page = client_for(decided.outsider).get(reverse("decisions")).content.decode()
    assert "Prisene vedtas." in page and "Anne Testesen" in page
    assert "anne" not in page.replace("Anne", "")


def test_a_person_who_has_left_is_not_shown_by_username(decided) -> None:
    Case.objects.filter(pk=decided.case.pk).update(decided_by=None)
    page = (
        client_for(decided.governance)
        .get(reverse("case", args=[decided.case.uuid]))
        .content.decode()
    )
    assert "en tidligere bruker" in page and "anne (DFD)" not in page


def test_the_dialogue_setup_form_is_shown_once(personas, actor) -> None:
    from felles.organisations.models import Role
    from felles.organisations.tests.factories import make_person

    marte = make_person(personas.dss, "marte", roles=[Role.PROVIDER_MANAGER])
    page = client_for(marte).get(reverse("dialogue")).content.decode()
    assert page.count("Sett opp dialog for DSS") == 1


def test_governance_pages_read_in_english(decided) -> None:
    client = _english(client_for(decided.governance))
    case_page = client.get(reverse("case", args=[decided.case.uuid])).content.decode()
    assert "Decided by" in case_page and "History" in case_page
    assert "Avgjort av" not in case_page and "Historikk" not in case_page
    assert "Anne Testesen" in case_page
    log = client.get(reverse("decisions")).content.decode()
    assert "<title>Decision log" in log and "Vedtaksloggen" not in log
    rights = client.get(reverse("decision_rights")).content.decode()
    assert "10 working days" in rights and "virkedager" not in rights
    assert "Strategic" in rights and "Strategisk" not in rights
    routed = services.raise_case(
        actor=Actor.system("demo"),
        raised_by=decided.coordinator,
        right=DecisionRight.objects.get(code="priser"),
        provider=decided.dss,
        level="operative",
        title="Priser 2028",
        description="…",
    )
    history = client.get(reverse("case", args=[routed.uuid])).content.decode()
    assert "Routed to strategic level by the decision-rights table." in history
    assert "Rutet til" not in history
    new_case = client.get(reverse("case_new")).content.decode()
    # Pickers name organisations in English too (not «Departementenes sikkerhets- …»).
    assert "DSS – Norwegian Government Security and Service Organisation" in new_case
    assert "Departementenes sikkerhets-" not in new_case
    council = client.get(reverse("council")).content.decode()
    assert "6 months" in council and "måneder" not in council
    for name in ("governance_cases", "council", "dialogue", "case_new"):
        page = client.get(reverse(name)).content.decode()
        assert "Saker og vedtak" not in page and "Kundedialog" not in page, name


def test_two_people_with_the_same_name_are_told_apart_in_the_meeting_form(personas, actor) -> None:
    from felles.organisations.tests.factories import make_person

    make_person(personas.kud, "olan", first_name="Ola", last_name="Nordmann", title="Rådgiver")
    make_person(personas.dss, "olan2", first_name="Ola", last_name="Nordmann", title="Driftsleder")
    series = services.save_series(
        actor=actor, provider=personas.dss, ministry=personas.kud, level="operative"
    )
    page = (
        client_for(personas.coordinator).get(reverse("series", args=[series.uuid])).content.decode()
    )
    assert "Ola Nordmann (Rådgiver, KUD)" in page
    assert "Ola Nordmann (Driftsleder, DSS)" in page
