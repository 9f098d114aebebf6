"""Guidelines: a version goes on hearing as a governance case, is adopted by its decision
(and becomes a notice), each ministry answers; the matrix flags overdue answers; bad
input saves nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from felles.core.services import Conflict, Forbidden, ServiceError
from felles.guidelines import rules, selectors, services, text
from felles.guidelines.models import Adoption, Guideline, Version
from felles.guidelines.tests.conftest import SYSTEM, actor_for, adopted, close_hearing, draft
from felles.testing import client_for

pytestmark = pytest.mark.django_db


def test_a_version_is_adopted_through_a_heard_governance_case(library) -> None:
    from felles.governance.models import Case
    from felles.notices.models import Notice

    version = draft(library)
    assert version.status == Version.Status.DRAFT
    version = services.send_to_hearing(actor=actor_for(library.marte), version=version)
    case = version.case
    assert version.status == Version.Status.HEARING
    assert case.level == "strategic" and case.status == Case.Status.OPEN
    heard = set(case.hearings.values_list("organisation__abbreviation", flat=True))
    assert {"KUD", "FIN"} <= heard and "DFD" not in heard
    # DSS does not decide a strategic case; DFD may not decide before the hearing closes.
    with pytest.raises(Forbidden):
        services.adopt_version(actor=actor_for(library.marte), version=version, reasons="x")
    with pytest.raises(Conflict, match="Høringsfristen"):
        services.adopt_version(actor=actor_for(library.governance), version=version, reasons="x")
    close_hearing(version)
    version = services.adopt_version(
        actor=actor_for(library.governance), version=version, reasons="Støttet i høringen."
    )
    case.refresh_from_db()
    assert version.status == Version.Status.ADOPTED and case.status == Case.Status.DECIDED
    assert case.effective_from == version.effective_from
    notice = Notice.objects.get(guideline_version=version)
    assert notice.kind == "guideline" and notice.everyone and "Reiser" in notice.title


def test_the_next_version_replaces_the_one_in_force(library) -> None:
    first = adopted(library)
    today = timezone.localdate()
    second = services.draft_version(
        actor=actor_for(library.marte),
        guideline=first.guideline,
        text="Ny tekst",
        changes="Tog i første klasse over 4 timer.",
        effective_from=today + dt.timedelta(days=40),
        respond_by=today + dt.timedelta(days=60),
    )
    assert second.number == 2
    second = services.send_to_hearing(actor=actor_for(library.marte), version=second)
    close_hearing(second)
    services.adopt_version(actor=actor_for(library.governance), version=second, reasons="Ja.")
    first.refresh_from_db()
    assert first.status == Version.Status.REPLACED
    assert selectors.current_version(first.guideline).number == 2


def test_a_ministry_records_an_exception_and_the_matrix_shows_it(library) -> None:
    version = adopted(library)
    services.record_adoption(
        actor=actor_for(library.manager),
        version=version,
        ministry=library.kud,
        status="exception",
        reason="Egen reiseavtale til 2027.",
        ends_on=timezone.localdate() + dt.timedelta(days=200),
    )
    _orgs, rows = selectors.matrix(library.governance.user)
    cells = {c.ministry.abbreviation: c for c in rows[0].cells}
    assert cells["KUD"].adoption.status == "exception" and not cells["KUD"].overdue
    assert not cells["FIN"].overdue  # the deadline is a month away
    _orgs, later = selectors.matrix(
        library.governance.user, today=version.respond_by + dt.timedelta(days=1)
    )
    flagged = {c.ministry.abbreviation for c in later[0].cells if c.overdue}
    assert "FIN" in flagged and "KUD" not in flagged
    # DSS (the owner) sees its guideline's row; a ministry employee may not see the matrix.
    assert len(selectors.matrix(library.marte.user)[1]) == 1
    assert client_for(library.employee).get("/retningslinjer/matrise/").status_code == 403
    page = client_for(library.governance).get("/retningslinjer/matrise/")
    assert "Unntak" in page.content.decode()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"status": "exception", "reason": "Grunn", "ends_on": None}, "ends_on"),
        ({"status": "exception", "reason": "", "ends_on": "future"}, "reason"),
        ({"status": "exception", "reason": "Grunn", "ends_on": "past"}, "ends_on"),
        ({"status": "exception", "reason": "Grunn", "ends_on": "far"}, "ends_on"),
        ({"status": "local", "addition": ""}, "addition"),
        ({"status": "local", "addition": "a\x00b"}, "addition"),
        ({"status": "maybe"}, "status"),
    ],
)
def test_bad_answers_are_clear_errors_and_save_nothing(library, values, field) -> None:
    version = adopted(library)
    today = timezone.localdate()
    dates = {
        "future": today + dt.timedelta(days=10),
        "past": today,
        "far": today + dt.timedelta(days=6 * 366),
    }
    if values.get("ends_on") in dates:
        values = {**values, "ends_on": dates[values["ends_on"]]}
    with pytest.raises(ServiceError) as caught:
        services.record_adoption(
            actor=actor_for(library.coordinator), version=version, ministry=library.kud, **values
        )
    assert field in caught.value.field_errors
    assert not Adoption.objects.exists()


def test_only_the_ministrys_responsible_people_answer_for_it(library) -> None:
    version = adopted(library)
    with pytest.raises(Forbidden):
        services.record_adoption(
            actor=actor_for(library.employee),
            version=version,
            ministry=library.kud,
            status="adopted",
        )
    with pytest.raises(Forbidden):
        services.record_adoption(
            actor=actor_for(library.coordinator),
            version=version,
            ministry=library.fin,
            status="adopted",
        )


def test_bad_guidelines_save_nothing(library) -> None:
    with pytest.raises(ServiceError) as caught:
        draft(library, code="Ugyldig kode!")
    assert "code" in caught.value.field_errors
    with pytest.raises(ServiceError) as caught:
        draft(library, code="ok", title="Tittel\x07")
    assert "title" in caught.value.field_errors
    with pytest.raises(ServiceError):
        draft(library, code="tom", text="   ")
    draft(library, code="dobbel")
    with pytest.raises(Conflict):
        draft(library, code="dobbel")
    assert Guideline.objects.count() == 1
    with pytest.raises(Forbidden):  # KUD's coordinator writes no DSS guideline
        services.create_guideline(
            actor=actor_for(library.coordinator),
            code="x",
            title="x",
            kind="routine",
            area=Guideline.objects.get().area,
            owner=library.dss,
            text="x",
            effective_from=timezone.localdate(),
            respond_by=timezone.localdate(),
        )


def test_drafts_are_the_owners_until_they_go_on_hearing(library) -> None:
    version = draft(library)
    assert not selectors.guidelines_for(library.employee.user).exists()
    assert selectors.guidelines_for(library.marte.user).count() == 1
    assert client_for(library.employee).get("/retningslinjer/reiser/").status_code == 404
    services.send_to_hearing(actor=actor_for(library.marte), version=version)
    assert selectors.guidelines_for(library.employee.user).count() == 1


def test_search_finds_text_and_the_pages_render(library) -> None:
    adopted(library)
    assert selectors.guidelines_for(library.employee.user, q="økonomiklasse").count() == 1
    assert not selectors.guidelines_for(library.employee.user, q="ingenting slikt").exists()
    client = client_for(library.employee)
    assert "Reiser" in client.get("/retningslinjer/?q=ØKONOMIKLASSE").content.decode()
    printed = client.get("/retningslinjer/reiser/utskrift/").content.decode()
    assert "guidelines/print.css" in printed and "<li>Fly: økonomiklasse</li>" in printed
    assert client.get("/retningslinjer/reiser/").status_code == 200


def test_the_atom_feed_lists_versions_and_wants_a_key(library) -> None:
    from django.test import Client

    from felles.core.actor import Actor
    from felles.core.services import create_api_token

    adopted(library)
    assert Client().get("/retningslinjer/atom/").status_code == 401
    issued = create_api_token(actor=Actor.system("t"), user=library.employee.user, name="feed")
    response = Client().get("/retningslinjer/atom/", HTTP_AUTHORIZATION=f"Bearer {issued.secret}")
    assert response.status_code == 200
    assert "Reiser, versjon 1 (vedtatt)" in response.content.decode()


def test_the_api_answers_and_refuses_in_bokmal(library) -> None:
    adopted(library)
    client = client_for(library.coordinator)
    listed = client.get("/api/v1/guidelines?q=reis").json()
    assert listed["items"][0]["current_version"] == 1
    bad = client.put(
        "/api/v1/guidelines/reiser/adoption",
        data={"status": "exception", "reason": "Grunn"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "sluttdato" in bad.json()["message"]
    ok = client.put(
        "/api/v1/guidelines/reiser/adoption",
        data={"status": "local", "addition": "Også taxi."},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["ministry"] == "KUD"
    matrix = client_for(library.governance).get("/api/v1/guidelines/matrix").json()
    assert {c["ministry"]: c["status"] for c in matrix[0]["cells"]}["KUD"] == "local"


def test_text_is_escaped_and_marked_up() -> None:
    html = text.render("# Tittel\n<script>x</script> **fet**\n\n1. en\n2. to")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<strong>fet</strong>" in html and "<ol" in html and "<h2" in html


def test_rules_by_hand() -> None:
    day = dt.date(2026, 11, 18)
    assert not rules.is_overdue(day, day, answered=False)  # the deadline itself is in time
    assert rules.is_overdue(day, day + dt.timedelta(days=1), answered=False)
    assert not rules.is_overdue(day, day + dt.timedelta(days=1), answered=True)
    assert rules.exception_end_problem(None, day) == rules.NO_END
    assert rules.exception_end_problem(day, day) == rules.END_PASSED
    # 5 × 366 = 1830 days is allowed; 1831 is not.
    assert rules.exception_end_problem(day + dt.timedelta(days=1830), day) is None
    assert rules.exception_end_problem(day + dt.timedelta(days=1831), day) == rules.END_TOO_LATE
    assert rules.next_number([]) == 1 and rules.next_number([1, 3]) == 4


def test_a_version_dfd_did_not_adopt_is_not_adopted_but_withdrawn(library) -> None:
    from felles.governance import services as governance_services
    from felles.notices.models import Notice

    version = services.send_to_hearing(actor=actor_for(library.marte), version=draft(library))
    close_hearing(version)
    governance_services.decide_case(
        actor=actor_for(library.governance),
        case=version.case,
        decision="Vedtas ikke; skal samordnes med HR-rutinene.",
        reasons="Høringen var delt.",
    )
    # The case was decided against it on the case page: adopting it is refused, nothing saved.
    with pytest.raises(Conflict, match="uten at versjonen ble vedtatt"):
        services.adopt_version(actor=actor_for(library.governance), version=version, reasons="x")
    version.refresh_from_db()
    assert version.status == Version.Status.HEARING and version.adopted_at is None
    assert not Notice.objects.filter(guideline_version=version).exists()
    # The page offers no adoption; the owner is told why and may withdraw it.
    dfd_page = client_for(library.governance).get("/retningslinjer/reiser/").content.decode()
    assert "Vedta versjonen" not in dfd_page
    page = client_for(library.marte).get("/retningslinjer/reiser/").content.decode()
    assert "Saken er avgjort uten at versjonen ble vedtatt" in page
    assert "Trekk tilbake versjon 1" in page
    response = client_for(library.marte).post(
        "/retningslinjer/reiser/",
        {"action": "withdraw", "version": str(version.uuid), "reason": "Ikke vedtatt."},
    )
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == Version.Status.WITHDRAWN
    empty = client_for(library.marte).post(
        "/retningslinjer/reiser/", {"action": "withdraw", "version": str(version.uuid)}
    )
    assert empty.status_code == 422  # a reason is required: the form says so


def test_a_case_below_the_strategic_level_adopts_nothing(library) -> None:
    from felles.governance.models import Case

    version = services.send_to_hearing(actor=actor_for(library.marte), version=draft(library))
    close_hearing(version)
    assert version.case.level == rules.ADOPTING_LEVEL
    # A case the table once routed to the provider (tactical): DSS's manager decides it
    # there, which is not DFD adopting a common guideline.
    Case.objects.filter(pk=version.case_id).update(level="tactical")
    version.refresh_from_db()
    with pytest.raises(Conflict, match="strategisk nivå"):
        services.adopt_version(actor=actor_for(library.marte), version=version, reasons="x")
    version.refresh_from_db()
    case = version.case
    assert version.status == Version.Status.HEARING and case.status == Case.Status.OPEN
    # Decided at the tactical level in the case register: still refused.
    Case.objects.filter(pk=case.pk).update(
        status="decided",
        decision="Vedtatt",
        decided_at=timezone.now(),
        decided_level="tactical",
    )
    with pytest.raises(Conflict, match="strategisk nivå"):
        services.adopt_version(actor=actor_for(library.marte), version=version, reasons="x")
    assert Version.objects.get(pk=version.pk).status == Version.Status.HEARING


def test_adoption_rules_by_hand() -> None:
    def problem(**kw):
        values = {"has_case": True, "decided": True, "in_favour": True}
        return rules.adoption_problem(**{**values, "decided_level": "strategic", **kw})

    assert problem() is None  # decided here, in favour, by DFD
    assert problem(has_case=False) == rules.NO_CASE
    assert problem(decided=False, decided_level="") == rules.NOT_DECIDED
    assert problem(in_favour=False) == rules.NOT_IN_FAVOUR  # decided against, elsewhere
    assert problem(decided_level="tactical") == rules.WRONG_LEVEL
    assert problem(decided_level="operative", in_favour=False) == rules.WRONG_LEVEL


def test_the_case_that_adopted_a_version_is_not_reopened(library) -> None:
    """Before the fix the case reopened and the version stayed in force, decided by nothing."""
    from felles.governance import services as governance_services
    from felles.governance.models import Case

    version = adopted(library)
    with pytest.raises(Conflict, match="vedtok versjon 1 av retningslinjen «Reiser»"):
        governance_services.reopen_case(
            actor=actor_for(library.governance), case=version.case, ground="Nye opplysninger."
        )
    assert Case.objects.get(pk=version.case_id).status == Case.Status.DECIDED
    assert Version.objects.get(pk=version.pk).status == Version.Status.ADOPTED


def test_every_ministry_is_heard_whatever_the_table_says(library) -> None:
    """Before the fix DFD's hear_ministries=False raised a case nobody was heard on, and
    the version could be adopted unheard."""
    from felles.governance.models import DecisionRight, Hearing

    version = draft(library)
    services.guideline_right(SYSTEM)
    DecisionRight.objects.filter(code=services.RIGHT_CODE).update(hear_ministries=False)
    version = services.send_to_hearing(actor=actor_for(library.marte), version=version)
    heard = set(version.case.hearings.values_list("organisation__abbreviation", flat=True))
    assert {"KUD", "FIN"} <= heard
    # A case that left a ministry out (raised before the fix) adopts nothing.
    Hearing.objects.filter(case=version.case, organisation=library.fin).delete()
    close_hearing(version)
    with pytest.raises(Conflict, match="ikke hørt alle departementene"):
        services.adopt_version(actor=actor_for(library.governance), version=version, reasons="x")
    assert Version.objects.get(pk=version.pk).status == Version.Status.HEARING
    assert (
        rules.adoption_problem(
            has_case=True,
            decided=True,
            in_favour=True,
            decided_level="strategic",
            unheard=frozenset({7}),
        )
        == rules.NOT_HEARD
    )


def test_an_exception_past_its_end_is_overdue_in_the_matrix(library) -> None:
    """Before the fix it stayed a normal «Unntak til …», not counted as overdue."""
    version = adopted(library)
    ends = timezone.localdate() + dt.timedelta(days=40)
    services.record_adoption(
        actor=actor_for(library.manager),
        version=version,
        ministry=library.kud,
        status="exception",
        reason="Egen avtale.",
        ends_on=ends,
    )
    after = ends + dt.timedelta(days=1)
    _orgs, rows = selectors.matrix(library.governance.user, today=after)
    kud = next(c for c in rows[0].cells if c.ministry == library.kud)
    assert kud.overdue and kud.expired
    assert rules.is_overdue(ends, ends, True, ends) is False  # the last day still holds
    with time_machine.travel(after):
        page = client_for(library.governance).get("/retningslinjer/matrise/").content.decode()
    assert "Unntaket er utløpt" in page


def test_a_version_with_a_passed_answer_deadline_does_not_go_on_hearing(library) -> None:
    version = draft(library)
    Version.objects.filter(pk=version.pk).update(
        respond_by=timezone.localdate() - dt.timedelta(days=1)
    )
    version.refresh_from_db()
    with pytest.raises(ServiceError, match="Svarfristen for departementene er passert"):
        services.send_to_hearing(actor=actor_for(library.marte), version=version)
    assert Version.objects.get(pk=version.pk).status == Version.Status.DRAFT


def test_withdrawing_the_version_in_force_is_announced(library) -> None:
    """Before the fix a withdrawal reached no ministry."""
    from felles.notices import selectors as notice_selectors
    from felles.notices.models import Notice

    version = adopted(library)
    services.withdraw_version(
        actor=actor_for(library.marte), version=version, reason="Erstattes av statens avtale."
    )
    notice = Notice.objects.exclude(guideline_version=version).get(kind="guideline")
    assert notice.everyone and notice.title == "Retningslinje trukket tilbake: Reiser"
    assert "Versjon 1 gjelder ikke lenger" in notice.body and "statens avtale" in notice.body
    assert notice.case_id == version.case_id
    visible = notice_selectors.notices_for(library.employee.user)
    assert visible.filter(pk=notice.pk).exists()
    # A draft nobody has seen is withdrawn quietly.
    services.withdraw_version(
        actor=actor_for(library.marte), version=draft(library, "nytt"), reason="Feil."
    )
    assert Notice.objects.filter(kind="guideline").count() == 2
