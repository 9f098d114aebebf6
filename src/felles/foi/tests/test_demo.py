"""The demo FOI requests: Hilde and Eva see KUD's work, Per has an item to decide, FIN's Ola
sees nothing; loading twice adds nothing."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import time_machine
from django.utils import timezone

from felles.foi import demo, selectors
from felles.foi.models import Decision, Request
from felles.organisations.models import Person


def test_demo_requests(db, actor, demo_base) -> None:
    assert demo.load(actor=actor) == 9
    assert demo.load(actor=actor) == 0
    users = {p.user.username: p.user for p in Person.objects.select_related("user")}
    kud = Request.objects.filter(ministry__abbreviation="KUD")
    assert selectors.requests_for(users["hilde"]).count() == kud.count() == 9
    assert selectors.requests_for(users["eva"]).count() == 9
    assert len(selectors.open_requests_for(users["eva"], kud.first().ministry)) == 2
    assert selectors.requests_for(users["ola"]).count() == 0
    waiting = Request.objects.get(einnsyn_id="demo-til-vedtak")
    assert selectors.decides(users["per"], waiting)
    done = Request.objects.get(einnsyn_id="demo-besvart")
    assert "offl. § 13 første ledd" in done.answer_text
    assert list(done.appeals.values_list("body", "result")) == [
        ("ministry", "upheld"),
        ("king", "pending"),
    ]
    # The record reads in order: received → DIO's proposal → the decision → the answer.
    for request in kud.filter(answered_on__isnull=False):
        for decision in Decision.objects.filter(item__request=request):
            day = timezone.localtime(decision.at).date()
            assert request.received_on <= day <= request.answered_on, request.einnsyn_id
        proposed = Decision.objects.filter(item__request=request, stage="proposed")
        final = Decision.objects.filter(item__request=request, stage="final")
        if proposed.exists():
            assert max(d.at for d in proposed) <= min(d.at for d in final)
    # The start page: Eva and Hilde see the unanswered requests with the law's deadlines.
    from django.test import Client

    for name in ("eva", "hilde"):
        client = Client()
        client.force_login(users[name])
        home = client.get("/").content.decode()
        assert "Innsynskrav nær fristen" in home and "(offl. § 32)" in home
        assert "2 ubesvarte innsynskrav" in home
    client = Client()
    client.force_login(users["kari"])
    assert "Innsynskrav nær fristen" not in client.get("/").content.decode()


def test_the_demo_loads_just_after_midnight(db, actor, demo_base) -> None:
    """The request «just in» is ordered at nine on the day: before nine that was a time in
    the future, which the order file's check refuses (the demo failed every night)."""
    tomorrow = timezone.localdate() + dt.timedelta(days=1)  # after the data the test builds
    night = dt.datetime.combine(tomorrow, dt.time(0, 20), zoneinfo.ZoneInfo("Europe/Oslo"))
    with time_machine.travel(night, tick=False):
        assert demo.load(actor=actor) == 9
        assert Request.objects.get(einnsyn_id="demo-ny").received_on <= tomorrow
