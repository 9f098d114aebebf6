"""The demo gives DIO's agent a queue: open orders from several of the ministries DIO
serves, some waiting to be taken, some his, one waiting for the orderer's answer."""

from __future__ import annotations

from felles.core.actor import Actor
from felles.orders import demo as orders_demo
from felles.orders import selectors
from felles.organisations.models import Person
from felles.testing import client_for


def test_dios_agent_has_open_orders_from_several_ministries(db, demo_base) -> None:
    actor = Actor.system("test")
    orders_demo.load(actor=actor)
    dag = Person.objects.get(user__username="dag")
    queue = list(selectors.queue_for(dag.user))
    assert len(queue) >= 6
    assert len({o.ministry_id for o in queue}) >= 4
    statuses = {o.status for o in queue}
    assert {"queued", "in_progress", "waiting_for_customer"} <= statuses
    assert sum(o.assignee_id == dag.pk for o in queue) >= 3
    page = client_for(dag).get("/ko/").content.decode()
    assert "Køen er tom." not in page and "Ta saken" in page
    # Kari's legal-aid case: DSS's handling team (Marte among them) sees it and has read
    # it; Ole, another DSS agent, and Kari's leader Per do not see it.
    kari = Person.objects.get(user__username="kari")
    legal = selectors.orders_for(kari.user).get(service__code="hr-juridisk")
    marte, ole, per = (Person.objects.get(user__username=u) for u in ("marte", "ole", "per"))
    assert selectors.orders_for(marte.user).filter(pk=legal.pk).exists()
    assert not selectors.orders_for(ole.user).filter(pk=legal.pk).exists()
    assert not selectors.orders_for(per.user).filter(pk=legal.pk).exists()
    mine = client_for(kari).get(f"/bestillinger/{legal.uuid}/").content.decode()
    assert "Hvem har sett saken min" in mine and marte.full_name in mine
