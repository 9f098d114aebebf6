"""The personnel-security demo: Sigrid on the team, KUD's register with a clearance
expiring in 7 months and one due for re-clearance (its draft ready), FIN's row Knut never
sees; Knut's register opens with reminders; loading twice adds nothing."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from felles.organisations.models import Person
from felles.security import demo, selectors
from felles.security.models import Clearance, IssuedList, Reclearance


def test_demo_register(db, actor, demo_base) -> None:
    demo.load(actor=actor)
    demo.load(actor=actor)
    kud = Clearance.objects.filter(ministry__abbreviation="KUD")
    assert kud.count() == 4
    assert Reclearance.objects.filter(ministry__abbreviation="KUD").count() == 1
    assert Clearance.objects.filter(ministry__abbreviation="FIN").count() == 1
    sigrid = Person.objects.get(user__username="sigrid").user
    assert selectors.reach(sigrid) != frozenset()
    client = Client()
    client.force_login(Person.objects.get(user__username="knut").user)
    page = client.get(reverse("security_register")).content.decode()
    assert "Start ny klarering" in page
    assert "Autorisasjonssamtale med" in page
    # Knut's start page counts what needs him (no names: those are read on the register).
    issued = IssuedList.objects.get(ministry__abbreviation="KUD")
    assert issued.row_count == 5 and issued.issued_by.user.username == "knut"
    archived = client.get(reverse("security_issued_lists")).content.decode()
    assert "Årlig gjennomgang" in archived
    home = client.get("/").content.decode()
    assert "Personellsikkerhet i KUD" in home and "må fornyes snart" in home
    frode = Client()
    frode.force_login(Person.objects.get(user__username="frode").user)
    assert frode.get(reverse("security_register") + "?departement=KUD").status_code == 404
