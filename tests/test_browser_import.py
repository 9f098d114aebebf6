"""Browser: an administrator uploads an HR export, confirms, watches the progress bar of the
background import advance to done, and reads the result page (the worker runs in a thread
of this process, as `felles worker` would run it beside the server)."""

from __future__ import annotations

import threading
import time

import pytest
from playwright.sync_api import expect

from tests.test_accessibility import violations
from tests.test_browser import _login, chromium_context, pytestmark  # noqa: F401 - same skips

ROWS = 3000


def hr_export(rows: int) -> bytes:
    lines = ["ansattnummer;fornavn;etternavn;epost;enhetskode;stilling;leder_ansattnummer"]
    for n in range(1, rows + 1):
        manager = "" if n == 1 else "1"
        lines.append(f"{n};Fornavn{n};Etternavn{n};p{n}@kud.dep.no;KA;Rådgiver;{manager}")
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def page():
    with chromium_context(bypass_csp=True) as context:  # the axe check injects a script
        yield context.new_page()


@pytest.fixture
def worker(settings, monkeypatch):
    """A worker thread running queued jobs; each progress report is held a moment so the
    page can show the bar part-way."""
    from django.db import connection

    from felles.core import jobs
    from felles.organisations import bulk

    settings.FELLES_IMPORT_BACKGROUND_ROWS = 100
    monkeypatch.setattr(bulk, "BATCH_ROWS", 500)
    report = jobs.report_progress

    def slow_report(job, done, total, label=None):
        report(job, done, total, label)
        time.sleep(0.7)

    monkeypatch.setattr(jobs, "report_progress", slow_report)
    stop = threading.Event()

    def loop() -> None:
        try:
            while not stop.is_set():
                if not jobs.run_pending():
                    stop.wait(0.2)
        finally:
            connection.close()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    yield
    stop.set()
    thread.join(timeout=30)


def test_admin_imports_people_and_watches_the_progress_to_the_result(
    personas, actor, worker, live_server, page, tmp_path
) -> None:
    from felles.core import audit
    from felles.organisations.models import Person
    from felles.organisations.tests.test_import import UNITS_CSV, run

    run(personas, "units", UNITS_CSV, actor=actor)
    export = tmp_path / "hr-eksport.csv"
    export.write_bytes(hr_export(ROWS))

    _login(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/import/")
    page.get_by_label("Organisasjon").select_option("KUD")
    page.get_by_label("Personer (ansatte)").check()
    page.get_by_label("Fil (CSV eller XLSX)").set_input_files(str(export))
    page.get_by_role("button", name="Kontroller filen").click()
    page.get_by_text("kjører i bakgrunnen").wait_for()
    page.get_by_role("button", name="Importer 3\u202f000 personer til KUD").click()

    page.wait_for_url("**/import/jobb/**")
    bar = page.locator("progress")
    bar.wait_for()
    # The bar advances in place (htmx polling) before the import is done …
    page.wait_for_function(
        "() => { const p = document.querySelector('progress');"
        " return p && p.value > 0 && p.value < p.max; }",
        timeout=30_000,
    )
    assert "Lagrer:" in page.locator("#import-stage").inner_text()
    url = page.url
    # … and the result replaces it, on the same page, without a reload.
    page.get_by_text("Importen er fullført.").wait_for(timeout=60_000)
    assert page.url == url
    expect(page.locator("progress")).to_have_count(0)
    result = page.locator(".felles-import-job__counts").inner_text()
    assert "Nye\t3\u202f000" in result or "Nye 3\u202f000" in result.replace("\t", " ")
    assert Person.objects.filter(organisation=personas.kud).count() >= ROWS
    assert audit.verify_chain().ok
    serious = [v for v in violations(page) if v["impact"] in ("serious", "critical")]
    assert serious == []
