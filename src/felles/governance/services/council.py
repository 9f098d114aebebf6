"""The advisory council: planning the rotating seats, ministries' unavailability and
nominations, the providers' budget proposals and the council's statements on them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from felles.core import audit
from felles.core.actor import Actor
from felles.core.services import Conflict, ServiceError, allowed
from felles.governance import rules, selectors
from felles.governance.models import BudgetProposal, CouncilTerm, CouncilUnavailability
from felles.governance.services._common import required
from felles.organisations.models import Organisation, Person
from felles.organisations.selectors import manages_provider


@allowed(selectors.is_governance, gettext_lazy("Bare DFD planlegger rådets sammensetning."))
def plan_council(
    *, actor: Actor, first: dt.date, count: int, months: int = 12, seats: int = 3
) -> list[CouncilTerm]:
    """Plan the rotating seats for `count` terms from `first`, fair over the whole history
    (earlier terms count) and respecting declared unavailability."""
    if not 1 <= count <= 40 or months not in (6, 12, 24):
        raise ServiceError(_("Planlegg 1–40 perioder på 6, 12 eller 24 måneder."))
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
        raise Conflict(_("Planen ble nettopp laget av en annen. Last siden på nytt.")) from exc


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
                _(
                    "Det finnes allerede planlagte perioder etter startdatoen. Planlegg fra "
                    "slutten av den siste."
                )
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


@allowed(
    lambda user, ministry, **_: (
        selectors.is_governance(user) or selectors.responsible_in(user, ministry.pk)
    ),
    "Bare departementet selv eller DFD kan melde dette.",
)
def declare_unavailability(
    *, actor: Actor, ministry: Organisation, starts_on: dt.date, ends_on: dt.date, reason: str
) -> CouncilUnavailability:
    reason = required(reason, "reason", _("Oppgi hvorfor departementet ikke kan ta plass."))
    if ends_on < starts_on:
        raise ServiceError(_("Til-datoen er før fra-datoen."), {"ends_on": [_("Før fra-datoen.")]})
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


NOMINATION_FIELDS = ("nominee", "competence", "capacity_hours")


@allowed(
    lambda user, term, **_: selectors.may_nominate(user, term),
    gettext_lazy(
        "Bare departementet selv kan oppnevne, eller DFD for perioder som starter innen et år."
    ),
)
def nominate(
    *, actor: Actor, term: CouncilTerm, nominee: Person, competence: str, capacity_hours: int
) -> CouncilTerm:
    """The ministry names its member for the term, stating competence and capacity."""
    competence = required(
        competence, "competence", _("Beskriv kompetansen som gjør personen egnet.")
    )
    if nominee.organisation_id != term.ministry_id:
        raise ServiceError(
            _("Den oppnevnte må arbeide i departementet."), {"nominee": [_("Feil departement.")]}
        )
    if not 1 <= capacity_hours <= 80:
        raise ServiceError(
            _("Oppgi kapasitet i timer per måned (1–80)."), {"capacity_hours": [_("1–80 timer.")]}
        )
    with transaction.atomic():
        before = audit.snapshot(term, NOMINATION_FIELDS)
        term.nominee, term.competence, term.capacity_hours = nominee, competence, capacity_hours
        audit.save_audited(
            term,
            actor=actor,
            fields=NOMINATION_FIELDS,
            before=before,
            action="governance.council.nominate",
            organisation_id=term.ministry_id,
        )
    return term


@allowed(
    lambda user, provider, **_: manages_provider(user, provider.pk),
    gettext_lazy("Bare leverandørens ledere fremmer satsingsforslag."),
)
def submit_budget_proposal(
    *,
    actor: Actor,
    provider: Organisation,
    year: int,
    title: str,
    amount: Decimal,
    description: str,
) -> BudgetProposal:
    title = required(title, "title", _("Gi forslaget en tittel."))
    description = required(description, "description", _("Beskriv forslaget."))
    if amount <= 0:
        raise ServiceError(
            _("Beløpet må være større enn null."), {"amount": [_("Må være positivt.")]}
        )
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


@allowed(selectors.may_state, gettext_lazy("Bare rådet (eller DFD som sekretariat) uttaler seg."))
def record_statement(*, actor: Actor, proposal: BudgetProposal, text: str) -> BudgetProposal:
    """The council's statement on a proposal, before it goes to FIN. Given once."""
    text = required(text, "statement", _("Skriv rådets uttalelse."))
    with transaction.atomic():
        if not BudgetProposal.objects.filter(pk=proposal.pk, statement="").update(
            statement=text, statement_on=timezone.localdate(), statement_by_label=actor.label
        ):
            raise Conflict(_("Rådet har allerede uttalt seg om forslaget."))
        proposal.refresh_from_db()
        audit.record(
            actor=actor,
            action="governance.proposal.statement",
            obj=proposal,
            changes={"statement": [None, text]},
        )
    return proposal
