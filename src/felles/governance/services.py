"""Governance writes. Each runs in one transaction and leaves an audit event.

Who may act depends on the case (its level decides who decides), so every service checks
the acting user against the same selectors the pages use: a page that shows no button and
an API call that tries anyway get the same refusal. System actors (demo, commands) act
without a user and are not checked."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from felles.core import audit
from felles.core.actor import Actor
from felles.core.calendar import add_working_days
from felles.core.services import Conflict, ServiceError, check_allowed
from felles.governance import rules, selectors
from felles.governance.models import (
    ActionItem,
    BudgetProposal,
    Case,
    CaseCounter,
    CaseEvent,
    CouncilTerm,
    CouncilUnavailability,
    DecisionRight,
    Hearing,
    Meeting,
    MeetingSeries,
)
from felles.organisations.models import Organisation, Person
from felles.organisations.selectors import manages_provider, serves, staff_serving


def _required(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ServiceError(message, {field: ["Må fylles ut."]})
    return value


# --- decision rights ------------------------------------------------------------------------

RIGHT_FIELDS = (
    "topic",
    "description",
    "decider",
    "level",
    "hear_ministries",
    "hear_council",
    "hear_forum",
    "hearing_days",
)


def save_decision_right(
    *, actor: Actor, code: str, values: dict[str, Any], right: DecisionRight | None = None
) -> DecisionRight:
    """Create or change a row of the decision-rights table (DFD's governance users)."""
    check_allowed(actor, selectors.is_governance, "Bare DFD kan endre beslutningsfullmaktene.")
    values = {k: v for k, v in values.items() if k in RIGHT_FIELDS}
    level, decider = values.get("level"), values.get("decider")
    if level not in rules.LADDER:
        raise ServiceError("Velg nivå.", {"level": ["Ukjent nivå."]})
    if decider != rules.decider_for(level):
        raise ServiceError(
            "Strategiske spørsmål avgjøres av DFD, operative og taktiske av leverandøren.",
            {"decider": ["Passer ikke med nivået."]},
        )
    _required(values.get("topic", ""), "topic", "Skriv hva slags spørsmål fullmakten gjelder.")
    if not re.fullmatch(r"[a-z0-9-]{1,40}", code):
        raise ServiceError(
            "Koden kan bare ha små bokstaver, tall og bindestrek.", {"code": ["Ugyldig kode."]}
        )
    if not 0 <= int(values.get("hearing_days", 10)) <= 60:
        raise ServiceError("Høringsfristen er 0–60 virkedager.", {"hearing_days": ["Velg 0–60."]})
    with transaction.atomic():
        before = audit.snapshot(right, RIGHT_FIELDS) if right else {}
        if right is None:
            if DecisionRight.objects.filter(code=code).exists():
                raise Conflict(f"Fullmakten «{code}» finnes allerede.")
            right = DecisionRight(code=code)
        for name, value in values.items():
            setattr(right, name, value)
        right.save()
        audit.record(
            actor=actor,
            action="governance.right." + ("change" if before else "create"),
            obj=right,
            changes=audit.diff(before, audit.snapshot(right, RIGHT_FIELDS)),
        )
    return right


# The table DFD starts from (the review, chapter 3.2.3–3.2.4: DFD decides which tasks the
# providers take on, whom they serve, and the cost-sharing and price models; the providers
# decide service design, priorities within their budget and their routines).
DEFAULT_RIGHTS = (
    ("priser", "Priser og prismodeller", rules.DFD, rules.STRATEGIC, True, True, "", 15),
    ("kostnadsdeling", "Kostnadsdelingsmodell", rules.DFD, rules.STRATEGIC, True, True, "", 15),
    (
        "oppgaver",
        "Hvilke oppgaver en leverandør kan ta på seg",
        rules.DFD,
        rules.STRATEGIC,
        True,
        True,
        "",
        15,
    ),
    ("kunder", "Hvem en leverandør skal betjene", rules.DFD, rules.STRATEGIC, True, False, "", 15),
    (
        "budsjettforslag",
        "Leverandørenes satsingsforslag",
        rules.DFD,
        rules.STRATEGIC,
        False,
        True,
        "",
        10,
    ),
    (
        "tjenestedesign",
        "Utforming av tjenester og tjenestenivå",
        rules.PROVIDER,
        rules.TACTICAL,
        False,
        False,
        "Taktisk kundeforum",
        10,
    ),
    (
        "prioriteringer",
        "Prioriteringer innenfor budsjettet",
        rules.PROVIDER,
        rules.TACTICAL,
        False,
        False,
        "",
        10,
    ),
    (
        "rutiner",
        "Rutiner og arbeidsprosesser",
        rules.PROVIDER,
        rules.OPERATIVE,
        False,
        False,
        "",
        5,
    ),
    ("leveranse", "Avvik i leveranser", rules.PROVIDER, rules.OPERATIVE, 0, 0, "", 5),
)


def seed_decision_rights(*, actor: Actor) -> int:
    """The starting table; rows that exist are left as DFD edited them."""
    created = 0
    for code, topic, decider, level, ministries, council, forum, days in DEFAULT_RIGHTS:
        if DecisionRight.objects.filter(code=code).exists():
            continue
        save_decision_right(
            actor=actor,
            code=code,
            values={
                "topic": topic,
                "decider": decider,
                "level": level,
                "hear_ministries": bool(ministries),
                "hear_council": bool(council),
                "hear_forum": forum,
                "hearing_days": days,
            },
        )
        created += 1
    return created


# --- cases ----------------------------------------------------------------------------------


def _next_number(year: int) -> str:
    counter, _ = CaseCounter.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"S-{year}-{counter.last:04d}"


def _event(case: Case, actor: Actor, kind: str, text: str = "", **levels: str) -> None:
    CaseEvent.objects.create(case=case, kind=kind, text=text, actor_label=actor.label, **levels)


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


def raise_case(
    *,
    actor: Actor,
    raised_by: Person,
    right: DecisionRight,
    provider: Organisation,
    title: str,
    description: str,
    level: str | None = None,
    area: Any = None,
    services: Sequence[Any] = (),
) -> Case:
    """Register a case. It starts at the level asked for, but never below what the
    decision-rights table allows for its topic: a pricing case goes straight to DFD."""
    check_allowed(actor, selectors.may_raise, "Du kan ikke melde saker.")
    title = _required(title, "title", "Gi saken en tittel.")
    description = _required(description, "description", "Beskriv saken.")
    if provider.kind != Organisation.Kind.PROVIDER:
        raise ServiceError(
            "Velg leverandøren saken gjelder.", {"provider": ["Ikke en leverandør."]}
        )
    if level is not None and level not in rules.LADDER:
        raise ServiceError("Ukjent nivå.", {"level": ["Velg operativt, taktisk eller strategisk."]})
    foreign = [s for s in services if s.provider_id != provider.pk]
    if foreign:
        raise ServiceError(
            "Tjenestene må leveres av leverandøren saken gjelder.",
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


def answer_hearing(*, actor: Actor, hearing: Hearing, text: str) -> Hearing:
    """A party's input. One answer per party; a late answer is kept and marked late."""
    text = _required(text, "input", "Skriv innspillet.")
    check_allowed(
        actor, lambda u: selectors.may_answer(u, hearing), "Du kan ikke svare for parten."
    )
    with transaction.atomic():
        case = _locked(hearing.case)
        if case.status != Case.Status.OPEN:
            raise Conflict("Saken er avgjort; innspill tas ikke lenger imot.")
        updated = Hearing.objects.filter(pk=hearing.pk, answered_at__isnull=True).update(
            input=text, answered_at=timezone.now(), answered_by_label=actor.label
        )
        if not updated:
            raise Conflict("Parten har allerede gitt innspill.")
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


def escalate_case(*, actor: Actor, case: Case, reason: str) -> Case:
    """Lift an open case one level; the reason is recorded. At strategic it is DFD's."""
    reason = _required(reason, "reason", "Skriv hvorfor saken ikke kan avgjøres på dette nivået.")
    if case.status != Case.Status.OPEN:
        raise Conflict("Saken er avgjort og kan ikke løftes.")
    if case.level == rules.STRATEGIC:
        raise Conflict(rules.AT_TOP)
    check_allowed(
        actor, lambda u: selectors.may_escalate(u, case), "Du kan ikke løfte denne saken."
    )
    with transaction.atomic():
        locked = _locked(case)
        if locked.status != Case.Status.OPEN:
            raise Conflict("Saken er avgjort og kan ikke løftes.")
        if locked.level != case.level:
            raise Conflict("Saken er allerede løftet av en annen.")
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
    decision = _required(decision, "decision", "Skriv vedtaket.")
    reasons = _required(reasons, "reasons", "Et vedtak må begrunnes.")
    if case.status != Case.Status.OPEN:
        raise Conflict("Saken er allerede avgjort.")
    check_allowed(actor, lambda u: selectors.may_decide(u, case), "Saken avgjøres ikke av deg.")
    today = timezone.localdate()
    with transaction.atomic():
        locked = _locked(case)
        if locked.status != Case.Status.OPEN:
            raise Conflict("Saken er allerede avgjort.")
        if locked.level != case.level:
            # Escalated while the decider was writing: the case now has another decider.
            raise Conflict(
                f"Saken er løftet til {locked.get_level_display().lower()} nivå i mellomtiden "
                f"og avgjøres nå av {locked.decider_label}."
            )
        waiting = [
            h.party for h in locked.hearings.filter(answered_at__isnull=True, deadline__gte=today)
        ]
        if waiting:
            raise Conflict(
                "Høringsfristen er ikke ute for: " + ", ".join(waiting) + ". Vent på innspill."
            )
        locked.status = Case.Status.DECIDED
        locked.decision, locked.reasons = decision, reasons
        locked.effective_from = effective_from
        locked.decided_at = timezone.now()
        locked.decided_by_label = actor.label
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


def reopen_case(*, actor: Actor, case: Case, ground: str) -> Case:
    """Only the body that decided may reopen, and only on a stated new ground. The old
    decision stays in the history; the reopening is counted."""
    ground = _required(ground, "ground", "Oppgi det nye grunnlaget for å gjenåpne saken.")
    if case.status != Case.Status.DECIDED:
        raise Conflict("Saken er ikke avgjort.")
    check_allowed(
        actor,
        lambda u: selectors.may_reopen(u, case),
        "Bare den som fattet vedtaket kan gjenåpne saken.",
    )
    with transaction.atomic():
        locked = _locked(case)
        if locked.status != Case.Status.DECIDED:
            raise Conflict("Saken er ikke avgjort.")
        check_allowed(
            actor,
            lambda u: selectors.may_reopen(u, locked),
            "Bare den som fattet vedtaket kan gjenåpne saken.",
        )
        previous = f"Vedtak {locked.decided_at:%d.%m.%Y}: {locked.decision}"
        locked.status = Case.Status.OPEN
        locked.level = locked.decided_level  # back to the body that decided
        locked.reopenings += 1
        locked.decision = locked.reasons = locked.decided_by_label = locked.decided_level = ""
        locked.decided_at = locked.effective_from = None
        locked.save()
        _event(locked, actor, CaseEvent.Kind.REOPENED, f"{ground}\n\n(Erstatter: {previous})")
        audit.record(
            actor=actor,
            action="governance.case.reopen",
            obj=locked,
            changes={"status": ["decided", "open"], "ground": [None, ground]},
        )
    return locked


# --- customer dialogue ----------------------------------------------------------------------


SERIES_FIELDS = ("customer_contact", "target_min", "target_max", "period_months")


def save_series(
    *,
    actor: Actor,
    provider: Organisation,
    ministry: Organisation,
    level: str,
    customer_contact: Person | None = None,
    target: rules.Target | None = None,
    starts_on: dt.date | None = None,
) -> MeetingSeries:
    """Create or change the dialogue series between a ministry and a provider at a level.
    On a change, what is not given (contact, target) is kept."""
    check_allowed(
        actor,
        lambda u: serves(u, provider.pk, ministry.pk, roles=selectors.PLANNING_ROLES),
        "Bare leverandøren som betjener departementet, kan sette opp dialogen.",
    )
    if provider.kind != Organisation.Kind.PROVIDER or ministry.kind != Organisation.Kind.MINISTRY:
        raise ServiceError("En dialog går mellom et departement og en leverandør.")
    if (
        customer_contact is not None
        and not staff_serving(provider.pk, ministry.pk).filter(pk=customer_contact.pk).exists()
    ):
        raise ServiceError(
            "Kundekontakten må være en aktiv medarbeider hos leverandøren som betjener "
            "departementet.",
            {"customer_contact": ["Betjener ikke departementet."]},
        )
    if target is not None and not 0 < target.minimum <= target.maximum:
        raise ServiceError("Målet må være minst ett møte, og minst ≤ høyst.")
    with transaction.atomic():
        series = (
            MeetingSeries.objects.select_for_update()
            .filter(provider=provider, ministry=ministry, level=level)
            .first()
        )
        before = audit.snapshot(series, SERIES_FIELDS) if series else {}
        if series is None:
            target = target or rules.DEFAULT_TARGETS[level]
            series = MeetingSeries(
                provider=provider,
                ministry=ministry,
                level=level,
                starts_on=starts_on or timezone.localdate().replace(day=1),
            )
        if customer_contact is not None:
            series.customer_contact = customer_contact
        if target is not None:
            series.target_min, series.target_max = target.minimum, target.maximum
            series.period_months = target.months
        series.save()
        audit.record(
            actor=actor,
            action="governance.series." + ("change" if before else "create"),
            obj=series,
            changes=audit.diff(before, audit.snapshot(series, SERIES_FIELDS)),
            organisation_id=ministry.pk,
        )
    return series


def record_meeting(
    *,
    actor: Actor,
    series: MeetingSeries,
    held_on: dt.date,
    agenda: str = "",
    minutes: str = "",
    participants: Iterable[Person] = (),
    actions: Iterable[tuple[str, Person, dt.date]] = (),
) -> Meeting:
    """A meeting: planned (agenda only) or held (with minutes). Held meetings cannot lie
    in the future; action owners must belong to the ministry or the provider."""
    check_allowed(
        actor, lambda u: selectors.is_party(u, series), "Du er ikke part i denne dialogen."
    )
    minutes = (minutes or "").strip()
    held = bool(minutes)
    if held and held_on > timezone.localdate():
        raise ServiceError(
            "Et møte med referat kan ikke ligge fram i tid.", {"held_on": ["Dato i framtiden."]}
        )
    parties = {series.provider_id, series.ministry_id}
    people = list(participants)
    action_rows = list(actions)
    outsiders = [p.full_name for p in people if p.organisation_id not in parties] + [
        owner.full_name for _, owner, _ in action_rows if owner.organisation_id not in parties
    ]
    if outsiders:
        raise ServiceError(
            "Deltakere og eiere må være fra departementet eller leverandøren: "
            + ", ".join(sorted(set(outsiders)))
        )
    with transaction.atomic():
        meeting = Meeting.objects.create(
            series=series, held_on=held_on, agenda=agenda.strip(), minutes=minutes, held=held
        )
        meeting.participants.set(people)
        ActionItem.objects.bulk_create(
            [
                ActionItem(meeting=meeting, text=text.strip(), owner=owner, due_on=due)
                for text, owner, due in action_rows
                if text.strip()
            ]
        )
        audit.record(
            actor=actor,
            action="governance.meeting.record",
            obj=meeting,
            changes={"held": [None, held], "actions": [None, len(action_rows)]},
            organisation_id=series.ministry_id,
        )
    return meeting


def complete_action(*, actor: Actor, item: ActionItem) -> ActionItem:
    check_allowed(
        actor,
        lambda u: selectors.is_party(u, item.meeting.series),
        "Du er ikke part i denne dialogen.",
    )
    with transaction.atomic():
        if not ActionItem.objects.filter(pk=item.pk, done_on__isnull=True).update(
            done_on=timezone.localdate()
        ):
            raise Conflict("Punktet er allerede utført.")
        item.refresh_from_db()
        audit.record(
            actor=actor,
            action="governance.action.complete",
            obj=item,
            changes={"done_on": [None, str(item.done_on)]},
        )
    return item


# --- advisory council -----------------------------------------------------------------------


def plan_council(
    *, actor: Actor, first: dt.date, count: int, months: int = 12, seats: int = 3
) -> list[CouncilTerm]:
    """Plan the rotating seats for `count` terms from `first`, fair over the whole history
    (earlier terms count) and respecting declared unavailability."""
    check_allowed(actor, selectors.is_governance, "Bare DFD planlegger rådets sammensetning.")
    if not 1 <= count <= 40 or months not in (6, 12, 24):
        raise ServiceError("Planlegg 1–40 perioder på 6, 12 eller 24 måneder.")
    try:
        plan_terms = rules.terms(first, count, months)
        candidates = selectors.rotating_candidates()
        by_abbr = {m.abbreviation: m for m in candidates}
        history = CouncilTerm.objects.filter(starts_on__lt=first)
        served: dict[str, int] = {}
        last: dict[str, dt.date] = {}
        for term in history.select_related("ministry"):
            abbr = term.ministry.abbreviation
            served[abbr] = served.get(abbr, 0) + 1
            last[abbr] = max(last.get(abbr, term.starts_on), term.starts_on)
        blocked: dict[str, list[tuple[dt.date, dt.date]]] = {}
        for u in CouncilUnavailability.objects.select_related("ministry"):
            blocked.setdefault(u.ministry.abbreviation, []).append((u.starts_on, u.ends_on))
        plan = rules.plan_rotation(list(by_abbr), plan_terms, seats, served, last, blocked)
    except rules.RuleError as exc:
        raise ServiceError(str(exc)) from exc
    try:
        return _save_plan(actor, first, plan_terms, plan, by_abbr)
    except IntegrityError as exc:  # two plans at once: the unique (ministry, start) held
        raise Conflict("Planen ble nettopp laget av en annen. Last siden på nytt.") from exc


def _save_plan(
    actor: Actor,
    first: dt.date,
    plan_terms: Sequence[rules.Term],
    plan: Sequence[Sequence[str]],
    by_abbr: dict[str, Organisation],
) -> list[CouncilTerm]:
    with transaction.atomic():
        if CouncilTerm.objects.filter(ends_on__gte=first).exists():
            raise Conflict(
                "Det finnes allerede planlagte perioder etter startdatoen. Planlegg fra "
                "slutten av den siste."
            )
        created = CouncilTerm.objects.bulk_create(
            [
                CouncilTerm(ministry=by_abbr[abbr], starts_on=term.starts_on, ends_on=term.ends_on)
                for term, chosen in zip(plan_terms, plan, strict=True)
                for abbr in chosen
            ]
        )
        for term in created:
            audit.record(
                actor=actor,
                action="governance.council.plan",
                obj=term,
                changes={"starts_on": [None, str(term.starts_on)]},
                organisation_id=term.ministry_id,
            )
    return created


def declare_unavailability(
    *, actor: Actor, ministry: Organisation, starts_on: dt.date, ends_on: dt.date, reason: str
) -> CouncilUnavailability:
    reason = _required(reason, "reason", "Oppgi hvorfor departementet ikke kan ta plass.")
    check_allowed(
        actor,
        lambda u: selectors.is_governance(u) or selectors.responsible_in(u, ministry.pk),
        "Bare departementet selv eller DFD kan melde dette.",
    )
    if ends_on < starts_on:
        raise ServiceError("Til-datoen er før fra-datoen.", {"ends_on": ["Før fra-datoen."]})
    with transaction.atomic():
        item = CouncilUnavailability.objects.create(
            ministry=ministry, starts_on=starts_on, ends_on=ends_on, reason=reason
        )
        audit.record(
            actor=actor,
            action="governance.council.unavailable",
            obj=item,
            changes={"period": [None, f"{starts_on}–{ends_on}"]},
            organisation_id=ministry.pk,
        )
    return item


def nominate(
    *, actor: Actor, term: CouncilTerm, nominee: Person, competence: str, capacity_hours: int
) -> CouncilTerm:
    """The ministry names its member for the term, stating competence and capacity."""
    competence = _required(competence, "competence", "Beskriv kompetansen som gjør personen egnet.")
    check_allowed(
        actor,
        lambda u: selectors.may_nominate(u, term),
        "Bare departementet selv kan oppnevne, eller DFD for perioder som starter innen et år.",
    )
    if nominee.organisation_id != term.ministry_id:
        raise ServiceError(
            "Den oppnevnte må arbeide i departementet.", {"nominee": ["Feil departement."]}
        )
    if not 1 <= capacity_hours <= 80:
        raise ServiceError(
            "Oppgi kapasitet i timer per måned (1–80).", {"capacity_hours": ["1–80 timer."]}
        )
    with transaction.atomic():
        before = audit.snapshot(term, ["nominee", "competence", "capacity_hours"])
        term.nominee, term.competence, term.capacity_hours = nominee, competence, capacity_hours
        term.save()
        audit.record(
            actor=actor,
            action="governance.council.nominate",
            obj=term,
            changes=audit.diff(
                before, audit.snapshot(term, ["nominee", "competence", "capacity_hours"])
            ),
            organisation_id=term.ministry_id,
        )
    return term


def submit_budget_proposal(
    *,
    actor: Actor,
    provider: Organisation,
    year: int,
    title: str,
    amount: Decimal,
    description: str,
) -> BudgetProposal:
    check_allowed(
        actor,
        lambda u: manages_provider(u, provider.pk),
        "Bare leverandørens ledere fremmer satsingsforslag.",
    )
    title = _required(title, "title", "Gi forslaget en tittel.")
    description = _required(description, "description", "Beskriv forslaget.")
    if amount <= 0:
        raise ServiceError("Beløpet må være større enn null.", {"amount": ["Må være positivt."]})
    with transaction.atomic():
        proposal = BudgetProposal.objects.create(
            provider=provider, year=year, title=title, amount=amount, description=description
        )
        audit.record(
            actor=actor,
            action="governance.proposal.submit",
            obj=proposal,
            changes={"amount": [None, str(amount)], "year": [None, year]},
        )
    return proposal


def record_statement(*, actor: Actor, proposal: BudgetProposal, text: str) -> BudgetProposal:
    """The council's statement on a proposal, before it goes to FIN. Given once."""
    text = _required(text, "statement", "Skriv rådets uttalelse.")
    check_allowed(actor, selectors.may_state, "Bare rådet (eller DFD som sekretariat) uttaler seg.")
    with transaction.atomic():
        if not BudgetProposal.objects.filter(pk=proposal.pk, statement="").update(
            statement=text, statement_on=timezone.localdate(), statement_by_label=actor.label
        ):
            raise Conflict("Rådet har allerede uttalt seg om forslaget.")
        proposal.refresh_from_db()
        audit.record(
            actor=actor,
            action="governance.proposal.statement",
            obj=proposal,
            changes={"statement": [None, text]},
        )
    return proposal
