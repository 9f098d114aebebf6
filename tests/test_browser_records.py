"""Archive work in the browser: Eva, KUD's information-management coordinator, uploads a
journal extract, Felles draws the sample (⌈√150⌉ = 13 entries) and she records a finding
with its follow-up; Dag on DIO's archive team tries to complete a transfer without the
Arkade report and is refused with the reasons, uploads the report, Eva approves for the
ministry, Dag completes the job and the order is resolved; FIN's Ola sees nothing of it.
No serious accessibility violations."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.test_accessibility import AXE, violations
from tests.test_browser import _login, chromium_context, pytestmark  # noqa: F401 - same skips


@pytest.fixture
def page():
    with chromium_context(bypass_csp=True) as context:  # the axe check injects a script
        yield context.new_page()


@pytest.fixture
def archive_job(personas, seeded_catalogue):
    """Eva and Dag, Dag on the archive services' handling team, and a transfer job for
    Eva's approved order of DIO's deposit and transfer service (before the browser)."""
    from felles.catalog import services as catalog_services
    from felles.catalog.models import Service
    from felles.core.actor import Actor
    from felles.orders import services as order_services
    from felles.organisations.models import Organisation, Role
    from felles.organisations.tests.factories import make_person
    from felles.records import selectors, services

    actor = Actor.system("test")
    dio = Organisation.objects.get(abbreviation="DIO")
    eva = make_person(
        personas.kud, "eva", manager=personas.manager, roles=[Role.INFORMATION_COORDINATOR]
    )
    dag = make_person(dio, "dag", roles=[Role.PROVIDER_AGENT])
    for service in Service.objects.filter(code__in=selectors.ARCHIVE_SERVICES):
        catalog_services.set_confidentiality(
            actor=actor,
            service=service,
            confidentiality=service.confidentiality,
            reason_nb="",
            team=[dag],
        )
    order = order_services.submit_order(
        actor=actor,
        orderer=eva,
        service=Service.objects.get(code="if-deponering"),
        answers={"beskrivelse": {"label": "Hva", "value": "Avlevering 1997–2001"}},
    )
    for step in order.steps.order_by("position"):
        step.refresh_from_db()
        approver = step.approver or personas.manager
        order_services.decide(
            actor=actor, step=step, decider=approver, on_behalf_of=approver, approve=True
        )
    return services.open_job(
        actor=actor,
        order=order,
        values={"kind": "transfer", "title": "Avlevering av sakarkiv 1997–2001"},
    )


def test_spot_check_and_a_transfer_refused_without_report(
    personas, archive_job, live_server, page, tmp_path
) -> None:
    from felles.records.models import ArchiveJob, SpotCheck, SpotCheckItem

    base = live_server.url
    extract = tmp_path / "journal.csv"
    rows = ["saksnummer;tittel;saksbehandler"]
    rows += [f"2026/{n:04d};Sak om tilskudd {n};SB {n % 5}" for n in range(1, 151)]
    extract.write_text("\n".join(rows) + "\n", encoding="utf-8")

    # Eva: the coordinator's page, then a spot check.
    _login(page, base, "eva")
    page.goto(f"{base}/arkiv/")
    page.wait_for_url(f"{base}/arkiv/{personas.kud.uuid}/")
    main = page.locator("main")
    assert "Avlevering av sakarkiv 1997–2001" in main.inner_text()
    assert "offentleglova" in main.inner_text()
    if AXE.exists():
        assert violations(page) == []
    page.get_by_role("link", name="Stikkprøvekontroller").first.click()
    page.get_by_label("Tittel").fill("Journalen, 3. kvartal")
    page.get_by_label("Uttrekk av journalen").set_input_files(str(extract))
    page.get_by_label("Frø (valgfritt)").fill("7")
    page.get_by_role("button", name="Trekk utvalget").click()
    page.wait_for_url(f"{base}/arkiv/stikkprover/**")
    expect(page.locator("body")).to_contain_text("Utvalget er trukket.")
    check = SpotCheck.objects.get()
    assert (check.population, check.sample_size, check.seed) == (150, 13, 7)
    if AXE.exists():
        assert violations(page) == []
    first = page.locator("section.ds-card").first
    first.get_by_label("Funn").select_option("missing_officer")
    first.get_by_label("Oppfølging", exact=True).fill("Saksbehandler føres på")
    first.get_by_role("button", name="Lagre funn for stikkprøve 1").click()
    expect(page.locator("body")).to_contain_text("Funnet er lagret.")
    item = SpotCheckItem.objects.get(spot_check=check, position=1)
    assert item.finding == "missing_officer" and item.action == "Saksbehandler føres på"

    # Dag: completing without the report and approval is refused, with the reasons.
    job_url = f"{base}/arkiv/oppdrag/{archive_job.uuid}/"
    page.context.clear_cookies()
    _login(page, base, "dag")
    page.goto(job_url)
    page.get_by_label("Hva er gjort?").fill("Avlevert til Arkivverket")
    page.get_by_role("button", name="Fullfør oppdraget").click()
    text = page.locator("main").inner_text()
    assert "Oppdraget kan ikke fullføres" in text and "testrapporten fra Arkade" in text
    assert ArchiveJob.objects.get().completed_at is None
    report = tmp_path / "arkade-rapport.html"
    report.write_text("<!DOCTYPE html><html><body>Arkade 5: 0 avvik</body></html>")
    page.get_by_label("Testrapport fra Arkade").set_input_files(str(report))
    page.get_by_role("button", name="Last opp testrapporten").click()
    expect(page.locator("body")).to_contain_text("Testrapporten er lastet opp.")

    # Eva approves for the ministry.
    page.context.clear_cookies()
    _login(page, base, "eva")
    page.goto(job_url)
    page.get_by_role("button", name="Godkjenn for departementet").click()
    expect(page.locator("body")).to_contain_text("Oppdraget er godkjent for departementet.")

    # Dag completes it; the order is resolved.
    page.context.clear_cookies()
    _login(page, base, "dag")
    page.goto(job_url)
    page.get_by_label("Hva er gjort?").fill("Avlevert til Arkivverket")
    page.get_by_role("button", name="Fullfør oppdraget").click()
    expect(page.locator("body")).to_contain_text("Oppdraget er fullført")
    job = ArchiveJob.objects.select_related("order").get()
    assert job.completed_at is not None and job.order.status == "resolved"

    # FIN's Ola sees nothing of it.
    page.context.clear_cookies()
    _login(page, base, "ola")
    response = page.goto(job_url)
    assert response is not None and response.status == 404
