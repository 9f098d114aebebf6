"""The demo agreements: DSS's agreements in force with KUD, FD (with its adaptation) and
UD, and a draft with FIN; loading twice adds nothing."""

from __future__ import annotations

import datetime as dt

from felles.agreements import demo
from felles.agreements.models import Agreement
from felles.catalog import services as catalog_services
from felles.organisations import demo as organisations_demo
from felles.organisations import services as organisations_services


def test_demo_agreements(db, actor) -> None:
    organisations_services.sync_reference_organisations(actor=actor)
    organisations_demo.load(actor=actor)
    catalog_services.seed_catalogue(actor=actor, price_from=dt.date(2026, 1, 1))
    demo.load(actor=actor)
    demo.load(actor=actor)
    found = {a.ministry.abbreviation: a for a in Agreement.objects.select_related("ministry")}
    assert {k: a.status for k, a in found.items()} == {
        "KUD": "agreed",
        "FD": "agreed",
        "UD": "agreed",
        "FIN": "draft",
    }
    assert "nytt regjeringskvartal" in found["FD"].notes
    assert found["FD"].lines.filter(service__code="sik-vakt-fd").exists()
    assert found["KUD"].ministry_accepted_by.organisation.abbreviation == "KUD"
