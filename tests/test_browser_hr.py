"""HR statistics in a real browser (issue 22, acceptance 3): Per, KUD's leader, reads his
ministry's figures with the small cells suppressed («<5», and the complementary «..»), the
trend chart drawn and the export offered; Anne (DFD) compares the ministries, where the
suppression holds across the ministries too."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.test_browser import _login, pytestmark  # noqa: F401 - same skips
from tests.test_browser import page as page

FIGURES = """departement;periode;måltall;inndeling;verdi
KUD;2024;antall ansatte;;38
KUD;2024;sykefravær;;5,1
KUD;2025;antall ansatte;;40
KUD;2025;sykefravær;;4,8
KUD;2025;alder;under 30;3
KUD;2025;alder;30–44;15
KUD;2025;alder;45–59;14
KUD;2025;alder;60 og over;8
FIN;2025;antall ansatte;;60
FIN;2025;alder;under 30;10
FIN;2025;alder;30–44;20
FIN;2025;alder;45–59;20
FIN;2025;alder;60 og over;10
"""


@pytest.fixture
def figures(personas, seeded_catalogue):
    from felles.core.actor import Actor
    from felles.hr import importing

    plan = importing.plan_statistics(FIGURES.encode(), "dfo.csv")
    assert plan.ok, plan.errors
    importing.apply_statistics(actor=Actor.system("test"), plan=plan)
    return personas


def test_per_reads_kuds_figures_with_small_cells_suppressed(figures, live_server, page) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    _login(page, live_server.url, "per")
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="HR-statistikk").first.click()
    page.get_by_role("link", name="Kultur- og likestillingsdepartementet (KUD)").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("HR-statistikk for")
    kud = page.get_by_role("table", name="KUD, 2025")
    young = kud.get_by_role("row").filter(has_text="under 30")
    assert young.get_by_role("cell").last.inner_text() == "<5"
    # The complement: the smallest other age band, so 40 − the rest cannot give the 3.
    old = kud.get_by_role("row").filter(has_text="60 og over")
    assert old.get_by_role("cell").last.inner_text() == ".."
    assert "15" in kud.get_by_role("row").filter(has_text="30–44").inner_text()
    # The community's totals beside them, and the trend over the two years.
    expect(page.get_by_role("table", name="Fellesskapet, 2025")).to_be_visible()
    page.locator("[data-chart] svg.main-svg").first.wait_for()
    expect(page.get_by_role("link", name="Last ned Excel")).to_be_visible()
    # Per sees his own ministry only.
    response = page.goto(f"{live_server.url}/hr/statistikk/FIN/")
    assert response is not None and response.status == 404
    assert not errors, errors


def test_anne_compares_the_ministries(figures, live_server, page) -> None:
    _login(page, live_server.url, "anne")
    page.goto(f"{live_server.url}/hr/")
    page.get_by_role("link", name="Sammenligning").click()
    page.get_by_label("Periode").select_option("2025")
    page.get_by_label("Måltall").select_option(label="Ansatte etter alder")
    page.get_by_role("button", name="Vis").click()
    table = page.locator("table").first
    kud = table.get_by_role("row").filter(has_text="KUD")
    cells = [c.inner_text() for c in kud.get_by_role("cell").all()]
    # Columns: under 30, 30–44, 45–59, 60 og over, total.
    assert cells[0] == "<5" and cells[2] == "14"
    fin = [
        c.inner_text()
        for c in table.get_by_role("row").filter(has_text="FIN").get_by_role("cell").all()
    ]
    assert fin[0] == ".."  # FIN's «under 30» would give KUD's away through the total
    assert "<5" not in table.locator("tfoot").inner_text()
