"""The demo agreements: DSS's agreements in force with KUD, FD (with its adaptation) and
UD, and a draft with FIN; loading twice adds nothing."""

from __future__ import annotations

from felles.agreements import demo
from felles.agreements.models import Agreement


def test_demo_agreements(db, actor, demo_base) -> None:
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
