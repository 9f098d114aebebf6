"""HR pages with the browser's requests: the import's dry run, confirmation and second run,
a bad file's errors per line, the survey, recruitment and salary-change pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from felles.catalog.models import Service
from felles.core.actor import Actor
from felles.hr.models import Figure, Recruitment, SalaryChange
from felles.organisations.models import Role
from felles.organisations.tests.factories import make_person

pytestmark = pytest.mark.usefixtures("frozen_clock")

GOOD = "departement;periode;måltall;inndeling;verdi\nKUD;2025;antall ansatte;;40\n"


@pytest.fixture
def helene(shop) -> Any:
    person = make_person(shop.dss, "helene", roles=[Role.PROVIDER_AGENT])
    for code in (
        "hr-statistikk",
        "hr-medarbeiderundersokelse",
        "hr-rekruttering",
        "hr-personaladministrasjon",
        "hr-lonnsendring",
    ):
        Service.objects.get(code=code).handling_team.add(person)
    client = Client()
    client.force_login(person.user)
    return client


def _upload(client: Client, text: str, url: str = "/hr/import/") -> Any:
    return client.post(url, {"file": SimpleUploadedFile("dfo.csv", text.encode())})


def test_import_dry_run_confirm_and_again(helene) -> None:
    response = _upload(helene, GOOD)
    assert response.status_code == 200 and Figure.objects.count() == 0
    token = response.context["token"]
    assert token
    done = helene.post("/hr/import/", {"confirm": token})
    assert done.status_code == 302 and Figure.objects.count() == 1
    again = _upload(helene, GOOD)
    assert again.status_code == 200 and not again.context["token"]
    assert "Alt er importert før" in again.content.decode()


def test_a_bad_file_lists_its_lines_and_saves_nothing(helene) -> None:
    bad = GOOD + "KUD;2025;lønn;;3\nKUD;2025;turnover;;-2\nXYZ;2025;turnover;;2\n"
    response = _upload(helene, bad)
    assert response.status_code == 422
    page = response.content.decode()
    assert "ikke et kjent måltall" in page and "kan ikke være negativ" in page
    assert "ikke et departement" in page
    assert [e.row for e in response.context["plan"].errors] == [3, 4, 5]
    assert Figure.objects.count() == 0
    assert _upload(helene, "\x00\x01binary").status_code == 422


def test_survey_import_and_page(helene, shop) -> None:
    text = (
        "departement;periode;enhet;tema;svar;skår\n"
        "KUD;2025;;Engasjement;40;78\n"
        "KUD;2025;Stab;Engasjement;3;90\n"
    )
    response = _upload(helene, text, "/hr/undersokelse/import/")
    helene.post("/hr/undersokelse/import/", {"confirm": response.context["token"]})
    client = Client()
    client.force_login(shop.manager.user)
    page = client.get("/hr/undersokelse/KUD/").content.decode()
    assert "Engasjement" in page and "&lt;5" in page and ">90<" not in page


def test_recruitment_page_records_the_key_dates(helene, shop) -> None:
    from felles.orders import services as order_services

    service = Service.objects.get(code="hr-rekruttering")
    order = order_services.submit_order(
        actor=Actor.system("test"),
        orderer=shop.employee,
        service=service,
        answers={f.key: {"label": f.label_nb, "value": None} for f in service.fields.all()},
    )
    url = f"/hr/rekruttering/{order.uuid}/"
    bad = helene.post(
        url, {"jobbnorge_ref": "JN-1", "announced_on": "2026-12-10", "deadline_on": "2026-12-01"}
    )
    assert bad.status_code == 422 and not Recruitment.objects.exists()
    ok = helene.post(
        url, {"jobbnorge_ref": "JN-1", "announced_on": "2026-12-01", "deadline_on": "2026-12-20"}
    )
    assert ok.status_code == 302
    assert Recruitment.objects.get(order=order).jobbnorge_ref == "JN-1"
    kari = Client()
    kari.force_login(shop.employee.user)
    page = kari.get(url)
    assert (
        page.status_code == 200 and "JN-1" in page.content.decode() and page.context["form"] is None
    )
    assert kari.get("/hr/rekruttering/").status_code == 200


def test_per_sends_a_salary_change_on_its_form(shop, helene) -> None:
    per = Client()
    per.force_login(shop.manager.user)
    bad = per.post(
        "/hr/lonnsendring/",
        {
            "kind": "new_salary",
            "effective_on": "1999-01-01",
            "person": shop.employee.pk,
            "employee_number": "4711",
            "salary_step": "61",
            "reason": "x",
        },
    )
    assert bad.status_code == 422 and not SalaryChange.objects.exists()
    # A new salary needs a step or an amount: the service says so on the form.
    no_step = per.post(
        "/hr/lonnsendring/",
        {
            "kind": "new_salary",
            "effective_on": "2026-12-01",
            "person": shop.employee.pk,
            "employee_number": "4711",
            "reason": "Lokale forhandlinger",
        },
    )
    assert no_step.status_code == 422 and "Oppgi nytt lønnstrinn eller nytt beløp." in (
        no_step.content.decode()
    )
    ok = per.post(
        "/hr/lonnsendring/",
        {
            "kind": "new_salary",
            "effective_on": "2026-12-01",
            "person": shop.employee.pk,
            "employee_number": "4711",
            "salary_step": "61",
            "amount": "650 000",
            "reason": "Lokale forhandlinger",
        },
    )
    assert ok.status_code == 302
    change = SalaryChange.objects.get()
    assert change.order.orderer == shop.manager
    assert change.order.service.code == "hr-lonnsendring"
    assert change.order.answers["belop"]["value"] == "650000"
    # DSS's HR team records DFØ's case reference.
    url = f"/hr/lonnsendring/{change.uuid}/"
    assert (
        helene.post(
            url, {"dfo_reference": "DFØ-1", "sent_on": str(dt.date(2026, 12, 2))}
        ).status_code
        == 302
    )
    change.refresh_from_db()
    assert change.dfo_reference == "DFØ-1"
    # Per sees it but records nothing.
    assert per.get(url).context["form"] is None


def test_overview_comparison_and_trends_render_for_dfd(helene, shop) -> None:
    text = GOOD + "KUD;2024;antall ansatte;;38\nFIN;2025;antall ansatte;;3\n"
    response = _upload(helene, text)
    helene.post("/hr/import/", {"confirm": response.context["token"]})
    anne = Client()
    anne.force_login(shop.governance.user)
    overview = anne.get("/hr/")
    assert overview.status_code == 200 and "trend-community" in overview.content.decode()
    page = anne.get("/hr/statistikk/KUD/?periode=2024")
    assert page.status_code == 200 and "trend-headcount" in page.content.decode()
    compare = anne.get("/hr/sammenligning/?periode=2025&maltall=headcount")
    rows = {m.abbreviation: total.text for m, _cells, total in compare.context["table"].rows}
    # FIN's 3 is small; KUD's 40 goes with it (the community's total is shown).
    assert rows == {"FIN": "<5", "KUD": ".."}
    export = anne.get("/hr/sammenligning/?periode=2025&maltall=headcount&format=csv")
    assert "<5" in export.content.decode() and ";40" not in export.content.decode()
    assert anne.get("/hr/sammenligning/?periode=x&maltall=y&format=z").status_code == 200
    assert anne.get("/hr/statistikk/NOPE/").status_code == 404
