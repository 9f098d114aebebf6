"""The case register: raising a case (routed by the decision-rights table), hearings,
escalation one level at a time, the decision with reasons, and reopening.

Who may act is the case's question: `selectors.is_decider` (the body that decides at the
case's level) and `selectors.is_case_party`. Whether the case's state allows the step is
the body's, answered with a `Conflict`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from felles.core import audit
from felles.core.actor import Actor
from felles.core.calendar import add_working_days
from felles.core.services import Conflict, Forbidden, ServiceError, allowed
from felles.governance import events, rules, selectors
from felles.governance.models import Case, CaseCounter, CaseEvent, DecisionRight, Hearing
from felles.governance.services._common import required
from felles.organisations.models import Organisation, Person


def _next_number(year: int) -> str:
    counter, _ = CaseCounter.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"S-{year}-{counter.last:04d}"


def _person(actor: Actor) -> Person | None:
    """The person behind the actor, shown by name; None for the system."""
    if actor.user is None:
        return None
    return Person.objects.filter(user=actor.user).first()


def _event(case: Case, actor: Actor, kind: str, text: str = "", **levels: str) -> None:
    CaseEvent.objects.create(
        case=case, kind=kind, text=text, actor_label=actor.label, actor=_person(actor), **levels
    )


def _hearings(case: Case, right: DecisionRight, today: dt.date) -> list[Hearing]:
    deadline = add_working_days(today, right.hearing_days)
    parties: list[Hearing] = []
    if right.hear_ministries:
        parties += [
            Hearing(case=case, kind=Hearing.Kind.ORGANISATION, organisation=m, deadline=deadline)
            for m in Organisation.objects.customers().filter(valid_to__isnull=True)
            if not m.is_governing  # DFD decides; it is not heard by itself
        ]
    if right.hear_council:
        parties.append(Hearing(case=case, kind=Hearing.Kind.COUNCIL, deadline=deadline))
    if right.hear_forum:
        parties.append(
            Hearing(case=case, kind=Hearing.Kind.FORUM, forum=right.hear_forum, deadline=deadline)
        )
    return parties


@allowed(selectors.may_raise, gettext_lazy("Du kan ikke melde saker."))
def raise_case(
    *,
    actor: Actor,
    raised_by: Person | None,
    right: DecisionRight,
    provider: Organisation,
    title: str,
    description: str,
    level: str | None = None,
    area: Any = None,
    services: Sequence[Any] = (),
) -> Case:
    """Register a case. It starts at the level asked for, but never below what the
    decision-rights table allows for its topic: a pricing case goes straight to DFD.
    `raised_by` is the person raising it: a signed-in user with none (a bare superuser)
    may not."""
    if raised_by is None:
        raise Forbidden(_("Du er ikke registrert som person i Felles."))
    title = required(title, "title", _("Gi saken en tittel."))
    description = required(description, "description", _("Beskriv saken."))
    if provider.kind != Organisation.Kind.PROVIDER:
        raise ServiceError(
            _("Velg leverandøren saken gjelder."), {"provider": [_("Ikke en leverandør.")]}
        )
    if level is not None and level not in rules.LADDER:
        raise ServiceError(
            _("Ukjent nivå."), {"level": [_("Velg operativt, taktisk eller strategisk.")]}
        )
    foreign = [s for s in services if s.provider_id != provider.pk]
    if foreign:
        raise ServiceError(
            _("Tjenestene må leveres av leverandøren saken gjelder."),
            {"services": [", ".join(s.name_nb for s in foreign)]},
        )
    start = rules.routed_level(level, right.level)
    today = timezone.localdate()
    with transaction.atomic():
        case = Case.objects.create(
            number=_next_number(today.year),
            title=title,
            description=description,
            right=right,
            area=area,
            provider=provider,
            raised_by=raised_by,
            raised_by_organisation=raised_by.organisation,
            level=start,
        )
        case.services.set(services)
        Hearing.objects.bulk_create(_hearings(case, right, today))
        routed = (
            f"Rutet til {case.get_level_display().lower()} nivå etter fullmaktstabellen."
            if level is not None and start != level
            else ""
        )
        _event(case, actor, CaseEvent.Kind.RAISED, routed, to_level=start)
        audit.record(
            actor=actor,
            action="governance.case.raise",
            obj=case,
            changes={"level": [None, start], "right": [None, right.code]},
            organisation_id=raised_by.organisation_id,
        )
    return case


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("provider").get(pk=case.pk)


@allowed(
    lambda user, hearing, **_: selectors.may_answer(user, hearing),
    gettext_lazy("Du kan ikke svare for parten."),
)
def answer_hearing(*, actor: Actor, hearing: Hearing, text: str) -> Hearing:
    """A party's input. One answer per party; a late answer is kept and marked late."""
    text = required(text, "input", _("Skriv innspillet."))
    with transaction.atomic():
        case = _locked(hearing.case)
        if case.status != Case.Status.OPEN:
            raise Conflict(_("Saken er avgjort; innspill tas ikke lenger imot."))
        updated = Hearing.objects.filter(pk=hearing.pk, answered_at__isnull=True).update(
            input=text,
            answered_at=timezone.now(),
            answered_by_label=actor.label,
            answered_by=_person(actor),
        )
        if not updated:
            raise Conflict(_("Parten har allerede gitt innspill."))
        hearing.refresh_from_db()
        late = timezone.localdate() > hearing.deadline
        _event(
            case,
            actor,
            CaseEvent.Kind.INPUT,
            f"{hearing.party}{' (etter fristen)' if late else ''}",
        )
        audit.record(
            actor=actor,
            action="governance.hearing.answer",
            obj=case,
            changes={"hearing": [None, hearing.party], "late": [None, late]},
        )
    return hearing


