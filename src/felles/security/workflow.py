"""The register's work over time: the reminder scan, re-clearance through a `sik-klarering`
order, offboarding, and disposal per VF § 78.

Orders have no draft state, so the scan prepares a draft of the order in this app
(`Reclearance`, one per clearance: the scan is idempotent). The coordinator reviews it and
places the order in their own name (`orders.services.submit_order`); DSS's team records the
authority's decision on this app's page, which writes the new clearance and resolves the
order (`orders.services.resolve`); the `order_resolved` event then closes the draft and
ends the old clearance. The offboarding bundle's parent order, finished, ends the person's
authorisations and asks for the clearance to be ended.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from functools import lru_cache
from typing import Any

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from felles.catalog import selectors as catalog_selectors
from felles.core import audit, mail
from felles.core.actor import Actor
from felles.core.errors import Conflict, ServiceError
from felles.core.services import SYSTEM_ONLY, allowed
from felles.orders import services as order_services
from felles.orders.states import Status
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Organisation, Person, Role
from felles.security import rules, selectors
from felles.security.models import (
    Authorisation,
    Clearance,
    Declaration,
    DisposalLog,
    IssuedList,
    Reclearance,
    RegisterRead,
)
from felles.security.services import _field, _new_clearance, refresh_dates

TOPIC = mail.topic("security.reminders", gettext_lazy("påminnelser om personellsikkerhet"))
CONVERSATION_LOOKAHEAD = dt.timedelta(days=45)  # ≥ 20 working days plus any holidays
BATCH = 500


@lru_cache(maxsize=4096)
def _reminder_day(due: dt.date) -> dt.date:
    return rules.conversation_reminder_on(due)


def _coordinators(ministry_ids: set[int]) -> dict[int, list[Person]]:
    found: dict[int, list[Person]] = defaultdict(list)
    for person in Person.objects.filter(
        roles__role=Role.SECURITY_COORDINATOR,
        roles__organisation_id__in=sorted(ministry_ids),
        active=True,
    ).annotate(ministry=F("roles__organisation_id")):
        found[person.ministry].append(person)
    return found


def _tell(person: Person, drafts: int, conversations: int, uncovered: int = 0) -> None:
    url = mail.absolute(reverse("security_register"))

    def build() -> mail.Notice:
        lines = []
        if drafts:
            lines.append(
                _("%(n)s klareringer skal fornyes: utkast til bestilling er klart.") % {"n": drafts}
            )
        if conversations:
            lines.append(_("%(n)s autorisasjonssamtaler nærmer seg.") % {"n": conversations})
        if uncovered:
            lines.append(
                _("%(n)s autorisasjoner er uten gyldig klarering: avslutt eller senk dem.")
                % {"n": uncovered}
            )
        return mail.Notice(
            subject=_("[Felles] Påminnelser om personellsikkerhet"),
            headline=_("Påminnelser om personellsikkerhet"),
            paragraphs=lines,
            action_label=_("Åpne registeret"),
            action_url=url,
        )

    mail.queue_notice(to=person.email, user_id=person.user_id, topic=TOPIC, build=build)


@allowed(SYSTEM_ONLY, gettext_lazy("Påminnelsene kjøres av systemet."))
def scan(*, actor: Actor, today: dt.date | None = None) -> dict[str, int]:
    """Prepare the re-clearance drafts now due (6 months before expiry) and remind of the
    conversations due within 20 working days, and flag the authorisations at KONFIDENSIELT
    or higher left without a valid clearance (every run, until they are ended or a clearance
    covers them); one e-mail per coordinator. Running it twice creates nothing twice."""
    today = today or timezone.localdate()
    with transaction.atomic():
        due = list(
            selectors.current(Clearance.objects.all(), today)
            .filter(reclearance_from__lte=today, renewal__isnull=True)
            .values_list("pk", "ministry_id")
        )
        Reclearance.objects.bulk_create(
            [Reclearance(clearance_id=pk, ministry_id=m) for pk, m in due],
            batch_size=BATCH,
            ignore_conflicts=True,
        )
        candidates = (
            Authorisation.objects.filter(
                ended_on__isnull=True, next_conversation_due__lte=today + CONVERSATION_LOOKAHEAD
            )
            .exclude(reminded_for=F("next_conversation_due"))
            .values_list("pk", "ministry_id", "next_conversation_due")
        )
        remind = [(pk, m) for pk, m, d in candidates if _reminder_day(d) <= today]
        ids = [pk for pk, _m in remind]
        for start in range(0, len(ids), BATCH):
            Authorisation.objects.filter(pk__in=ids[start : start + BATCH]).update(
                reminded_for=F("next_conversation_due")
            )
        drafts = Counter(m for _pk, m in due)
        talks = Counter(m for _pk, m in remind)
        lapsed = Counter(selectors.uncovered(Authorisation.objects.all(), today).values())
        ministries = set(drafts) | set(talks) | set(lapsed)
        coordinators = _coordinators(ministries)
        for ministry_id in sorted(ministries):
            for person in coordinators.get(ministry_id, []):
                _tell(person, drafts[ministry_id], talks[ministry_id], lapsed[ministry_id])
            audit.record(
                actor=actor,
                action="security.scan",
                obj=Organisation.objects.get(pk=ministry_id),
                changes={
                    "drafts": [None, drafts[ministry_id]],
                    "reminders": [None, talks[ministry_id]],
                    "uncovered": [None, lapsed[ministry_id]],
                },
                organisation_id=ministry_id,
            )
    return {"drafts": len(due), "conversations": len(remind), "uncovered": lapsed.total()}


# --- re-clearance ---------------------------------------------------------------------------

JUSTIFICATION_MAX = 2000
LEVEL_CHOICE = {
    "konfidensielt": "KONFIDENSIELT",
    "hemmelig": "HEMMELIG",
    "strengt_hemmelig": "STRENGT HEMMELIG",
}


@allowed(
    lambda user, *, clearance, **_: clearance.ministry_id in selectors.ministry_side(user),
    gettext_lazy("Bare departementets sikkerhetskoordinator eller leder starter ny klarering."),
)
def prepare_reclearance(*, actor: Actor, clearance: Clearance) -> Reclearance:
    """The draft order for a clearance before the scan made it (starting early is fine):
    the one draft of the clearance, made now if there is none."""
    if clearance.ended_on is not None:
        raise Conflict(_("Klareringen er avsluttet."))
    with transaction.atomic():
        renewal, created = Reclearance.objects.get_or_create(
            clearance=clearance, defaults={"ministry_id": clearance.ministry_id}
        )
        if created:
            audit.record(
                actor=actor,
                action="security.reclearance.prepare",
                obj=renewal,
                changes={"state": [None, renewal.state]},
                organisation_id=clearance.ministry_id,
            )
    return renewal


@allowed(
    selectors.may_order_reclearance,
    gettext_lazy("Bare departementets sikkerhetskoordinator eller leder bestiller ny klarering."),
)
def order_reclearance(*, actor: Actor, reclearance: Reclearance, justification: str) -> Any:
    """Place the draft as a `sik-klarering` order in the actor's own name, for the person
    whose clearance expires (the approval follows the service's policy)."""
    justification = justification.strip()
    if not justification:
        raise _field("justification", _("Må fylles ut."))
    if len(justification) > JUSTIFICATION_MAX or "\x00" in justification:
        raise _field("justification", _("Teksten er for lang eller har ugyldige tegn."))
    orderer = org_selectors.person_for(actor.user) if actor.user is not None else None
    if orderer is None:
        raise ServiceError(_("Fant ikke personen."))
    service = catalog_selectors.services_for(actor.user).filter(code="sik-klarering").first()
    if service is None:
        raise ServiceError(_("Tjenesten «Søknad om sikkerhetsklarering» finnes ikke."))
    clearance = reclearance.clearance
    labels = {f.key: (f.label_nb, f.label_en) for f in service.fields.all()}
    person = clearance.person
    values = {
        "gjelder": {"id": str(person.uuid), "name": person.full_name},
        "niva": LEVEL_CHOICE.get(clearance.level),
        "begrunnelse": justification,
    }
    answers = {
        key: {
            "label": labels.get(key, (key, key))[0],
            "label_en": labels.get(key, (key, key))[1],
            "value": value,
        }
        for key, value in values.items()
    }
    with transaction.atomic():
        changed = Reclearance.objects.filter(
            pk=reclearance.pk, state=Reclearance.State.DRAFT
        ).update(state=Reclearance.State.ORDERED)
        if not changed:
            raise Conflict(_("Ny klarering er allerede bestilt."))
        order = order_services.submit_order(
            actor=actor, orderer=orderer, service=service, answers=answers, beneficiary=person
        )
        Reclearance.objects.filter(pk=reclearance.pk).update(order=order)
    reclearance.refresh_from_db()
    return order


@allowed(
    lambda user, *, reclearance, **_: selectors.on_team(user, ministry=reclearance.ministry),
    gettext_lazy("Bare DSS' personellsikkerhetsteam registrerer klareringsvedtak."),
)
def record_decision(
    *,
    actor: Actor,
    reclearance: Reclearance,
    level: str,
    authority: str,
    decided_on: dt.date,
    expires_on: dt.date,
) -> Clearance:
    """The authority's decision on a re-clearance order: the new clearance row (linked to
    the order), and the order resolved in the same transaction. Refused unless the order
    can be resolved now (`Reclearance.decidable`: approved, not waiting for the orderer)."""
    order = reclearance.order
    if order is None or reclearance.state != Reclearance.State.ORDERED:
        raise Conflict(_("Det finnes ingen åpen bestilling å registrere vedtak på."))
    if not reclearance.decidable:
        raise Conflict(
            _(
                "Bestillingen kan ikke leveres nå (%(status)s): vedtaket registreres når "
                "bestillingen er godkjent og mottatt hos leverandøren."
            )
            % {"status": order.get_status_display()}
        )
    with transaction.atomic():
        old = reclearance.clearance
        row = _new_clearance(
            old.ministry, old.person, level, authority, decided_on, expires_on, order
        )
        if order.status == Status.QUEUED:
            order = order_services.take(actor=actor, order=order)
        order_services.resolve(
            actor=actor,
            order=order,
            resolution=_("Klareringsvedtak registrert i personellsikkerhetsregisteret."),
        )
        audit.record(
            actor=actor,
            action="security.clearance.decision",
            obj=row,
            changes={"register": [None, "klarering registrert"]},
            organisation_id=old.ministry_id,
        )
    return row


RECORD_FIRST = gettext_lazy("Registrer klareringsvedtaket i registeret før bestillingen leveres.")


def resolve_blockers(*, order: Any) -> list[str]:
    """A re-clearance order is resolved by recording its decision here (`record_decision`
    writes the new clearance, then resolves): resolving it from the queue before that would
    leave the draft «Bestilt» for ever (part of `orders.events.resolve_blockers`)."""
    if order.service.code != "sik-klarering":
        return []
    waiting = Reclearance.objects.filter(order=order).exclude(
        order__in=Clearance.objects.filter(order=order).values("order")
    )
    return [str(RECORD_FIRST)] if waiting.exists() else []


def on_order_resolved(*, actor: Actor, order: Any, **_: Any) -> None:
    """A resolved `sik-klarering` order with a new clearance closes its draft and ends the
    clearance it renews (the day before the new decision)."""
    if order.service.code != "sik-klarering":
        return
    renewal = Reclearance.objects.filter(order=order).select_related("clearance").first()
    if renewal is None or not Clearance.objects.filter(order=order).exists():
        return
    new = Clearance.objects.filter(order=order).order_by("-pk").first()
    Reclearance.objects.filter(pk=renewal.pk).update(state=Reclearance.State.DONE)
    old = renewal.clearance
    if old.ended_on is None and new is not None:
        ended = max(old.decided_on, min(old.expires_on, new.decided_on - dt.timedelta(days=1)))
        Clearance.objects.filter(pk=old.pk, ended_on__isnull=True).update(
            ended_on=ended, dispose_on=rules.register_disposal(ended)
        )
    # The new clearance moves the person's next conversation (at its re-clearance, VF
    # § 68) and the disposal of ended authorisations (kept while cleared, VF § 78 (2)).
    refresh_dates(old.person)


# --- offboarding ----------------------------------------------------------------------------

FINISHED = {Status.RESOLVED.value, Status.CLOSED.value}
STOPPED = {Status.REJECTED.value, Status.CANCELLED.value}


def on_status_changed(*, actor: Actor, order: Any, before: str, **_: Any) -> None:
    """The offboarding bundle's order finished: end the person's authorisations, note the
    request to end the clearance on the register. A rejected or cancelled re-clearance
    order gives its draft back to the coordinator."""
    if order.service.code == "sik-klarering" and order.status in STOPPED:
        # A rejected or cancelled re-clearance order: the draft is the coordinator's again.
        Reclearance.objects.filter(order_id=order.pk, state=Reclearance.State.ORDERED).update(
            state=Reclearance.State.DRAFT, order=None
        )
        return
    if order.status not in FINISHED or before in FINISHED:
        return
    if order.service.code != "hr-offboarding":
        return
    # The person leaving is the bundle's person (the order's beneficiary may be whoever
    # placed it); no person found, nothing is ended.
    link = getattr(order, "bundle_order", None)
    person = getattr(link, "person", None)
    if person is None:
        return
    offboard(person=person, today=timezone.localdate())


def offboard(*, person: Person, today: dt.date) -> None:
    """End the person's open authorisations today and ask for their clearance to end."""
    with transaction.atomic():
        valid = Clearance.objects.filter(person=person, ended_on__isnull=True)
        until = max((c.expires_on for c in valid), default=None)
        for row in Authorisation.objects.filter(person=person, ended_on__isnull=True):
            ended = max(today, row.granted_on)
            Authorisation.objects.filter(pk=row.pk).update(
                ended_on=ended, dispose_on=rules.authorisation_disposal(ended, until)
            )
        flagged = valid.filter(end_requested_on__isnull=True).update(end_requested_on=today)
        if flagged:
            for coordinator in _coordinators({person.organisation_id}).get(
                person.organisation_id, []
            ):
                _ask_to_end(coordinator, person)
        Declaration.objects.filter(person=person, ended_on__isnull=True).update(
            ended_on=today, dispose_on=rules.declaration_disposal(today)
        )
        Reclearance.objects.filter(clearance__person=person, state=Reclearance.State.DRAFT).delete()
        refresh_dates(person)


def _ask_to_end(coordinator: Person, person: Person) -> None:
    """Tell the coordinator that a departing person's clearance should be ended."""
    url = mail.absolute(reverse("security_register"))

    def build() -> mail.Notice:
        return mail.Notice(
            subject=_("[Felles] En klarering bør avsluttes"),
            headline=_("%(name)s slutter: be klareringsmyndigheten avslutte klareringen.")
            % {"name": person.full_name},
            paragraphs=[_("Autorisasjonene er avsluttet. Avslutt klareringen i registeret.")],
            action_label=_("Åpne registeret"),
            action_url=url,
        )

    mail.queue_notice(to=coordinator.email, user_id=coordinator.user_id, topic=TOPIC, build=build)


# --- disposal (VF § 78) ------------------------------------------------------------------------

KINDS = (
    (RegisterRead.Kind.AUTHORISATION, Authorisation),
    (RegisterRead.Kind.CLEARANCE, Clearance),
    (RegisterRead.Kind.DECLARATION, Declaration),
)


def disposal_plan(
    today: dt.date, ministry_ids: frozenset[int] | None = None
) -> list[dict[str, Any]]:
    """What a run on `today` disposes: one entry per row (kind, ministry, whom it concerns,
    the date it was due). The dry run shows exactly this; the real run deletes exactly this."""
    plan: list[dict[str, Any]] = []
    for kind, model in KINDS:
        rows = model.objects.filter(dispose_on__lte=today)
        if ministry_ids is not None:
            rows = rows.filter(ministry_id__in=sorted(ministry_ids))
        for pk, ministry_id, first, last, due in rows.order_by("dispose_on", "pk").values_list(
            "pk", "ministry_id", "person__first_name", "person__last_name", "dispose_on"
        ):
            plan.append(
                {
                    "kind": kind,
                    "pk": pk,
                    "ministry_id": ministry_id,
                    "concerns": f"{first} {last}",
                    "due_on": due,
                }
            )
    # Issued VF § 72 lists, 10 years after issue: what and when, never the people's names.
    lists = IssuedList.objects.filter(dispose_on__lte=today)
    if ministry_ids is not None:
        lists = lists.filter(ministry_id__in=sorted(ministry_ids))
    for pk, ministry_id, issued_at, count, due in lists.order_by("dispose_on", "pk").values_list(
        "pk", "ministry_id", "issued_at", "row_count", "dispose_on"
    ):
        issued_on = timezone.localdate(issued_at)
        plan.append(
            {
                "kind": RegisterRead.Kind.ISSUED_LIST,
                "pk": pk,
                "ministry_id": ministry_id,
                "concerns": f"Autorisasjonsliste utstedt {issued_on:%d.%m.%Y}, {count} "
                + ("person" if count == 1 else "personer"),
                "due_on": due,
            }
        )
    return plan


@allowed(SYSTEM_ONLY, gettext_lazy("Kassasjon kjøres av systemet."))
def dispose(*, actor: Actor, today: dt.date | None = None) -> dict[str, int]:
    """Delete every row whose retention has ended and write the discard register."""
    today = today or timezone.localdate()
    with transaction.atomic():
        plan = disposal_plan(today)
        by_kind: dict[str, list[int]] = defaultdict(list)
        for entry in plan:
            by_kind[entry["kind"]].append(entry["pk"])
        models = {**dict(KINDS), RegisterRead.Kind.ISSUED_LIST: IssuedList}
        for kind, ids in by_kind.items():
            for start in range(0, len(ids), BATCH):
                chunk = ids[start : start + BATCH]
                if kind == RegisterRead.Kind.CLEARANCE:
                    Reclearance.objects.filter(clearance_id__in=chunk).delete()
                models[kind].objects.filter(pk__in=chunk).delete()
        DisposalLog.objects.bulk_create(
            [
                DisposalLog(
                    ministry_id=e["ministry_id"],
                    kind=e["kind"],
                    concerns=e["concerns"][:250],
                    due_on=e["due_on"],
                    disposed_on=today,
                )
                for e in plan
            ],
            batch_size=BATCH,
        )
        counts = Counter(e["kind"] for e in plan)
        for ministry_id in sorted({e["ministry_id"] for e in plan}):
            audit.record(
                actor=actor,
                action="security.dispose",
                obj=Organisation.objects.get(pk=ministry_id),
                changes={
                    k: [
                        None,
                        sum(1 for e in plan if e["kind"] == k and e["ministry_id"] == ministry_id),
                    ]
                    for k in counts
                },
                organisation_id=ministry_id,
            )
    return {str(k): v for k, v in counts.items()}
