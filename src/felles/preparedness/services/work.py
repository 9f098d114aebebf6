"""Exercises, the emergency stock, graded procurements and the yearly self-report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from felles.core import audit
from felles.core.actor import Actor
from felles.core.services import Conflict, ServiceError, allowed
from felles.governance import services as governance_services
from felles.orders.models import Order
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Organisation, Person
from felles.preparedness import rules, selectors
from felles.preparedness.models import (
    ContractPart,
    Exercise,
    GradedContract,
    SelfReport,
    StockCheck,
    StockItem,
)
from felles.preparedness.services._common import actions, date, text
from felles.security.models import Level

# --- exercises ------------------------------------------------------------------------------

NOT_PLANNER = gettext_lazy(
    "Bare DSS' øvelsesteam eller sikkerhetskoordinatoren i hvert deltakende departement kan "
    "planlegge og evaluere øvelsen."
)


def _ministries(ministries: Iterable[Organisation]) -> list[Organisation]:
    chosen = list(ministries)
    if not chosen or any(m.kind != Organisation.Kind.MINISTRY for m in chosen):
        raise ServiceError(
            _("Velg minst ett deltakende departement."), {"ministries": [_("Velg.")]}
        )
    return chosen


@allowed(
    lambda user, ministries, **_: selectors.plans_exercise(user, list(ministries)), NOT_PLANNER
)
def plan_exercise(
    *,
    actor: Actor,
    title: str,
    scenario: str,
    ministries: Iterable[Organisation],
    planned_on: dt.date,
    created_by: Person,
    observers: str = "",
    order: Order | None = None,
) -> Exercise:
    chosen = _ministries(ministries)
    values = {
        "title": text(title, "title", limit=200, required=_("Øvelsen må ha en tittel.")),
        "scenario": text(
            scenario,
            "scenario",
            limit=4000,
            multiline=True,
            required=_("Beskriv scenarioet (ugradert)."),
        ),
        "observers": text(observers, "observers", limit=500),
        "planned_on": date(planned_on, "planned_on"),
    }
    if order is not None and (
        order.service.code not in selectors.EXERCISE_CODES
        or order.ministry_id not in {m.pk for m in chosen}
    ):
        raise ServiceError(
            _("Bestillingen må være en øvelsesbestilling fra et av departementene."),
            {"order": [_("Ugyldig bestilling.")]},
        )
    with transaction.atomic():
        exercise = Exercise.objects.create(order=order, created_by=created_by, **values)
        exercise.ministries.set(chosen)
        audit.record(
            actor=actor,
            action="preparedness.exercise.plan",
            obj=exercise,
            changes={"ministries": [None, sorted(m.abbreviation for m in chosen)]},
        )
    return exercise


@allowed(
    lambda user, exercise, **_: selectors.plans_exercise(user, list(exercise.ministries.all())),
    NOT_PLANNER,
)
def evaluate_exercise(
    *,
    actor: Actor,
    exercise: Exercise,
    evaluation: str,
    lessons: Iterable[tuple[str, Person, dt.date]] = (),
) -> Exercise:
    """The evaluation after the exercise and its lessons as follow-up actions with owners
    and deadlines (an exercise cannot be evaluated before it is held)."""
    evaluation = text(
        evaluation,
        "evaluation",
        limit=8000,
        multiline=True,
        required=_("Skriv evalueringen."),
    )
    if exercise.planned_on > timezone.localdate():
        raise ServiceError(
            _("Øvelsen kan ikke evalueres før den er holdt."), {"evaluation": [_("For tidlig.")]}
        )
    covered = set(exercise.ministries.values_list("pk", flat=True))
    rows = actions(list(lessons), covered, selectors.EXERCISE_CODES)
    with transaction.atomic():
        exercise.evaluation, exercise.status = evaluation, Exercise.Status.EVALUATED
        exercise.save(update_fields=["evaluation", "status", "updated_at"])
        governance_services.add_actions(actor=actor, subject=exercise, actions=rows)
        audit.record(
            actor=actor,
            action="preparedness.exercise.evaluate",
            obj=exercise,
            changes={"lessons": [None, len(rows)]},
        )
    return exercise


# --- emergency stock -----------------------------------------------------------------------

STOCK_TEAM = gettext_lazy("Bare DSS' team for egenberedskapslageret kan endre lageret.")


@allowed(selectors.manages_stock, STOCK_TEAM)
def save_stock_item(
    *,
    actor: Actor,
    name: str,
    quantity: int,
    location: str,
    unit: str = "stk",
    expires_on: dt.date | None = None,
    reorder_level: int = 0,
    check_months: int = 6,
) -> StockItem:
    values = {
        "name": text(name, "name", limit=200, required=_("Oppgi varen.")),
        "location": text(location, "location", limit=200, required=_("Oppgi lagerplassen.")),
        "unit": text(unit, "unit", limit=30) or "stk",
        "expires_on": date(expires_on, "expires_on", required=False),
    }
    if not 0 <= quantity <= 10_000_000 or not 0 <= reorder_level <= 10_000_000:
        raise ServiceError(
            _("Antall må være et helt tall fra 0 til 10 000 000."), {"quantity": [_("Ugyldig.")]}
        )
    if not 1 <= check_months <= 24:
        raise ServiceError(
            _("Kontrollintervallet må være 1–24 måneder."), {"check_months": [_("Ugyldig.")]}
        )
    today = timezone.localdate()
    with transaction.atomic():
        item = StockItem.objects.create(
            quantity=quantity,
            reorder_level=reorder_level,
            check_months=check_months,
            next_check_on=rules.add_months(today, check_months),
            **values,
        )
        audit.record(
            actor=actor,
            action="preparedness.stock.create",
            obj=item,
            changes={"quantity": [None, quantity]},
        )
    return item


@allowed(selectors.manages_stock, STOCK_TEAM)
def check_stock(
    *, actor: Actor, item: StockItem, counted: int, signed_by: Person, note: str = ""
) -> StockCheck:
    """A periodic check, signed by the person who counted: the counted quantity replaces
    the recorded one and the next check is due `check_months` later."""
    if not 0 <= counted <= 10_000_000:
        raise ServiceError(
            _("Antall må være et helt tall fra 0 til 10 000 000."), {"counted": [_("Ugyldig.")]}
        )
    note = text(note, "note", limit=300)
    today = timezone.localdate()
    with transaction.atomic():
        check = StockCheck.objects.create(
            item=item, checked_on=today, counted=counted, note=note, signed_by=signed_by
        )
        before = item.quantity
        item.quantity = counted
        item.next_check_on = rules.add_months(today, item.check_months)
        item.save(update_fields=["quantity", "next_check_on", "updated_at"])
        audit.record(
            actor=actor,
            action="preparedness.stock.check",
            obj=item,
            changes={"quantity": [before, counted]},
        )
    return check


# --- graded procurements ---------------------------------------------------------------------


def _level(value: str, field: str) -> str:
    if value not in Level.values:
        raise ServiceError(_("Graderingsnivået finnes ikke."), {field: [_("Ugyldig nivå.")]})
    return value


@allowed(
    lambda user, ministry, **_: selectors.keeps_contracts(user, ministry),
    gettext_lazy(
        "Bare departementets sikkerhetskoordinator eller DSS' team for graderte anskaffelser "
        "kan registrere kontrakten."
    ),
)
def register_contract(
    *,
    actor: Actor,
    ministry: Organisation,
    title: str,
    supplier: str,
    agreement_on: dt.date,
    parts: Iterable[tuple[str, str]],
    clearance_level: str = "",
    clearance_expires_on: dt.date | None = None,
    order: Order | None = None,
) -> GradedContract:
    """A contract with a security agreement. Parts graded KONFIDENSIELT or higher need a
    supplier facility clearance at least at their level (BEGRENSET needs none)."""
    values = {
        "title": text(title, "title", limit=200, required=_("Oppgi kontrakten.")),
        "supplier": text(supplier, "supplier", limit=200, required=_("Oppgi leverandøren.")),
        "agreement_on": date(agreement_on, "agreement_on"),
        "clearance_expires_on": date(clearance_expires_on, "clearance_expires_on", required=False),
    }
    if clearance_level:
        _level(clearance_level, "clearance_level")
        if clearance_expires_on is None:
            raise ServiceError(
                _("Oppgi når leverandørklareringen utløper."),
                {"clearance_expires_on": [_("Må fylles ut.")]},
            )
    rows = [
        (text(d, "parts", limit=200), _level(lvl, "parts")) for d, lvl in parts if (d or "").strip()
    ]
    if not rows:
        raise ServiceError(
            _("Oppgi minst én del av anskaffelsen med graderingsnivå."), {"parts": [_("Mangler.")]}
        )
    for description, lvl in rows:
        if Level.rank(lvl) >= Level.rank(Level.KONFIDENSIELT) and (
            not clearance_level or Level.rank(clearance_level) < Level.rank(lvl)
        ):
            raise ServiceError(
                _("Leverandørens klarering dekker ikke delen «%(part)s» (%(level)s).")
                % {"part": description, "level": Level(lvl).label},
                {"clearance_level": [_("For lav klarering.")]},
            )
    with transaction.atomic():
        contract = GradedContract.objects.create(
            ministry=ministry, clearance_level=clearance_level, order=order, **values
        )
        ContractPart.objects.bulk_create(
            [ContractPart(contract=contract, description=d, level=lvl) for d, lvl in rows]
        )
        audit.record(
            actor=actor,
            action="preparedness.contract.register",
            obj=contract,
            changes={"parts": [None, len(rows)], "clearance_level": [None, clearance_level]},
            organisation_id=ministry.pk,
        )
    return contract


# --- the yearly self-report -----------------------------------------------------------------


@allowed(
    lambda user, ministry, **_: ministry.pk in selectors.coordinated(user) | selectors.led(user),
    gettext_lazy("Bare departementets sikkerhetskoordinator eller leder kan rapportere."),
)
def submit_self_report(
    *,
    actor: Actor,
    ministry: Organisation,
    year: int,
    answers: Mapping[str, str],
    comment: str = "",
) -> SelfReport:
    """The ministry's yearly self-report: one answer per question, once a year."""
    this_year = timezone.localdate().year
    if not this_year - 1 <= year <= this_year:
        raise ServiceError(_("Rapporter for i år eller i fjor."), {"year": [_("Ugyldig år.")]})
    missing = [q for q in rules.SELF_REPORT_QUESTIONS if answers.get(q) not in rules.ANSWERS]
    if missing:
        raise ServiceError(
            _("Svar på alle spørsmålene (ja, delvis eller nei)."),
            {q: [_("Må besvares.")] for q in missing},
        )
    comment = text(comment, "comment", limit=4000, multiline=True)
    person = org_selectors.person_for(actor.user) if actor.user else None
    person = person or Person.objects.filter(organisation=ministry, active=True).first()
    if person is None:
        raise ServiceError(_("Departementet har ingen aktive personer."))
    try:
        with transaction.atomic():
            report = SelfReport.objects.create(
                ministry=ministry,
                year=year,
                answers={q: answers[q] for q in rules.SELF_REPORT_QUESTIONS},
                comment=comment,
                submitted_by=person,
                submitted_at=timezone.now(),
            )
            audit.record(
                actor=actor,
                action="preparedness.selfreport.submit",
                obj=report,
                changes={"year": [None, year]},
                organisation_id=ministry.pk,
            )
    except IntegrityError as exc:
        raise Conflict(
            _("Departementet har allerede levert egenrapportering for %(year)s.") % {"year": year}
        ) from exc
    return report
