"""The follow-ups of issue 19: a bundle is no plain order in the API, its parent is a
container whose state follows the children, working-day anchors, the HR import's exact
identity match, the wording and access of the pages, and no nested bundles."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from felles.bundles import selectors, services
from felles.bundles.models import BundleLink, BundleOrder
from felles.core.actor import Actor
from felles.core.services import Conflict, ServiceError
from felles.orders import selectors as order_selectors
from felles.orders import services as order_services
from felles.orders.models import Order
from felles.testing import client_for

pytestmark = pytest.mark.django_db
TODAY = dt.date(2027, 3, 1)
START = dt.date(2027, 3, 30)  # the Tuesday after Easter Monday


def onboard(b: Any, needs: list[str], start: dt.date = START, **extra: Any) -> Order:
    per = b.manager
    return services.submit_bundle(
        actor=Actor(user=per.user),
        orderer=per,
        bundle=b.onboarding,
        values={
            "navn": "Nora Ny",
            "enhet": b.unit,
            "startdato": start,
            "stilling": "Rådgiver",
            "klarering": "Ingen",
            "behov": needs,
            "merknad": "",
            **extra,
        },
        today=TODAY,
    )


def test_the_api_refuses_a_bundle_service_and_saves_nothing(bundles: Any) -> None:
    service = bundles.onboarding.service
    before = Order.objects.count()
    answer = client_for(bundles.manager).post(
        "/api/v1/orders",
        {"service_id": str(service.uuid), "answers": {"beskrivelse": "x"}},
        content_type="application/json",
    )
    assert answer.status_code in (400, 422), answer.content
    assert "egen side" in answer.json()["message"]
    assert Order.objects.count() == before
    # A bundle made after the first look is refused too (the revision moved with it).
    bundles.onboarding.active = False
    bundles.onboarding.save()
    assert selectors.order_form_url(service=service) is None


def test_the_parent_is_a_container_no_agent_works_on(bundles: Any) -> None:
    parent = onboard(bundles, ["Adgangskort"])
    assert parent.container
    assert parent.status == "queued"
    agent = bundles.agent  # DSS, serving KUD: the onboarding's provider
    queue = order_selectors.queue_for(agent.user)
    assert not queue.filter(pk=parent.pk).exists()
    assert "take" not in order_selectors.available_actions(agent.user, parent)
    with pytest.raises(Conflict, match="samlebestilling"):
        order_services.take(actor=Actor(user=agent.user), order=parent)
    with pytest.raises(Conflict, match="avsluttes av seg selv"):
        order_services.resolve(actor=Actor(user=agent.user), order=parent, resolution="x")
    # The child is ordinary work in the queue.
    card = BundleLink.objects.get(parent=parent, child__service__code="srv-adgangskort").child
    assert card.status in ("awaiting_approval", "queued")


def test_cancelling_the_parent_through_the_api_cancels_the_children(bundles: Any) -> None:
    parent = onboard(bundles, ["PC"])
    answer = client_for(bundles.manager).post(
        f"/api/v1/orders/{parent.uuid}/actions",
        {"action": "cancel", "text": "Trakk seg"},
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    statuses = set(Order.objects.filter(parent_link__parent=parent).values_list("status", flat=1))
    assert statuses == {"cancelled"}


@pytest.mark.parametrize(
    ("day", "why"),
    [
        (dt.date(2027, 3, 26), "helligdag"),  # Good Friday 2027
        (dt.date(2027, 3, 29), "helligdag"),  # Easter Monday 2027
        (dt.date(2027, 3, 27), "lørdag eller søndag"),
    ],
)
def test_a_first_day_on_a_holiday_or_weekend_is_refused(
    bundles: Any, day: dt.date, why: str
) -> None:
    before = Order.objects.count()
    with pytest.raises(ServiceError, match=f"Første arbeidsdag må være en virkedag.*{why}"):
        onboard(bundles, ["PC"], start=day)
    assert Order.objects.count() == before


def test_a_deadline_already_past_is_warned(bundles: Any) -> None:
    from django.utils import timezone

    from felles.core.calendar import add_working_days

    # Two working days ahead: the clearance (15 days before) and others are already late.
    start = add_working_days(timezone.localdate(), 2)
    client = client_for(bundles.manager)
    response = client.post(
        f"/pakke/{bundles.onboarding.service.uuid}/",
        {
            "navn": "Nora Ny",
            "enhet": str(bundles.unit.uuid),
            "startdato": start.isoformat(),
            "stilling": "Rådgiver",
            "klarering": "Ingen",
            "behov": ["PC"],
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "Fristen er allerede passert" in response.content.decode()


def test_the_hr_import_links_only_on_an_exact_identity(bundles: Any) -> None:
    from felles.organisations import importing

    by_name = onboard(bundles, ["PC"])
    by_mail = onboard(bundles, ["PC"], epost="Nora.Ny@kud.dep.no")
    csv = (
        "ansattnummer;fornavn;etternavn;epost;enhetskode;stilling;leder_ansattnummer;aktiv\n"
        "900;Nora;Ny;nora.ny@kud.dep.no;A1;Rådgiver;;ja\n"
    )
    plan = importing.plan_import("people", bundles.kud, csv.encode(), "hr.csv")
    assert plan.ok, plan.errors
    importing.apply_plan(actor=Actor.system("test"), plan=plan)
    # The same name alone links nothing; the e-mail does.
    assert BundleOrder.objects.get(order=by_name).person is None
    linked = BundleOrder.objects.get(order=by_mail).person
    assert linked is not None and linked.employee_number == "900"
    # An order naming the employee number of someone who exists links at once.
    again = onboard(bundles, ["PC"], ansattnummer="900")
    assert BundleOrder.objects.get(order=again).person == linked


def test_a_bad_email_is_a_clear_error(bundles: Any) -> None:
    with pytest.raises(ServiceError, match="gyldig e-postadresse"):
        onboard(bundles, ["PC"], epost="ikke en adresse")
    assert not Order.objects.exists()


def test_offboarding_and_a_move_have_their_own_words() -> None:
    assert selectors.readiness(["closed"], "siste_dag")[0] == "Alt er avsluttet for fratredelsen"
    assert selectors.readiness(["closed"], "flyttedato")[0] == "Klar til første dag i ny enhet"
    assert selectors.readiness(["closed"], "startdato")[0] == "Klar til første dag"


def test_the_definition_page_shows_labels_to_those_who_may_order_it(bundles: Any) -> None:
    url = f"/pakke/{bundles.onboarding.service.uuid}/innhold/"
    body = client_for(bundles.employee).get(url).content.decode()
    assert "Behov inneholder «PC»" in body
    assert "behov inneholder" not in body
    assert "5 før datoen" in body
    # Provider staff who do not manage the bundle, and other providers: nothing to see.
    assert client_for(bundles.agent).get(url).status_code == 404


def test_the_children_are_placed_in_one_pass_with_one_mail_per_approver(bundles: Any) -> None:
    from felles.core.models import OutboundMail
    from felles.orders.models import ApprovalStep, Notification

    before = OutboundMail.objects.count()
    parent = onboard(bundles, ["PC", "Mobiltelefon", "Adgangskort"])
    kids = list(Order.objects.filter(parent_link__parent=parent).order_by("number"))
    assert len(kids) == 4
    # Consecutive numbers after the parent's, each child with its own first step.
    numbers = [int(o.number.rsplit("-", 1)[1]) for o in [parent, *kids]]
    assert numbers == list(range(numbers[0], numbers[0] + 5))
    pending = ApprovalStep.objects.filter(order__in=kids, state="pending", position=0)
    approvers = {s.approver_id for s in pending}
    for approver in approvers:
        asked = [s for s in pending if s.approver_id == approver]
        notes = Notification.objects.filter(person_id=approver, order__in=kids)
        assert notes.count() == len(asked)
    # One e-mail per approver, listing the orders (not one per order).
    assert OutboundMail.objects.count() - before == len(approvers)
    assert parent.events.filter(kind="queued").exists()


def test_a_child_is_changed_or_removed_before_it_reaches_the_provider(bundles: Any) -> None:
    parent = onboard(bundles, ["PC", "Adgangskort"])
    pc = Order.objects.get(parent_link__parent=parent, service__code="ikt-pc")
    url = f"/pakke/bestilling/{parent.uuid}/del/{pc.uuid}/"
    per = client_for(bundles.manager)
    page = per.get(url)
    assert page.status_code == 200
    assert "Fjern fra samlebestillingen" in page.content.decode()
    assert "Endre eller fjern" in per.get(f"/bestillinger/{parent.uuid}/").content.decode()
    saved = per.post(url, {"action": "save", "variant": "Standard", "merknad": "Ønsker 14 tommer"})
    assert saved.status_code == 302, saved.content.decode()[:1500]
    pc.refresh_from_db()
    assert pc.answers["merknad"]["value"] == "Ønsker 14 tommer"
    assert pc.answers["mottaker"]["value"] == {"id": None, "name": "Nora Ny"}  # kept
    # Others may not; FIN does not even see it.
    assert client_for(bundles.employee).post(url, {"action": "remove"}).status_code in (403, 404)
    assert client_for(bundles.outsider).get(url).status_code == 404
    assert per.post(url, {"action": "remove"}).status_code == 302
    pc.refresh_from_db()
    assert pc.status == "cancelled"
    # A child already at the provider is no longer changed here.
    card = Order.objects.get(parent_link__parent=parent, service__code="srv-adgangskort")
    Order.objects.filter(pk=card.pk).update(status="queued")
    with pytest.raises(Conflict, match="sendt til leverandøren"):
        services.remove_child(actor=Actor(user=bundles.manager.user), parent=parent, child=card)


def test_a_new_child_reaches_the_next_order_at_once(bundles: Any) -> None:
    """The items are read from a per-revision cache; a change to them moves the revision."""
    from felles.catalog import selectors as catalog_selectors

    onboard(bundles, ["PC"])  # the items are now cached
    before = catalog_selectors.catalogue_revision()
    services.save_item(
        actor=Actor.system("test"),
        bundle=bundles.onboarding,
        child_service=bundles.services["srv-mobler"],
    )
    assert catalog_selectors.catalogue_revision() != before
    parent = onboard(bundles, ["PC"])
    assert Order.objects.filter(parent_link__parent=parent, service__code="srv-mobler").exists()


def test_the_parent_says_it_follows_its_children(bundles: Any) -> None:
    parent = onboard(bundles, ["PC"])
    assert order_selectors.status_sentence(parent) == "Samlebestilling: følger delbestillingene"


def test_a_parent_an_agent_took_before_it_was_a_container_is_cancelled(bundles: Any) -> None:
    """A parent taken by an agent in the first version (before containers) is cancelled
    with its cancellable children all the same."""
    parent = onboard(bundles, ["PC"])
    Order.objects.filter(pk=parent.pk).update(status="in_progress", assignee=bundles.agent)
    parent.refresh_from_db()
    assert "cancel" in order_selectors.available_actions(bundles.manager.user, parent)
    left = services.cancel_bundle(actor=Actor(user=bundles.manager.user), parent=parent)
    assert left == []
    parent.refresh_from_db()
    assert parent.status == "cancelled"
    statuses = set(Order.objects.filter(parent_link__parent=parent).values_list("status", flat=1))
    assert statuses == {"cancelled"}
