"""HR with the database: the imports (all-or-nothing, idempotent, clear errors), who sees
which figures, suppression on the pages, in the exports and in the API, the comparison,
the survey, recruitment key dates and the salary change to DFØ."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from felles.catalog.models import Service
from felles.core.actor import Actor
from felles.core.services import Forbidden, ServiceError
from felles.hr import hiring, importing, selectors, services
from felles.hr.models import Figure, HrImport, Recruitment, SurveyResult
from felles.organisations.models import Organisation, Role
from felles.organisations.tests.factories import make_person

pytestmark = pytest.mark.usefixtures("frozen_clock")

HEADER = "departement;periode;måltall;inndeling;verdi\n"
KUD_2025 = (
    HEADER
    + "KUD;2025;antall ansatte;;40\n"
    + "KUD;2025;årsverk;;37,5\n"
    + "KUD;2025;sykefravær;;4,8\n"
    + "KUD;2025;kjønn;kvinner;23\n"
    + "KUD;2025;kjønn;menn;17\n"
    + "KUD;2025;alder;under 30;3\n"
    + "KUD;2025;alder;30–44;15\n"
    + "KUD;2025;alder;45–59;14\n"
    + "KUD;2025;alder;60 og over;8\n"
    + "FIN;2025;antall ansatte;;60\n"
    + "FIN;2025;alder;under 30;10\n"
    + "FIN;2025;alder;30–44;50\n"
)


@pytest.fixture
def team(shop) -> Any:
    """Helene in DSS's HR team (handling team of the HR services), serving every
    ministry."""
    helene = make_person(shop.dss, "helene", roles=[Role.PROVIDER_AGENT])
    for code in ("hr-statistikk", "hr-medarbeiderundersokelse", "hr-rekruttering"):
        Service.objects.get(code=code).handling_team.add(helene)
    shop.helene = helene
    return shop


def _import(actor: Actor, text: str, name: str = "dfo.csv") -> importing.HrPlan:
    plan = importing.check_statistics(actor=actor, content=text.encode(), filename=name)
    if plan.ok:
        importing.apply_statistics(actor=actor, plan=plan)
    return plan


def test_import_is_idempotent(team) -> None:
    actor = Actor(user=team.helene.user)
    plan = _import(actor, KUD_2025)
    assert plan.ok and plan.created == 12
    again = _import(actor, KUD_2025)
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 12)
    assert Figure.objects.count() == 12
    corrected = _import(actor, HEADER + "KUD;2025;antall ansatte;;41\n")
    assert corrected.updated == 1
    assert Figure.objects.get(ministry=team.kud, measure="headcount").value == 41


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("KUD;2025;lønn;;10", "ikke et kjent måltall"),
        ("KUD;2025;antall ansatte;;-3", "kan ikke være negativ"),
        ("XYZ;2025;antall ansatte;;3", "ikke et departement"),
        ("KUD;2025-13;antall ansatte;;3", "ikke en periode"),
        ("KUD;2025;kjønn;;3", "må ha en inndeling"),
        ("KUD;2025;antall ansatte;;2,5", "helt tall"),
        ("KUD;2025;sykefravær;;120", "prosent"),
    ],
)
def test_bad_lines_are_listed_and_nothing_is_saved(team, line: str, message: str) -> None:
    actor = Actor(user=team.helene.user)
    plan = _import(actor, KUD_2025 + line + "\n")
    assert not plan.ok
    assert [e.row for e in plan.errors] == [14]
    assert message in plan.errors[0].message
    assert Figure.objects.count() == 0 and HrImport.objects.count() == 0


def test_only_the_hr_team_imports(team) -> None:
    with pytest.raises(Forbidden):
        importing.check_statistics(
            actor=Actor(user=team.governance.user), content=KUD_2025.encode(), filename="a.csv"
        )


def test_a_team_member_imports_only_for_the_ministries_served(team) -> None:
    limited = make_person(team.dss, "hilde.hr", roles=[Role.PROVIDER_AGENT], serves=[team.fin])
    Service.objects.get(code="hr-statistikk").handling_team.add(limited)
    plan = importing.check_statistics(
        actor=Actor(user=limited.user), content=KUD_2025.encode(), filename="a.csv"
    )
    assert not plan.ok and "betjener ikke KUD" in plan.errors[0].message


def test_who_sees_which_ministry(team) -> None:
    assert selectors.ministry_scope(team.manager.user) == {team.kud.pk}
    assert selectors.ministry_scope(team.governance.user) is None
    assert selectors.ministry_scope(team.helene.user) is None
    assert selectors.ministry_scope(team.employee.user) == frozenset()
    assert selectors.ministry_scope(team.coordinator.user) == frozenset()
    assert selectors.ministry_scope(team.outsider.user) == frozenset()


def test_the_page_suppresses_small_cells_and_their_complement(team) -> None:
    _import(Actor(user=team.helene.user), KUD_2025)
    client = Client()
    client.force_login(team.manager.user)
    page = client.get("/hr/statistikk/KUD/").content.decode()
    rows = {
        name: cell.text
        for row in selectors.ministry_figures(team.kud, "2025")
        for name, cell in row.breakdown
    }
    # «under 30» = 3 is small; its complement is the smallest other age band (8).
    assert rows["under 30"] == "<5" and rows["60 og over"] == ".."
    # Across the table (as DFD's comparison): FIN's «under 30» goes with KUD's, FIN's row then
    # hides its 50 in «30–44», and that column needs a second hidden cell: KUD's 15.
    assert rows["30–44"] == ".." and rows["45–59"] == "14" and rows["kvinner"] == "23"
    assert "&lt;5" in page and "..<" in page
    # Per sees his own ministry, not FIN's.
    assert client.get("/hr/statistikk/FIN/").status_code == 404


def test_the_export_suppresses_as_the_page(team) -> None:
    _import(Actor(user=team.helene.user), KUD_2025)
    client = Client()
    client.force_login(team.manager.user)
    response = client.get("/hr/statistikk/KUD/?periode=2025&format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
    values = {(r[0], r[2], r[3]): r[4] for r in rows[1:]}
    assert values[("KUD", "Ansatte etter alder", "under 30")] == "<5"
    assert values[("KUD", "Ansatte etter alder", "60 og over")] == ".."
    assert values[("KUD", "Antall ansatte", "I alt")] == "40"
    assert values[("KUD", "Sykefravær (prosent)", "I alt")] == "4.80"
    xlsx = client.get("/hr/statistikk/KUD/?periode=2025&format=xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd")


def test_the_api_gives_no_value_for_a_hidden_cell(team) -> None:
    _import(Actor(user=team.helene.user), KUD_2025)
    client = Client()
    client.force_login(team.manager.user)
    body = client.get("/api/v1/hr/statistics/KUD").json()
    small = next(c for c in body["figures"] if c["breakdown"] == "under 30")
    assert small == {
        "measure": "age_band",
        "breakdown": "under 30",
        "value": None,
        "text": "<5",
        "hidden": True,
    }


def test_the_comparison_protects_across_ministries(team) -> None:
    _import(Actor(user=team.helene.user), KUD_2025)
    table = selectors.comparison("2025", "age_band")
    cells = {m.abbreviation: [c.text for c in row] for m, row, _total in table.rows}
    assert table.columns == ["under 30", "30–44", "45–59", "60 og over"]
    # KUD's «under 30» (3) is small; the column's other cell (FIN, 10) goes with it, and
    # FIN's row then hides its smallest other cell (50) so its 10 cannot be worked out.
    assert cells["KUD"][0] == "<5" and cells["FIN"][0] == ".."
    assert cells["FIN"][1] == ".." and cells["KUD"][1] == ".."
    # «60 og over» is KUD's alone: the community's total would give it away.
    assert table.community[3].text == ".."
    client = Client()
    client.force_login(team.governance.user)
    assert client.get("/hr/sammenligning/?periode=2025&maltall=age_band").status_code == 200
    client.force_login(team.manager.user)
    assert client.get("/hr/sammenligning/").status_code == 403


def test_a_ministrys_page_hides_what_the_other_pages_would_give_away(team) -> None:
    """A cross-ministry reader sees FIN's page, KUD's page and the community's totals side by
    side: KUD's «under 30» (3) must not be the community's total minus FIN's figure."""
    _import(Actor(user=team.helene.user), KUD_2025)

    def cell(rows, breakdown):
        row = next(r for r in rows if r.measure == "age_band")
        return next(c for b, c in row.breakdown if b == breakdown)

    kud = selectors.ministry_figures(team.kud, "2025")
    fin = selectors.ministry_figures(team.fin, "2025")
    community = selectors.community_figures("2025")
    assert cell(kud, "under 30").text == "<5"
    # FIN's 10 goes too (the same cells as the comparison), so 13 − 10 gives nothing away.
    assert cell(fin, "under 30").text == ".."
    assert cell(community, "60 og over").text == ".."  # KUD's alone
    # The community's own row (its age bands with its headcount, 100) would give that 8
    # away as 100 − 13 − 65 − 14, so its smallest other band (13, «under 30») goes too.
    assert cell(community, "under 30").text == ".."
    assert cell(community, "45–59").text == "14"


