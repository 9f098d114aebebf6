"""The demo guidelines and notices: Anne, Marte and Ingrid each see something; loading
twice adds nothing."""

from __future__ import annotations

from felles.guidelines import demo, selectors
from felles.guidelines.models import Guideline, Version
from felles.notices import demo as notices_demo
from felles.notices import selectors as notice_selectors
from felles.notices.models import Fetch, Notice
from felles.organisations.models import Person


def test_demo_guidelines_and_notices(db, actor, demo_base) -> None:
    for _ in range(2):
        demo.load(actor=actor)
        notices_demo.load(actor=actor)
    status = {g.code: g.versions.get().status for g in Guideline.objects.all()}
    assert status == {
        "reiser": Version.Status.ADOPTED,
        "sikkerhetsinstruks": Version.Status.HEARING,
        "rekruttering": Version.Status.DRAFT,
    }
    user = {p.user.username: p.user for p in Person.objects.filter(user__isnull=False)}
    _orgs, rows = selectors.matrix(user["anne"])
    cells = {c.ministry.abbreviation: c for c in rows[0].cells}
    assert cells["KUD"].adoption.status == "exception" and cells["FIN"].adoption.status == "adopted"
    assert cells["UD"].overdue
    assert selectors.guidelines_for(user["marte"]).count() == 3  # her draft too
    assert selectors.guidelines_for(user["ingrid"]).count() == 2
    assert Notice.objects.count() == 3
    assert notice_selectors.notices_for(user["ingrid"]).count() == 3
    assert Fetch.objects.filter(ministry__abbreviation="KUD").count() == 3
