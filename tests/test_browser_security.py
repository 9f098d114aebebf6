"""Personnel security in a real browser (issue 20): KUD's security coordinator Knut sees a
clearance expiring in 7 months, starts re-clearance from the reminder (a sik-klarering
order in his name; KUD's deputy coordinator approves it), Sigrid in DSS's
personnel-security team records the authority's decision (the order is resolved), the
register shows the new expiry; FIN's coordinator Frode sees nothing of it; the read log
shows each read."""

from __future__ import annotations

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta

from tests.test_browser import _login, pytestmark  # noqa: F401 - same skips
from tests.test_browser import page as page


@pytest.fixture
def cleared(shop):
    """Sigrid on the team, Frode in FIN, a deputy in KUD and Kari's clearance expiring in
    7 months. Made before the browser."""
    from dateutil.relativedelta import relativedelta
    from django.utils import timezone

    from felles.catalog import services as catalog_services
    from felles.core.actor import Actor
    from felles.organisations.models import Role
    from felles.organisations.tests.factories import make_person
    from felles.security import services

    actor = Actor.system("test")
    shop.sigrid = make_person(shop.dss, "sigrid", roles=[Role.PROVIDER_AGENT], serves=[shop.kud])
    shop.frode = make_person(shop.fin, "frode", roles=[Role.SECURITY_COORDINATOR])
    shop.deputy = make_person(shop.kud, "solveig", roles=[Role.SECURITY_COORDINATOR])
    for code in ("sik-klarering", "sik-autorisasjon"):
        svc = shop.services[code]
        catalog_services.set_confidentiality(
            actor=actor,
            service=svc,
            confidentiality=svc.confidentiality,
            reason_nb=svc.confidentiality_reason_nb or "Personellsikkerhet.",
            reason_en=svc.confidentiality_reason_en,
            team=[shop.sigrid],
        )
    expires = timezone.localdate() + relativedelta(months=7)
    shop.expires = expires
    shop.clearance = services.add_clearance(
        actor=actor,
        ministry=shop.kud,
        person=shop.employee,
        level="hemmelig",
        decided_on=expires - relativedelta(years=5) + dt.timedelta(days=1),
        expires_on=expires,
    )
    return shop


def _as(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    _login(page, base, username)


def test_reclearance_from_reminder_to_new_expiry(cleared, live_server, page) -> None:
    from django.utils import timezone
    from playwright.sync_api import expect

    from felles.security.models import RegisterRead

    base = live_server.url
    register = f"{base}/sikkerhet/personell/"
    main = page.locator("main")
    old = cleared.expires.strftime("%d.%m.%Y")

    # Knut sees the clearance expiring in 7 months and starts re-clearance from it.
    _as(page, base, "knut")
    page.goto(register)
    reminders = page.get_by_test_id("reminders")
    expect(reminders).to_contain_text("Kari Testesen")
    expect(reminders).to_contain_text(old)
    reminders.get_by_role("button", name="Start ny klarering").click()
    expect(main).to_contain_text("Ny sikkerhetsklarering")
    expect(page.get_by_test_id("metadata-notice")).to_be_visible()
    page.get_by_role("button", name="Send bestilling").click()
    expect(main).to_contain_text("Søknad om sikkerhetsklarering")
    expect(main).to_contain_text("Venter på godkjenning")

    # KUD's deputy coordinator approves (nobody approves their own order).
    _as(page, base, "solveig")
    page.goto(f"{base}/godkjenning/")
    page.get_by_role("button", name="Godkjenn").first.click()
    page.get_by_role("status").filter(has_text="er godkjent").wait_for()

    # FIN's coordinator sees nothing of it.
    _as(page, base, "frode")
    page.goto(register)
    expect(main).not_to_contain_text("Kari Testesen")
    assert page.goto(f"{register}?departement=KUD").status == 404

    # Sigrid records the decision: the order is resolved, the register has the new row.
    _as(page, base, "sigrid")
    page.goto(f"{register}?departement=KUD")
    page.get_by_test_id("reminders").get_by_role("link", name="Registrer vedtak").click()
    expect(page.get_by_test_id("metadata-notice")).to_be_visible()
    today = timezone.localdate()
    new_expiry = today + relativedelta(years=5) - dt.timedelta(days=1)  # 29 Feb → 28 Feb
    page.get_by_label("Vedtaksdato").fill(today.isoformat())
    page.get_by_label("Utløper").fill(new_expiry.isoformat())
    page.get_by_role("button", name="Registrer vedtak").click()
    expect(main).to_contain_text("Vedtaket er registrert")

    # Knut's register shows the new expiry; the old clearance has ended.
    _as(page, base, "knut")
    page.goto(register)
    clearances = page.get_by_test_id("clearances")
    expect(clearances).to_contain_text(new_expiry.strftime("%d.%m.%Y"))
    expect(clearances).not_to_contain_text(old)

    # The read log shows each read: Knut's, Sigrid's, never Frode's.
    page.goto(f"{base}/sikkerhet/personell/lesinger/")
    reads = page.get_by_test_id("reads")
    expect(reads).to_contain_text("Sigrid Testesen")
    expect(reads).to_contain_text("Knut Testesen")
    expect(reads).not_to_contain_text("Frode")
    readers = set(RegisterRead.objects.values_list("reader", flat=True))
    assert readers == {"knut", "sigrid"}


@pytest.fixture
def authorised(cleared):
    """Kari authorised at HEMMELIG on her clearance (declaration and conversation first)."""
    from felles.core.actor import Actor
    from felles.security import services

    actor = Actor.system("test")
    decided = cleared.clearance.decided_on
    services.add_declaration(
        actor=actor,
        ministry=cleared.kud,
        person=cleared.employee,
        signed_on=decided + dt.timedelta(days=1),
    )
    services.add_authorisation(
        actor=actor,
        ministry=cleared.kud,
        person=cleared.employee,
        level="hemmelig",
        granted_on=decided + dt.timedelta(days=10),
        authorised_by="Departementsråden",
        conversation_on=decided + dt.timedelta(days=5),
    )
    return cleared


def test_issuing_the_authorised_list_archives_it(authorised, live_server, page) -> None:
    from playwright.sync_api import expect

    from felles.security.models import IssuedList

    base = live_server.url
    main = page.locator("main")
    _as(page, base, "knut")
    page.goto(f"{base}/sikkerhet/personell/autoriserte/")
    page.get_by_label("Merknad (valgfritt)").fill("Til tilsyn")
    page.get_by_role("button", name="Utsted og arkiver listen").click()
    expect(main).to_contain_text("Listen er utstedt og arkivert med 1 person.")
    archive = page.get_by_test_id("issued-lists")
    expect(archive).to_contain_text("Til tilsyn")
    expect(archive).not_to_contain_text("Kari Testesen")  # the index names no one
    archive.get_by_role("link").first.click()
    expect(page.get_by_test_id("issued-list")).to_contain_text("Kari Testesen")
    issued = IssuedList.objects.get()

    # FIN's coordinator reaches neither the archive nor the list.
    _as(page, base, "frode")
    assert (
        page.goto(f"{base}/sikkerhet/personell/autoriserte/utstedte/{issued.uuid}/").status == 404
    )