def test_two_small_cells_adding_up_to_under_five_are_not_left_alone(team) -> None:
    """KUD's age bands 1, 2, 20, 17 (headcount 40): hiding only the 1 and the 2 would let
    40 − 20 − 17 = 3 through. The next smallest (17) goes, and the columns follow."""
    _import(
        Actor(user=team.helene.user),
        HEADER
        + "KUD;2025;antall ansatte;;40\n"
        + "KUD;2025;alder;under 30;1\n"
        + "KUD;2025;alder;30–44;2\n"
        + "KUD;2025;alder;45–59;20\n"
        + "KUD;2025;alder;60 og over;17\n"
        + "FIN;2025;antall ansatte;;60\n"
        + "FIN;2025;alder;under 30;10\n"
        + "FIN;2025;alder;30–44;50\n",
    )
    table = selectors.period_table("2025")
    kud = {b: c.text for (m, b), c in table.own[team.kud.pk].items() if m == "age_band"}
    fin = {b: c.text for (m, b), c in table.own[team.fin.pk].items() if m == "age_band"}
    community = {b: c.text for (m, b), c in table.community.items() if m == "age_band"}
    # KUD's row: 1 + 2 = 3 < 5 → the 17 too (1 + 2 + 17 = 20); the 20 stays.
    assert kud == {"under 30": "<5", "30–44": "<5", "45–59": "20", "60 og over": ".."}
    # Columns: «under 30» and «30–44» each hide KUD's alone → FIN's 10 and 50 go.
    assert fin == {"under 30": "..", "30–44": ".."}
    # «60 og over» is KUD's alone → the community's 17 goes; its row (total 100) then
    # hides its smallest other band with people, «under 30» (11): 17 + 11 = 28.
    assert community == {"under 30": "..", "30–44": "52", "45–59": "20", "60 og over": ".."}
    assert table.own[team.kud.pk][("headcount", "")].text == "40"


