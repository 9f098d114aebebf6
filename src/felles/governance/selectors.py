"""Governance reads: who sees which case and dialogue, who may act on them, the register's
statistics, dialogue compliance, the meeting pack and the council's composition."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from felles.core import visibility
from felles.core.calendar import working_days_between
from felles.governance import rules
from felles.governance.models import (
    ActionItem,
    BudgetProposal,
    Case,
    CouncilTerm,
    DecisionRight,
    Hearing,
    Meeting,
    MeetingSeries,
)
from felles.organisations import selectors as org_selectors
from felles.organisations.models import PROVIDER_ROLES, Organisation, Role

# The permanent members of the advisory council (the review, chapter 3.2.3).
PERMANENT_MEMBERS = ("DFD", "SMK", "FIN")

# Who may raise a case or speak for their organisation in a hearing: the people who hold
# a responsibility, not every employee.
RESPONSIBLE_ROLES = frozenset(
    {
        Role.LINE_MANAGER,
        Role.BUDGET_HOLDER,
        Role.ORDERING_COORDINATOR,
        Role.SECURITY_COORDINATOR,
        Role.INFORMATION_COORDINATOR,
        Role.CUSTOMER_CONTACT,
        Role.PROVIDER_AGENT,
        Role.PROVIDER_MANAGER,
        Role.GOVERNANCE,
        Role.COUNCIL_MEMBER,
    }
)
# Ministry-side roles that take part in the customer dialogue.
DIALOGUE_ROLES = frozenset({Role.LINE_MANAGER, Role.BUDGET_HOLDER, Role.ORDERING_COORDINATOR})

may_raise = org_selectors.role_rule(*RESPONSIBLE_ROLES)
is_governance = org_selectors.role_rule(Role.GOVERNANCE)
# The provider's people who set up dialogues with the ministries they serve.
PLANNING_ROLES = (Role.PROVIDER_MANAGER, Role.CUSTOMER_CONTACT)
may_plan_dialogue = org_selectors.role_rule(*PLANNING_ROLES)
may_state = org_selectors.role_rule(Role.GOVERNANCE, Role.COUNCIL_MEMBER)
may_propose_budget = org_selectors.role_rule(Role.PROVIDER_MANAGER)
may_see_dialogue = org_selectors.role_rule(
    *DIALOGUE_ROLES, *PROVIDER_ROLES, Role.GOVERNANCE, Role.AUDITOR, Role.ADMINISTRATOR
)


def _roles(user: Any) -> frozenset[tuple[str, int]]:
    return org_selectors.access_for(user).roles


def _sees_everything(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False)) or any(
        r in (Role.AUDITOR, Role.ADMINISTRATOR) for r, _ in _roles(user)
    )


def provider_ids(user: Any, roles: frozenset[str] = PROVIDER_ROLES) -> set[int]:
    """The organisations where the user holds one of `roles` (by default: provider roles)."""
    return {o for r, o in _roles(user) if r in roles}


def responsible_in(user: Any, organisation_id: int) -> bool:
    return any(r in RESPONSIBLE_ROLES and o == organisation_id for r, o in _roles(user))


# --- cases ----------------------------------------------------------------------------------


def visible_case_filter(user: Any) -> Q:
    """Decided cases are published to everyone. An open case is seen by the organisation
    that raised it, the provider it concerns, the parties to be heard, and DFD once it has
    reached the strategic level (DFD's level). Auditors and administrators see all."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if _sees_everything(user):
        return Q()
    access = org_selectors.access_for(user)
    scope = Q(status=Case.Status.DECIDED)
    if access.person is None:
        return scope
    org = access.person.organisation_id
    scope |= Q(raised_by_organisation_id=org) | org_selectors.provider_scope(
        user, ministry="raised_by_organisation_id"
    )
    heard = Q(organisation_id=org)
    if access.has_role(Role.COUNCIL_MEMBER):
        heard |= Q(kind=Hearing.Kind.COUNCIL)
    scope |= Q(pk__in=Hearing.objects.filter(heard).values("case_id"))
    if access.has_role(Role.GOVERNANCE):
        scope |= Q(level=rules.STRATEGIC)
    return scope


def cases_for(user: Any) -> QuerySet[Case]:
    return Case.objects.visible_to(user).select_related(
        "right", "provider", "raised_by_organisation", "area"
    )


def decision_log() -> QuerySet[Case]:
    """Every decided case, newest first: the published decision log."""
    return (
        Case.objects.filter(status=Case.Status.DECIDED)
        .select_related("right", "provider", "raised_by_organisation")
        .order_by("-decided_at")
    )


def may_decide(user: Any, case: Case) -> bool:
    if case.status != Case.Status.OPEN:
        return False
    if case.decider == rules.DFD:
        return org_selectors.has_role(user, Role.GOVERNANCE)
    return org_selectors.manages_provider(user, case.provider_id, case.raised_by_organisation_id)


def may_escalate(user: Any, case: Case) -> bool:
    """The provider's people, and the organisation that raised the case when it disagrees,
    may lift an open case one level; DFD is the top."""
    if case.status != Case.Status.OPEN or case.level == rules.STRATEGIC:
        return False
    return org_selectors.serves(
        user, case.provider_id, case.raised_by_organisation_id
    ) or responsible_in(user, case.raised_by_organisation_id)


def may_reopen(user: Any, case: Case) -> bool:
    """Only the body that decided may reopen its decision."""
    if case.status != Case.Status.DECIDED:
        return False
    if rules.decider_for(case.decided_level) == rules.DFD:
        return org_selectors.has_role(user, Role.GOVERNANCE)
    return org_selectors.manages_provider(user, case.provider_id, case.raised_by_organisation_id)


def may_answer(user: Any, hearing: Hearing) -> bool:
    """A party's responsible people answer its hearing; the council's members answer the
    council's; the decider's secretariat records a forum's input. (Whether the hearing is
    still open is the service's question.)"""
    if hearing.kind == Hearing.Kind.ORGANISATION:
        return hearing.organisation_id is not None and responsible_in(user, hearing.organisation_id)
    if hearing.kind == Hearing.Kind.COUNCIL:
        return org_selectors.has_role(user, Role.COUNCIL_MEMBER)
    return may_decide(user, hearing.case)


def hearings_open_for(user: Any) -> QuerySet[Hearing]:
    """Unanswered hearings the user's organisation (or council) must answer."""
    person = org_selectors.person_for(user)
    if person is None:
        return Hearing.objects.none()
    scope = Q(organisation_id=person.organisation_id)
    if org_selectors.has_role(user, Role.COUNCIL_MEMBER):
        scope |= Q(kind=Hearing.Kind.COUNCIL)
    return (
        Hearing.objects.filter(scope, answered_at__isnull=True, case__status=Case.Status.OPEN)
        .filter(case__in=cases_for(user))
        .select_related("case")
        .order_by("deadline")
    )


def cases_waiting_for(user: Any) -> QuerySet[Case]:
    """Open cases the user's body must decide: DFD's strategic ones, or the provider's."""
    open_cases = cases_for(user).filter(status=Case.Status.OPEN)
    scope = Q(pk__in=[])
    if org_selectors.has_role(user, Role.GOVERNANCE):
        scope |= Q(level=rules.STRATEGIC)
    scope |= org_selectors.provider_scope(
        user, roles=(Role.PROVIDER_MANAGER,), ministry="raised_by_organisation_id"
    ) & ~Q(level=rules.STRATEGIC)
    return open_cases.filter(scope)


def settlement_stats(cases: QuerySet[Case]) -> list[rules.LevelStats]:
    """How many visible cases were settled at each level, and in how many working days."""
    rows = cases.filter(status=Case.Status.DECIDED).values_list(
        "decided_level", "created_at", "decided_at"
    )
    return rules.settlement_stats(
        (
            level,
            working_days_between(timezone.localdate(created), timezone.localdate(decided)),
        )
        for level, created, decided in rows
    )


def rights() -> QuerySet[DecisionRight]:
    return DecisionRight.objects.all()


# --- customer dialogue ----------------------------------------------------------------------


def visible_series_filter(user: Any) -> Q:
    """A dialogue belongs to its ministry (its leaders and coordinators) and its provider;
    DFD, auditors and administrators read all of them (DFD follows compliance, it does not
    sit in)."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if _sees_everything(user) or org_selectors.has_role(user, Role.GOVERNANCE):
        return Q()
    return Q(ministry_id__in=provider_ids(user, DIALOGUE_ROLES)) | org_selectors.provider_scope(
        user
    )


def series_for(user: Any) -> QuerySet[MeetingSeries]:
    return MeetingSeries.objects.visible_to(user).select_related(
        "provider", "ministry", "customer_contact"
    )


def is_party(user: Any, series: MeetingSeries) -> bool:
    """The provider's people and the ministry's coordinators and leaders write meetings."""
    if org_selectors.serves(user, series.provider_id, series.ministry_id):
        return True
    return any(r in DIALOGUE_ROLES and o == series.ministry_id for r, o in _roles(user))


@dataclass
class SeriesCompliance:
    series: MeetingSeries
    periods: list[rules.PeriodCompliance]
    share: float | None
    overdue_actions: int

    @property
    def current(self) -> rules.PeriodCompliance | None:
        return self.periods[-1] if self.periods else None


def dialogue_compliance(
    series: QuerySet[MeetingSeries], today: dt.date | None = None
) -> list[SeriesCompliance]:
    """Meetings held against target per series and period, and overdue action items."""
    today = today or timezone.localdate()
    held: dict[int, list[dt.date]] = {}
    for series_id, day in Meeting.objects.filter(
        series__in=series, held=True, held_on__lte=today
    ).values_list("series_id", "held_on"):
        held.setdefault(series_id, []).append(day)
    overdue = dict(
        ActionItem.objects.filter(
            meeting__series__in=series, done_on__isnull=True, due_on__lt=today
        )
        .values_list("meeting__series_id")
        .annotate(n=Count("id"))
        .values_list("meeting__series_id", "n")
    )
    result = []
    for s in series:
        periods = rules.compliance(held.get(s.pk, []), s.target, s.starts_on, today)
        result.append(
            SeriesCompliance(s, periods, rules.compliance_share(periods), overdue.get(s.pk, 0))
        )
    return result


def overdue_actions(series: QuerySet[MeetingSeries], today: dt.date) -> QuerySet[ActionItem]:
    return (
        ActionItem.objects.filter(
            meeting__series__in=series, done_on__isnull=True, due_on__lt=today
        )
        .select_related("owner", "meeting__series__ministry", "meeting__series__provider")
        .order_by("due_on")
    )


@dataclass
class PackSection:
    title: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    empty: str = "Ingen data for perioden."
    note: str = ""
    money: frozenset[int] = frozenset()  # indexes of columns holding amounts in kroner


def meeting_pack(
    series: MeetingSeries, start: dt.date, end: dt.date, user: Any
) -> list[PackSection]:
    """The pack for a dialogue meeting: what happened between this ministry and this
    provider in the period. Every section says plainly when it has nothing. The money
    sections (showback, invoices) follow the invoicing rules: only those who follow the
    ministry's bill see them."""
    from felles.invoicing import selectors as invoicing_selectors
    from felles.invoicing.models import Invoice
    from felles.orders.models import Order, SatisfactionResponse
    from felles.sla.models import OrderSla
    from felles.sla.selectors import compliance

    ministry, provider = series.ministry, series.provider
    orders = Order.objects.filter(
        ministry=ministry,
        service__provider=provider,
        submitted_at__date__gte=start,
        submitted_at__date__lte=end,
    )
    volumes = PackSection(
        "Bestillinger og volum",
        ["Tjeneste", "Bestillinger", "Levert"],
        [
            [r["service__name_nb"], r["n"], r["done"]]
            for r in orders.values("service__name_nb")
            .annotate(n=Count("id"), done=Count("id", filter=Q(status="resolved")))
            .order_by("-n", "service__name_nb")
        ],
        "Ingen bestillinger i perioden.",
    )
    sla_rows = compliance(
        OrderSla.objects.filter(
            order__ministry=ministry,
            order__service__provider=provider,
            order__resolved_at__date__gte=start,
            order__resolved_at__date__lte=end,
        ),
        "service",
    )
    sla = PackSection(
        "Tjenestenivå (SLA)",
        ["Tjeneste", "Måned", "Fullført", "Innenfor", "Brutt", "Oppnådd %"],
        [[r.group, r.month, r.finished, r.met, r.breached, r.compliance] for r in sla_rows],
        "Ingen ferdigstilte bestillinger med tjenestenivå i perioden.",
    )
    answers = SatisfactionResponse.objects.filter(
        order__ministry=ministry,
        order__service__provider=provider,
        created_at__date__gte=start,
        created_at__date__lte=end,
    )
    satisfaction = PackSection(
        "Brukertilfredshet",
        ["Tjeneste", "Svar", "Snitt (1–5)"],
        [
            [r["order__service__name_nb"], r["n"], round(r["total"] / r["n"], 1)]
            for r in answers.values("order__service__name_nb")
            .annotate(n=Count("id"), total=Sum("score"))
            .order_by("order__service__name_nb")
        ],
        "Ingen tilfredshetssvar i perioden.",
    )
    bill = invoicing_selectors.follows_bill(user, ministry.pk, provider.pk)
    hidden = "Vises bare for dem som følger departementets regning."
    showback = PackSection(
        "Forbruk av bevilgningsfinansierte tjenester (synliggjøring)",
        ["Tjeneste", "Volum", "Enhet", "Fullkostverdi"],
        [
            [r.service, r.volume, r.unit, r.value]
            for r in invoicing_selectors.showback(ministry.pk, start, end)
            if r.provider == provider.abbreviation
        ]
        if bill
        else [],
        "Ikke noe registrert forbruk av bevilgningsfinansierte tjenester i perioden."
        if bill
        else hidden,
        money=frozenset({3}),
    )
    invoices = PackSection(
        "Fakturaer og kreditnotaer",
        ["Nummer", "Type", "Dato", "Beløp"],
        [
            [i.number, i.get_kind_display(), i.issue_date, i.total]
            for i in invoicing_selectors.invoices_for(user)
            .filter(
                status=Invoice.Status.ISSUED,
                ministry=ministry,
                provider=provider,
                issue_date__gte=start,
                issue_date__lte=end,
            )
            .order_by("issue_date", "number")
        ]
        if bill
        else [],
        "Ingen fakturaer i perioden." if bill else hidden,
        money=frozenset({3}),
    )
    # Only the cases the reader may open: a pack never names a case that answers 404.
    involved = Q(raised_by_organisation=ministry) | Q(hearings__organisation=ministry)
    concerning = cases_for(user).filter(
        pk__in=Case.objects.filter(involved, provider=provider).values("pk")
    )
    escalations = PackSection(
        "Åpne løftede saker",
        ["Sak", "Nivå", "Løftet", "Meldt"],
        [
            [c.number + " " + c.title, c.get_level_display(), c.escalations, c.created_at]
            for c in concerning.filter(status=Case.Status.OPEN, escalations__gt=0)
        ],
        "Ingen åpne løftede saker.",
    )
    last_meeting = series.meetings.filter(held=True, held_on__lt=end).order_by("-held_on").first()
    since = last_meeting.held_on + dt.timedelta(days=1) if last_meeting else start
    decisions = PackSection(
        "Vedtak siden forrige møte",
        ["Sak", "Vedtak", "Avgjort av", "Dato"],
        [
            [c.number + " " + c.title, c.decision, c.decided_by_label, c.decided_at]
            for c in decision_log().filter(provider=provider, decided_at__date__gte=since)
        ],
        "Ingen vedtak siden forrige møte.",
        note=f"Fra og med {since:%d.%m.%Y}.",
    )
    return [volumes, sla, satisfaction, showback, invoices, escalations, decisions]


# --- advisory council -----------------------------------------------------------------------


def rotating_candidates() -> list[Organisation]:
    """Ministries that take turns: every current ministry except the permanent members."""
    return list(
        Organisation.objects.customers()
        .filter(valid_to__isnull=True)
        .exclude(abbreviation__in=PERMANENT_MEMBERS)
        .order_by("abbreviation")
    )


def council_on(day: dt.date) -> tuple[list[Organisation], list[CouncilTerm]]:
    """The council on a day: the permanent members and the terms that cover the day."""
    permanent = list(
        Organisation.objects.filter(abbreviation__in=PERMANENT_MEMBERS).order_by("abbreviation")
    )
    seated = list(
        CouncilTerm.objects.filter(starts_on__lte=day, ends_on__gte=day).select_related(
            "ministry", "nominee"
        )
    )
    return permanent, seated


def may_nominate(user: Any, term: CouncilTerm, today: dt.date | None = None) -> bool:
    """A ministry nominates its own member; DFD may fill in for terms that start within a
    year (a year after 29 February is 28 February)."""
    if responsible_in(user, term.ministry_id):
        return True
    today = today or timezone.localdate()
    return is_governance(user) and term.starts_on <= today + relativedelta(years=1)


def terms() -> QuerySet[CouncilTerm]:
    return CouncilTerm.objects.select_related("ministry", "nominee")


def served_counts() -> list[tuple[Organisation, int]]:
    counts = dict(
        CouncilTerm.objects.values_list("ministry_id")
        .annotate(n=Count("id"))
        .values_list("ministry_id", "n")
    )
    return [(m, counts.get(m.pk, 0)) for m in rotating_candidates()]


def proposals() -> QuerySet[BudgetProposal]:
    return BudgetProposal.objects.select_related("provider")


visibility.register(Case, visible_case_filter)
visibility.register(MeetingSeries, visible_series_filter)
