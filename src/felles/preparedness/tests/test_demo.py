"""The demo security and preparedness data: Knut, Sigrid, Per and Anne each find something
on their first screen; the two security arenas exist; loading twice adds nothing."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from felles.governance import selectors as governance_selectors
from felles.preparedness import demo, selectors
from felles.preparedness.models import Analysis, Incident


def test_demo_preparedness(db, actor, demo_base) -> None:
    demo.load(actor=actor)
    counts = (Incident.objects.count(), Analysis.objects.count())
    demo.load(actor=actor)
    assert (Incident.objects.count(), Analysis.objects.count()) == counts
    user = {
        u.username: u
        for u in User.objects.filter(username__in=["knut", "sigrid", "anne", "per", "ole", "kari"])
    }
    assert selectors.incidents_for(user["knut"]).exists()
    assert selectors.incidents_for(user["sigrid"]).exists()
    assert not selectors.incidents_for(user["ole"]).exists()
    assert selectors.incidents_for(user["kari"]).count() == 3  # her own
    assert not selectors.incidents_for(user["anne"]).exists()
    arenas = governance_selectors.arenas_for(user["knut"])
    assert {a.name_nb for a in arenas} == {demo.FORUM, demo.NETWORK}
    ordered = Analysis.objects.get(order__isnull=False)
    assert selectors.works_on_analysis(user["sigrid"], ordered)
    # Only the top of KUD's line signs: not Per, a section head with a leader above him.
    from felles.organisations.models import Person, Role

    leader = Person.objects.get(
        organisation__abbreviation="KUD", line_manager__isnull=True, roles__role=Role.LINE_MANAGER
    )
    user["leder"] = leader.user
    assert selectors.may_sign(leader.user, ordered)
    assert not selectors.may_sign(user["per"], ordered)
    assert not selectors.may_sign(user["knut"], ordered)
    for username, text in (
        ("knut", "Åpne hendelser"),
        ("sigrid", "ROS-analyse KUD"),
        ("leder", "ROS-analyser til godkjenning"),
    ):
        client = Client()
        client.force_login(user[username])
        page = client.get("/beredskap/")
        assert page.status_code == 200 and text in page.content.decode(), username
    client = Client()
    client.force_login(user["anne"])
    page = client.get("/beredskap/statistikk/")
    assert page.status_code == 200 and "KUD" in page.content.decode()


def test_demo_pages_render(db, actor, demo_base) -> None:
    """Every page with the demo data, for the people who use it (no 500, no missing
    template variable)."""
    from felles.preparedness.models import Exercise

    demo.load(actor=actor)
    incident = Incident.objects.filter(actions__isnull=False).first()
    pages = {
        "knut": [
            "/beredskap/hendelser/",
            f"/beredskap/hendelser/{incident.uuid}/",
            "/beredskap/ros/",
            *(f"/beredskap/ros/{a.uuid}/" for a in Analysis.objects.all()),
            "/beredskap/ovelser/",
            *(f"/beredskap/ovelser/{e.uuid}/" for e in Exercise.objects.all()),
            "/beredskap/lager/",
            "/beredskap/anskaffelser/",
            "/beredskap/egenrapportering/",
            "/dialog/",
        ],
        "sigrid": ["/beredskap/lager/", "/beredskap/ovelser/", "/beredskap/statistikk/"],
        "anne": ["/beredskap/statistikk/", "/beredskap/ovelser/", "/beredskap/lager/"],
    }
    for username, urls in pages.items():
        client = Client()
        client.force_login(User.objects.get(username=username))
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (username, url, response.status_code)
    client = Client()
    client.force_login(User.objects.get(username="knut"))
    response = client.get("/dialog/")
    assert demo.NETWORK in response.content.decode()