def test_sick_leave_is_hidden_with_a_small_headcount(team) -> None:
    _import(
        Actor(user=team.helene.user),
        HEADER + "SMK;2025;antall ansatte;;4\nSMK;2025;sykefravær;;12,5\n",
    )
    smk = Organisation.objects.get(abbreviation="SMK")
    cells = {r.measure: r.total.text for r in selectors.ministry_figures(smk, "2025")}
    assert cells == {"headcount": "<5", "sick_leave": ".."}


SURVEY = (
    "departement;periode;enhet;tema;svar;skår\n"
    "KUD;2025;;Engasjement;40;78\n"
    "KUD;2025;Kulturavdelingen;Engasjement;25;80\n"
    "KUD;2025;Mediaavdelingen;Engasjement;12;74\n"
    "KUD;2025;Stab;Engasjement;3;90\n"
)


def test_survey_results_are_suppressed_by_respondents(team) -> None:
    actor = Actor(user=team.helene.user)
    plan = importing.check_survey(actor=actor, content=SURVEY.encode(), filename="s.csv")
    assert plan.ok
    importing.apply_survey(actor=actor, plan=plan)
    again = importing.check_survey(actor=actor, content=SURVEY.encode(), filename="s.csv")
    assert again.changes == 0 and SurveyResult.objects.count() == 4
    from felles.hr import surveys

    (topic,) = surveys.results(team.kud, "2025")
    units = {u.unit: (u.respondents.text, u.score.text) for u in topic.units}
    assert units["Stab"] == ("<5", "..")
    assert units["Mediaavdelingen"] == ("..", "..")  # the complement
    assert units["Kulturavdelingen"] == ("25", "80")