@allowed(
    lambda user, case, **_: selectors.is_case_party(user, case),
    gettext_lazy("Du kan ikke løfte denne saken."),
)
def escalate_case(*, actor: Actor, case: Case, reason: str) -> Case:
    """Lift an open case one level; the reason is recorded. At strategic it is DFD's."""
    reason = required(reason, "reason", _("Skriv hvorfor saken ikke kan avgjøres på dette nivået."))
    if case.status != Case.Status.OPEN:
        raise Conflict(_("Saken er avgjort og kan ikke løftes."))
    if case.level == rules.STRATEGIC:
        raise Conflict(rules.AT_TOP)
    with transaction.atomic():
        locked = _locked(case)
        if locked.status != Case.Status.OPEN:
            raise Conflict(_("Saken er avgjort og kan ikke løftes."))
        if locked.level != case.level:
            raise Conflict(_("Saken er allerede løftet av en annen."))
        try:
            to_level = rules.escalated(locked.level)
        except rules.RuleError as exc:
            raise Conflict(str(exc)) from exc
        from_level = locked.level
        locked.level = to_level
        locked.escalations += 1
        locked.save(update_fields=["level", "escalations", "updated_at"])
        _event(
            locked,
            actor,
            CaseEvent.Kind.ESCALATED,
            reason,
            from_level=from_level,
            to_level=to_level,
        )
        audit.record(
            actor=actor,
            action="governance.case.escalate",
            obj=locked,
            changes={"level": [from_level, to_level], "reason": [None, reason]},
        )
    return locked


@allowed(
    lambda user, case, **_: selectors.is_decider(user, case, case.level),
    gettext_lazy("Saken avgjøres ikke av deg."),
)
def decide_case(
    *,
    actor: Actor,
    case: Case,
    decision: str,
    reasons: str,
    effective_from: dt.date | None = None,
    price_lists: Iterable[Any] = (),
    projects: Iterable[Any] = (),
) -> Case:
    """The decider's decision with reasons, published in the decision log, linked to the
    price lists and implementation projects it affects. Refused while a party still has
    time to be heard."""
    decision = required(decision, "decision", _("Skriv vedtaket."))
    reasons = required(reasons, "reasons", _("Et vedtak må begrunnes."))
    if case.status != Case.Status.OPEN:
        raise Conflict(_("Saken er allerede avgjort."))
    today = timezone.localdate()
    with transaction.atomic():
        locked = _locked(case)
        if locked.status != Case.Status.OPEN:
            raise Conflict(_("Saken er allerede avgjort."))
        if locked.level != case.level:
            # Escalated while the decider was writing: the case now has another decider.
            raise Conflict(
                _("Saken er løftet til %(level)s nivå i mellomtiden og avgjøres nå av %(body)s.")
                % {"level": locked.get_level_display().lower(), "body": locked.decider_label}
            )
        waiting = [
            h.party for h in locked.hearings.filter(answered_at__isnull=True, deadline__gte=today)
        ]
        if waiting:
            raise Conflict(
                _("Høringsfristen er ikke ute for: %(parties)s. Vent på innspill.")
                % {"parties": ", ".join(waiting)}
            )
        locked.status = Case.Status.DECIDED
        locked.decision, locked.reasons = decision, reasons
        locked.effective_from = effective_from
        locked.decided_at = timezone.now()
        locked.decided_by_label = actor.label
        locked.decided_by = _person(actor)
        locked.decided_level = locked.level
        locked.save()
        locked.price_lists.set(price_lists)
        locked.projects.set(projects)
        _event(locked, actor, CaseEvent.Kind.DECIDED, decision)
        audit.record(
            actor=actor,
            action="governance.case.decide",
            obj=locked,
            changes={"status": ["open", "decided"], "level": [None, locked.level]},
        )
    return locked


REOPEN_REFUSED = gettext_lazy("Bare den som fattet vedtaket kan gjenåpne saken.")


@allowed(
    lambda user, case, **_: selectors.is_decider(user, case, case.decided_level or case.level),
    REOPEN_REFUSED,
)
def reopen_case(*, actor: Actor, case: Case, ground: str) -> Case:
    """Only the body that decided may reopen, and only on a stated new ground. The old
    decision stays in the history; the reopening is counted."""
    ground = required(ground, "ground", _("Oppgi det nye grunnlaget for å gjenåpne saken."))
    if case.status != Case.Status.DECIDED:
        raise Conflict(_("Saken er ikke avgjort."))
    with transaction.atomic():
        locked = _locked(case)
        if locked.status != Case.Status.DECIDED:
            raise Conflict(_("Saken er ikke avgjort."))
        if actor.user is not None and not selectors.may_reopen(actor.user, locked):
            # Decided again, at another level, since the caller read the case.
            raise Forbidden(REOPEN_REFUSED)
        refusal = events.reopen_refusal(case=locked)
        if refusal:
            raise Conflict(refusal)
        previous = f"Vedtak {locked.decided_at:%d.%m.%Y}: {locked.decision}"
        locked.status = Case.Status.OPEN
        locked.level = locked.decided_level  # back to the body that decided
        locked.reopenings += 1
        locked.decision = locked.reasons = locked.decided_by_label = locked.decided_level = ""
        locked.decided_at = locked.effective_from = None
        locked.decided_by = None
        locked.save()
        _event(locked, actor, CaseEvent.Kind.REOPENED, f"{ground}\n\n(Erstatter: {previous})")
        audit.record(
            actor=actor,
            action="governance.case.reopen",
            obj=locked,
            changes={"status": ["decided", "open"], "ground": [None, ground]},
        )
    return locked
