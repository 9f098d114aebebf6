"""Confidential services (issue 18): who sees a restricted or security order, what the
auditor sees of it, the read log, the handling team and a change of class.

The matrix: for each route of a legal-aid order (restricted) and a security-incident order
(security), the orderer, her line manager, the ministry's ordering coordinator, the
security coordinator, a handling-team member, another agent at the same provider, DFD and
the auditor each get exactly what the class says — 404 where they must not see it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from felles.catalog import services as catalog_services
from felles.catalog.models import Confidentiality
from felles.core.actor import Actor
from felles.core.models import AuditEvent
from felles.core.services import ServiceError
from felles.orders import chain, compiled, selectors, services
from felles.orders.models import Order, OrderRead
from felles.organisations.models import Role
from felles.organisations.tests.factories import make_person
from felles.testing import answers, client_for

PEOPLE = (
    "employee",
    "manager",
    "coordinator",
    "security",
    "team",
    "other_agent",
    "governance",
    "auditor",
)
# Who reads the content of each class; the auditor sees the metadata (200 without
# content), everyone else 404.
CONTENT = {
    "restricted": {"employee", "team"},
    "security": {"employee", "team", "security"},
}


@pytest.fixture
def conf(shop, actor) -> Any:
    """Kari's legal-aid and security-incident orders, a DSS handling team of one (Tor,
    serving KUD) for both services; Ole (`agent`) is another DSS agent serving KUD."""
    team = make_person(shop.dss, "tor", roles=[Role.PROVIDER_AGENT], serves=[shop.kud])
    for code in ("hr-juridisk", "sik-hendelse", "sik-klarering"):
        service = shop.services[code]
        catalog_services.set_confidentiality(
            actor=actor,
            service=service,
            confidentiality=service.confidentiality,
            reason_nb=service.confidentiality_reason_nb,
            reason_en=service.confidentiality_reason_en,
            team=[team],
        )
    shop.team = team
    shop.other_agent = shop.agent
    shop.orders = {
        "restricted": _order(shop, actor, "hr-juridisk"),
        "security": _order(shop, actor, "sik-hendelse"),
    }
    return shop


def _order(shop: Any, actor: Actor, code: str) -> Order:
    service = shop.services[code]
    return services.submit_order(
        actor=actor,
        orderer=shop.employee,
        service=service,
        quantity=Decimal("1"),
        answers=answers(service, beskrivelse="Varsling om min leder"),
    )


def test_the_seed_classes_and_policies() -> None:
    from felles.catalog import seed

    assert seed.CONFIDENTIALITY["hr-juridisk"][0] == "restricted"
    assert seed.CONFIDENTIALITY["hr-akan"][0] == "restricted"
    assert seed.CONFIDENTIALITY["sik-klarering"][0] == "security"
    assert seed.CONFIDENTIALITY["sik-hendelse"][0] == "security"
    for code, (_class, reason_nb, reason_en) in seed.CONFIDENTIALITY.items():
        assert reason_nb and reason_en, code
        row = next(r for r in seed.SERVICES if r.code == code)
        # A restricted service never routes to the line manager by default.
        assert row.policy not in ("line_manager", "line_manager_budget"), code


@pytest.mark.parametrize("kind", ["restricted", "security"])
@pytest.mark.parametrize("who", PEOPLE)
def test_order_page_and_api_follow_the_class(conf, kind, who) -> None:
    order = conf.orders[kind]
    client = client_for(getattr(conf, who))
    page = client.get(f"/bestillinger/{order.uuid}/")
    detail = client.get(f"/api/v1/orders/{order.uuid}")
    listed = [o["number"] for o in client.get("/api/v1/orders").json()["items"]]
    if who in CONTENT[kind]:
        assert page.status_code == 200
        assert "Varsling om min leder" in page.content.decode()
        assert detail.status_code == 200 and detail.json()["content_hidden"] is False
        assert detail.json()["orderer"] == conf.employee.full_name
        assert order.number in listed
    elif who == "auditor":
        body = page.content.decode()
        assert page.status_code == 200
        assert order.number in body and "Varsling om min leder" not in body
        assert conf.employee.full_name not in body
        data = detail.json()
        assert data["content_hidden"] is True and data["orderer"] is None
        assert data["answers"] == {} and data["events"] == [] and data["steps"] == []
        assert order.number in listed
    else:
        assert page.status_code == 404
        assert detail.status_code == 404
        assert order.number not in listed
    action = client.post(
        f"/bestillinger/{order.uuid}/handling/", {"action": "comment", "text": "Hei"}
    )
    if who in ("employee", "team"):  # the two sides of the order write on it
        assert action.status_code == 302
    elif who in CONTENT[kind] or who == "auditor":  # reads, does not write
        assert action.status_code == 403
    else:
        assert action.status_code == 404


def test_the_administrator_sees_metadata_only(conf) -> None:
    order = conf.orders["restricted"]
    body = client_for(conf.admin).get(f"/bestillinger/{order.uuid}/").content.decode()
    assert order.number in body and conf.employee.full_name not in body


def test_queue_lists_and_search(conf) -> None:
    restricted = conf.orders["restricted"]
    team_queue = client_for(conf.team).get("/ko/").content.decode()
    assert restricted.number in team_queue
    assert restricted.number not in client_for(conf.other_agent).get("/ko/").content.decode()
    ministry = client_for(conf.coordinator).get("/bestillinger/departementet/").content.decode()
    assert restricted.number not in ministry
    found = client_for(conf.coordinator).get("/sok/", {"q": restricted.number}).content.decode()
    assert f">{restricted.number}<" not in found
    # Only the handling team may be assigned.
    assert list(selectors.colleagues_for_assignment(restricted)) == [conf.team]


def test_handling_team_member_must_serve_the_ministry(conf, actor) -> None:
    fin_only = make_person(conf.dss, "siv", roles=[Role.PROVIDER_AGENT], serves=[conf.fin])
    service = conf.services["hr-juridisk"]
    catalog_services.set_confidentiality(
        actor=actor,
        service=service,
        confidentiality="restricted",
        reason_nb="Grunn",
        team=[conf.team, fin_only],
    )
    order = conf.orders["restricted"]
    assert client_for(fin_only).get(f"/bestillinger/{order.uuid}/").status_code == 404


def test_the_read_log_and_who_has_seen_my_case(conf) -> None:
    order = conf.orders["restricted"]
    client_for(conf.team).get(f"/bestillinger/{order.uuid}/")
    client_for(conf.team).get(f"/api/v1/orders/{order.uuid}")
    client_for(conf.auditor).get(f"/bestillinger/{order.uuid}/")  # metadata: not a read
    client_for(conf.team).get(f"/bestillinger/{order.uuid}/?via=epost")
    client_for(conf.team).get("/api/v1/orders")  # the list names the people too
    client_for(conf.auditor).get("/api/v1/orders")  # metadata: not a read
    reads = list(OrderRead.objects.filter(order=order).order_by("id"))
    assert [(r.person, r.route) for r in reads] == [
        (conf.team, "page"),
        (conf.team, "api"),
        (conf.team, "email"),
        (conf.team, "api"),
    ]
    page = client_for(conf.employee).get(f"/bestillinger/{order.uuid}/").content.decode()
    assert "Hvem har sett saken min" in page and conf.team.full_name in page
    # Her own reads are hers; others do not see the list.
    assert "Hvem har sett saken min" not in (
        client_for(conf.team).get(f"/bestillinger/{order.uuid}/").content.decode()
    )
    log = client_for(conf.auditor).get("/bestillinger/leselogg/", {"number": order.number})
    assert log.status_code == 200 and conf.team.full_name in log.content.decode()
    bad_day = client_for(conf.auditor).get("/bestillinger/leselogg/", {"since": "9999-01-01"})
    assert bad_day.status_code == 422
    # Open orders are not logged.
    phone = _order(conf, Actor.system("t"), "srv-mobil")
    client_for(conf.employee).get(f"/bestillinger/{phone.uuid}/")
    assert not OrderRead.objects.filter(order=phone).exists()


@pytest.mark.django_db(transaction=True)
def test_the_read_log_refuses_an_update(conf) -> None:
    order = conf.orders["restricted"]
    client_for(conf.team).get(f"/bestillinger/{order.uuid}/")
    with pytest.raises(DatabaseError), transaction.atomic():
        OrderRead.objects.filter(order=order).update(route="api")
    assert OrderRead.objects.get(order=order).route == "page"


def test_the_retention_job_deletes_old_reads(conf, settings) -> None:
    order = conf.orders["restricted"]
    actor = Actor(user=conf.team.user)
    old = services.record_read(actor=actor, order=order, route="page")
    OrderRead.objects.filter(pk=old.pk).delete()  # rows are only ever deleted
    settings.FELLES_READ_LOG_RETENTION_DAYS = 30
    OrderRead.objects.bulk_create(
        [
            OrderRead(
                order=order,
                person=conf.team,
                reader="tor",
                route="page",
                read_at=timezone.now() - dt.timedelta(days=31),
            )
        ]
    )
    services.record_read(actor=actor, order=order, route="api")
    assert services.purge_read_log(actor=Actor.system("t")) == 1
    assert list(OrderRead.objects.values_list("route", flat=True)) == ["api"]


def test_a_change_of_class_applies_at_once_and_is_audited(conf, actor) -> None:
    order = conf.orders["restricted"]
    url = f"/bestillinger/{order.uuid}/"
    assert client_for(conf.coordinator).get(url).status_code == 404
    catalog_services.set_confidentiality(
        actor=actor, service=order.service, confidentiality="open", reason_nb="", team=[conf.team]
    )
    assert client_for(conf.coordinator).get(url).status_code == 200
    event = AuditEvent.objects.filter(action="catalog.service.confidentiality").latest("id")
    assert event.changes["confidentiality"] == ["restricted", "open"]


def test_bad_confidentiality_input_is_refused(conf, actor) -> None:
    service = conf.services["hr-akan"]
    with pytest.raises(ServiceError) as refused:
        catalog_services.set_confidentiality(
            actor=actor,
            service=service,
            confidentiality="secret",
            reason_nb="",
            team=[conf.employee],  # not at the provider
        )
    assert set(refused.value.field_errors) == {"confidentiality", "reason_nb", "team"}
    with pytest.raises(ServiceError):
        catalog_services.set_confidentiality(
            actor=actor, service=service, confidentiality="restricted", reason_nb="  "
        )
    # A restricted service with nobody to handle it: nobody at the provider would see it.
    with pytest.raises(ServiceError) as refused:
        catalog_services.set_confidentiality(
            actor=actor, service=service, confidentiality="restricted", reason_nb="Grunn"
        )
    assert refused.value.field_errors == {
        "team": ["En skjermet tjeneste trenger minst én i saksbehandlerteamet."]
    }
    service.refresh_from_db()
    assert service.confidentiality == Confidentiality.RESTRICTED


def test_only_the_providers_managers_maintain_the_team(conf) -> None:
    url = f"/tjenester/{conf.services['hr-juridisk'].uuid}/skjerming/"
    assert client_for(conf.team).get(url).status_code == 403
    manager = make_person(conf.dss, "mona", roles=[Role.PROVIDER_MANAGER])
    client = client_for(manager)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "confidentiality": "restricted",
            "reason_nb": "Grunn",
            "reason_en": "Reason",
            "team": [str(manager.pk)],
        },
    )
    assert response.status_code == 302
    assert list(conf.services["hr-juridisk"].handling_team.all()) == [manager]
    bad = client.post(url, {"confidentiality": "restricted", "reason_nb": "\x00"})
    assert bad.status_code == 422


def test_legal_aid_skips_the_line_manager_and_clearance_says_who_and_why(conf) -> None:
    legal = chain.preview(service=conf.services["hr-juridisk"], orderer=conf.employee)
    assert legal.steps == () and "lederen" in legal.no_approval
    clearance = chain.preview(service=conf.services["sik-klarering"], orderer=conf.employee)
    [step] = clearance.steps
    assert step.people == (conf.security,)
    assert "sikkerhetskoordinator" in step.reason
    order = conf.orders["restricted"]
    assert order.status == "queued" and not order.steps.exists()


def test_the_manager_in_the_chain_sees_that_one_order(conf, actor) -> None:
    """A restricted service whose policy still names the line manager: Per approves and
    sees this order (he is in its chain), and nothing else of Kari's restricted cases."""
    service = conf.services["hr-bht"]
    catalog_services.update_service(
        actor=actor, service=service, values={"approval_policy": "line_manager"}
    )
    service.refresh_from_db()
    order = _order(conf, actor, "hr-bht")
    assert order.steps.get().approver == conf.manager
    assert client_for(conf.manager).get(f"/bestillinger/{order.uuid}/").status_code == 200
    other = conf.orders["restricted"]
    assert client_for(conf.manager).get(f"/bestillinger/{other.uuid}/").status_code == 404


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_lists_and_queue_cost_the_same_with_restricted_orders(conf, actor) -> None:
    auditor, team = client_for(conf.auditor), client_for(conf.team)
    few = (_queries(auditor, "/api/v1/orders"), _queries(team, "/ko/"))
    for _k in range(4):
        _order(conf, actor, "hr-juridisk")
        _order(conf, actor, "srv-mobil")
    assert (_queries(auditor, "/api/v1/orders"), _queries(team, "/ko/")) == few