def test_the_survey_community_row_does_not_give_a_small_ministry_away(team) -> None:
    """«Engasjement»: KUD 3 respondents (hidden), FIN 20: the community's 23 minus FIN's 20
    would be KUD's 3, so FIN's whole-ministry row goes too (3 + 20 hidden, 23 shown).
    «Ledelse» only KUD answered (3): the community row is KUD's, so it goes."""
    from felles.hr import surveys

    text = (
        "departement;periode;enhet;tema;svar;skår\n"
        "KUD;2025;;Engasjement;3;90\n"
        "FIN;2025;;Engasjement;20;70\n"
        "KUD;2025;;Ledelse;3;60\n"
    )
    actor = Actor(user=team.helene.user)
    importing.apply_survey(
        actor=actor,
        plan=importing.check_survey(actor=actor, content=text.encode(), filename="s.csv"),
    )
    (fin,) = surveys.results(team.fin, "2025")
    assert (fin.respondents.text, fin.score.text) == ("..", "..")
    community = {r.topic: (r.respondents.text, r.score.text) for r in surveys.community("2025")}
    # (3 × 90 + 20 × 70) / 23 = 1670 / 23 = 72.6
    assert community == {"Engasjement": ("23", "72,6"), "Ledelse": ("<5", "..")}
    kud = {r.topic: r.respondents.text for r in surveys.results(team.kud, "2025")}
    assert kud == {"Engasjement": "<5", "Ledelse": "<5"}


def test_survey_errors(team) -> None:
    actor = Actor(user=team.helene.user)
    bad = "departement;periode;enhet;tema;svar;skår\nKUD;2025;;Engasjement;-1;101\n"
    plan = importing.check_survey(actor=actor, content=bad.encode(), filename="s.csv")
    assert {e.column for e in plan.errors} == {"svar", "skår"}


def _recruitment(team) -> Any:
    from felles.orders import services as order_services

    service = Service.objects.get(code="hr-rekruttering")
    return order_services.submit_order(
        actor=Actor.system("test"),
        orderer=team.employee,
        service=service,
        answers={f.key: {"label": f.label_nb, "value": None} for f in service.fields.all()},
    )


def test_recruitment_key_dates_and_time_to_hire(team) -> None:
    order = _recruitment(team)
    actor = Actor(user=team.helene.user)
    start = order.submitted_at.date()
    with pytest.raises(ServiceError) as refused:
        services.save_recruitment(
            actor=actor,
            order=order,
            values={"offer_on": start + dt.timedelta(days=30), "accepted_on": start},
        )
    assert set(refused.value.field_errors) == {"accepted_on", "jobbnorge_ref"}
    services.save_recruitment(
        actor=actor,
        order=order,
        values={
            "jobbnorge_ref": "JN-123456",
            "announced_on": start + dt.timedelta(days=7),
            "accepted_on": start + dt.timedelta(days=56),
        },
    )
    record = Recruitment.objects.get(order=order)
    assert record.jobbnorge_ref == "JN-123456"
    (row,) = hiring.time_to_hire(team.governance.user)
    assert row.ministry == team.kud and row.hired == 1 and row.median == hiring.days_to_hire(record)
    with pytest.raises(Forbidden):
        services.save_recruitment(
            actor=Actor(user=team.manager.user), order=order, values={"jobbnorge_ref": "x"}
        )


def _salary(team: Any, **kwargs: Any) -> Any:
    values = {
        "actor": Actor(user=team.manager.user),
        "orderer": team.manager,
        "person": team.employee,
        "kind": "new_salary",
        "effective_on": dt.date(2026, 12, 1),
        "employee_number": "10004711",
        "salary_step": 62,
        "reason": "Lønnstrinn 62 etter lokale forhandlinger.",
    }
    return services.send_salary_change(**{**values, **kwargs})


def test_salary_change_becomes_an_order_of_its_own_service_with_dfo_reference(team) -> None:
    change = _salary(team)
    order = change.order
    # Its own catalogue service and form, not personnel administration's.
    assert order.service.code == "hr-lonnsendring" and order.service.provider == team.dss
    assert order.beneficiary == team.employee
    values = {key: item["value"] for key, item in order.answers.items()}
    assert values == {
        "gjelder": {"id": str(team.employee.uuid), "name": team.employee.full_name},
        "ansattnummer": "10004711",
        "endring": "Ny lønn (lønnstrinn eller kronebeløp)",
        "gjelder_fra": "2026-12-01",
        "lonnstrinn": 62,
        "belop": None,
        "stillingsprosent": None,
        "begrunnelse": "Lønnstrinn 62 etter lokale forhandlinger.",
    }
    with pytest.raises(Forbidden):
        _salary(team, actor=Actor(user=team.employee.user), orderer=team.employee)
    with pytest.raises(ServiceError):
        services.record_dfo_reference(
            actor=Actor(user=team.helene.user),
            change=change,
            reference="\x00",
            sent_on=dt.date(2026, 12, 2),
        )
    Service.objects.get(code="hr-lonnsendring").handling_team.add(team.helene)
    services.record_dfo_reference(
        actor=Actor(user=team.helene.user),
        change=change,
        reference="DFØ-2026-4711",
        sent_on=dt.date(2026, 12, 2),
    )
    change.refresh_from_db()
    assert change.dfo_reference == "DFØ-2026-4711" and change.order == order


