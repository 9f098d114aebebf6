"""Who may take each invoicing step is the service's rule alone (`core.services.allowed`):
the page and the API call the service, which refuses (403) a reader who is no manager of
the provider — the same answer on both, with the same message."""

from __future__ import annotations

from typing import Any

import pytest

from felles.core.actor import Actor
from felles.core.services import Forbidden
from felles.invoicing import importing, services
from felles.invoicing.models import InvoiceRun
from felles.organisations.models import Organisation, Role
from felles.organisations.tests.factories import make_person
from felles.testing import OCTOBER, client_for, import_usage, issued_run, usage_csv


@pytest.fixture
def nora(billing) -> Any:
    """A DIO manager who is also an auditor: she reads every run, but runs only DIO's."""
    return make_person(
        Organisation.objects.get(abbreviation="DIO"),
        "nora",
        roles=[Role.PROVIDER_MANAGER, Role.AUDITOR],
    )


def _draft(billing) -> InvoiceRun:
    import_usage(billing.dss, usage_csv("srv-mobil;KUD;31.10.2026;10;m;nei;;"))
    return services.create_run(
        actor=Actor.system("test"),
        provider=billing.dss,
        period_start=OCTOBER[0],
        period_end=OCTOBER[1],
    )


def test_a_reader_of_every_run_takes_no_step_of_anothers(billing, nora) -> None:
    run = _draft(billing)
    page = client_for(nora).post(f"/fakturering/{run.uuid}/", {"action": "recompute"})
    assert page.status_code == 403
    api = client_for(nora).post(
        f"/api/v1/invoice-runs/{run.uuid}/actions", {"action": "discard"}, "application/json"
    )
    assert api.status_code == 403
    assert api.json()["message"] == "Bare leverandørens ledere fører fakturakjøringene."
    # Nor does she see the correction page of its usage (the service's rule, not the page's).
    usage = run.usage.get()
    assert client_for(nora).get(f"/fakturering/{run.uuid}/forbruk/{usage.uuid}/").status_code == (
        403
    )
    run.refresh_from_db()
    assert run.status == InvoiceRun.Status.DRAFT
    # The provider's own manager still takes the step.
    ok = client_for(billing.siri).post(f"/fakturering/{run.uuid}/", {"action": "recompute"})
    assert ok.status_code == 302


def test_an_unknown_run_action_is_a_message(billing) -> None:
    run = _draft(billing)
    page = client_for(billing.siri).post(f"/fakturering/{run.uuid}/", {"action": "x"}, follow=True)
    assert page.status_code == 200 and "Ukjent handling" in page.text


def test_crediting_is_the_managers_even_without_a_reason(billing, nora) -> None:
    """The service refuses before it asks for the reason: 403, not a form message."""
    invoice = issued_run(billing).invoices.get()
    url = f"/faktura/{invoice.uuid}/krediter/"
    assert client_for(nora).post(url, {"reason": ""}).status_code == 403
    assert client_for(nora).post(url, {"reason": "Feil"}).status_code == 403
    asked = client_for(billing.siri).post(url, {"reason": ""}, follow=True)
    assert asked.status_code == 200 and "Skriv hvorfor fakturaen krediteres." in asked.text


def test_only_the_ministrys_billing_roles_dispute_in_their_own_name(billing) -> None:
    invoice = issued_run(billing).invoices.get()
    line = invoice.lines.get()
    with pytest.raises(Forbidden):
        services.raise_dispute(
            actor=Actor(user=billing.siri.user), line=line, person=billing.siri, reason="Feil"
        )
    with pytest.raises(Forbidden):  # not in another person's name
        services.raise_dispute(
            actor=Actor(user=billing.coordinator.user),
            line=line,
            person=billing.manager,
            reason="Feil",
        )
    dispute = services.raise_dispute(
        actor=Actor(user=billing.coordinator.user),
        line=line,
        person=billing.coordinator,
        reason="Feil",
    )
    assert dispute.raised_by == billing.coordinator


def test_importing_usage_is_the_providers_managers(billing, nora) -> None:
    plan = importing.plan_usage(
        billing.dss, usage_csv("srv-mobil;KUD;31.10.2026;10;m;nei;;"), "forbruk.csv"
    )
    with pytest.raises(Forbidden):
        importing.apply_usage(actor=Actor(user=nora.user), plan=plan, person=nora)
    assert (
        importing.apply_usage(
            actor=Actor(user=billing.siri.user), plan=plan, person=billing.siri
        ).created
        == 1
    )