def test_the_approvers_list_is_a_read_of_the_restricted_orders_in_it(conf, actor) -> None:
    clearance = _order(conf, actor, "sik-klarering")
    client_for(conf.security).get("/godkjenning/")
    client_for(conf.security).get("/api/v1/approvals")
    assert list(OrderRead.objects.filter(order=clearance).values_list("person", "route")) == [
        (conf.security.pk, "api"),
        (conf.security.pk, "page"),
    ]


def test_the_parties_own_reads_are_not_logged_an_approval_link_is(conf, actor) -> None:
    legal, clearance = conf.orders["restricted"], _order(conf, actor, "sik-klarering")
    # Kari's reads of her own cases are not recorded: the log is hers to read, and her name
    # in the auditor's search would say whom the case is about.
    assert client_for(conf.employee).get("/bestillinger/", {"format": "xlsx"}).status_code == 200
    assert client_for(conf.employee).get(f"/bestillinger/{legal.uuid}/").status_code == 200
    assert not OrderRead.objects.filter(person=conf.employee).exists()
    # A named approver's e-mail link (the security step has no named approver: use Per's).
    service = conf.services["hr-bht"]
    catalog_services.update_service(
        actor=actor, service=service, values={"approval_policy": "line_manager"}
    )
    service.refresh_from_db()
    health = _order(conf, actor, "hr-bht")
    token = services.approval_token(health.steps.get())
    from django.test import Client

    assert Client().get(f"/godkjenning/lenke/{token}/").status_code == 200
    assert OrderRead.objects.filter(
        order=health, route="approval_link", person=conf.manager
    ).exists()
    assert not OrderRead.objects.filter(order=clearance).exists()