def test_the_catalogue_sends_a_salary_change_to_the_hr_page_and_the_api_refuses_it(team) -> None:
    """Ordered through the ordinary catalogue, «Lønnsendring til DFØ» would be an order
    without its `SalaryChange` and without its checks: the form sends to HR's page, the
    API refuses it and names the page."""
    from felles.hr.models import SalaryChange
    from felles.orders.models import Order

    service = Service.objects.get(code="hr-lonnsendring")
    client = Client()
    client.force_login(team.manager.user)
    answer = client.get(f"/bestill/{service.uuid}/")
    assert answer.status_code == 302 and answer["Location"] == "/hr/lonnsendring/"
    answer = client.post(
        "/api/v1/orders",
        {"service_id": str(service.uuid), "answers": {"begrunnelse": "x"}},
        content_type="application/json",
    )
    assert answer.status_code in (400, 422), answer.content
    assert "/hr/lonnsendring/" in answer.json()["message"]
    assert not Order.objects.exists() and not SalaryChange.objects.exists()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"employee_number": "12ab"}, "employee_number"),
        ({"employee_number": ""}, "employee_number"),
        ({"salary_step": 0}, "salary_step"),
        ({"salary_step": 102}, "salary_step"),
        ({"salary_step": None}, "salary_step"),  # new salary: a step or an amount
        ({"amount": -1}, "amount"),
        ({"amount": 10**12}, "amount"),
        ({"reason": "  "}, "reason"),
        ({"reason": "a\x00b"}, "reason"),
        ({"kind": "bonus"}, "kind"),
        ({"effective_on": dt.date(1999, 12, 31)}, "effective_on"),
        # An allowance needs its amount; a changed percentage its percentage (0–100, two
        # decimals).
        ({"kind": "allowance", "salary_step": None}, "amount"),
        ({"kind": "percentage", "salary_step": None}, "percentage"),
        ({"kind": "percentage", "percentage": Decimal("100.01")}, "percentage"),
        ({"kind": "percentage", "percentage": Decimal("-1")}, "percentage"),
        ({"kind": "percentage", "percentage": Decimal("50.125")}, "percentage"),
        ({"kind": "percentage", "percentage": Decimal("NaN")}, "percentage"),
    ],
)
def test_bad_salary_changes_are_clear_errors_and_save_nothing(team, values, field) -> None:
    from felles.hr.models import SalaryChange
    from felles.orders.models import Order

    with pytest.raises(ServiceError) as caught:
        _salary(team, **values)
    assert field in caught.value.field_errors
    assert not SalaryChange.objects.exists() and not Order.objects.exists()


def test_a_salary_change_by_amount_or_of_another_kind_needs_no_step(team) -> None:
    from decimal import Decimal

    by_amount = _salary(team, salary_step=None, amount=Decimal("812500"))
    assert by_amount.order.answers["belop"]["value"] == "812500"
    allowance = _salary(team, kind="allowance_end", salary_step=None)
    assert allowance.order.answers["endring"]["value"] == "Tillegg som opphører"
    added = _salary(team, kind="allowance", salary_step=None, amount=Decimal("24000"))
    assert added.order.answers["belop"]["value"] == "24000"
    part = _salary(team, kind="percentage", salary_step=None, percentage=Decimal("80.5"))
    assert part.percentage == Decimal("80.5")
    assert part.order.answers["stillingsprosent"]["value"] == "80.5"


def test_demo_loads_twice_with_kuds_small_cells(shop) -> None:
    from felles.hr import demo
    from felles.hr.models import SalaryChange

    make_person(shop.dss, "helene", roles=[Role.PROVIDER_AGENT])
    demo.load(actor=Actor.system("demo"))
    count = Figure.objects.count()
    demo.load(actor=Actor.system("demo"))
    assert Figure.objects.count() == count > 0
    assert SalaryChange.objects.count() == 1
    rows = {
        name: cell.text
        for row in selectors.ministry_figures(shop.kud, "2025")
        for name, cell in row.breakdown
    }
    assert rows["under 30"] == "<5" and rows["deltid"] == "<5"