def test_the_compiled_read_path_answers_as_the_orm(conf, actor) -> None:
    """The API's order read runs statements compiled once per connection and visibility
    rule (core.prepared): for every person and order it gives what `orders_for`,
    `events_for` and the order's steps give, also after a person's access changes."""
    open_order = _order(conf, actor, "srv-mobil")
    services.comment(actor=actor, order=open_order, text="Notat", internal=True, author=conf.team)
    orders = [open_order, *conf.orders.values()]
    people = [getattr(conf, name) for name in (*PEOPLE, "admin", "outsider", "head")]

    def check() -> None:
        for person in people:
            user = type(person.user).objects.get(pk=person.user_id)  # access read afresh
            for order in orders:
                want = selectors.orders_for(user).filter(uuid=order.uuid).first()
                got = compiled.visible_order(user, order.uuid, "sla", "rating")
                assert got == want, (person.user.username, order.service.code)
                if got is None:
                    continue
                assert got.service.code == want.service.code
                assert got.orderer.full_name == want.orderer.full_name
                events = compiled.timeline(user, got)
                assert events == list(selectors.events_for(user, want))
                assert [e.actor_id and e.actor.full_name for e in events] == [
                    e.actor_id and e.actor.full_name for e in selectors.events_for(user, want)
                ]
                assert compiled.steps_of(got) == list(want.steps.all())
                assert list(got.steps.all()) == list(want.steps.all())

    check()
    # Ole joins the handling team and the security coordinator loses her role: each sees
    # what the new rule says at once.
    catalog_services.join_handling_team(actor=actor, codes=["hr-juridisk"], person=conf.other_agent)
    conf.security.roles.filter(role=Role.SECURITY_COORDINATOR).delete()
    check()
