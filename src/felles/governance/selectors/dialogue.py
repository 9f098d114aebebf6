"""The customer dialogue: who reads and writes which dialogue, compliance with the meeting
targets, overdue action items and the meeting pack."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from felles.core import visibility
from felles.core.locale import localized
from felles.core.permissions import Rule
from felles.core.types import AnyUser
from felles.governance import rules
from felles.governance.models import ActionItem, Case, Meeting, MeetingSeries
from felles.governance.selectors.cases import cases_for, decision_log
from felles.governance.selectors.roles import provider_ids, roles_of, sees_everything
from felles.invoicing import selectors as invoicing_selectors
from felles.invoicing.models import Invoice
from felles.orders.models import Order, SatisfactionResponse
from felles.organisations import selectors as org_selectors
from felles.organisations.models import PROVIDER_ROLES, Organisation, Role
from felles.sla.agreed import agreed_vs_delivered
from felles.sla.models import OrderSla
from felles.sla.selectors import compliance

# Ministry-side roles that take part in the customer dialogue.
DIALOGUE_ROLES = frozenset({Role.LINE_MANAGER, Role.BUDGET_HOLDER, Role.ORDERING_COORDINATOR})
# The provider's people who set up dialogues with the ministries they serve.
PLANNING_ROLES = (Role.PROVIDER_MANAGER, Role.CUSTOMER_CONTACT)
may_plan_dialogue = org_selectors.role_rule(*PLANNING_ROLES)
# Roles that may take part in an arena (multi-ministry forum or network) besides the
# dialogue roles: the ministries' security and information-management coordinators.
ARENA_ROLES = frozenset({Role.SECURITY_COORDINATOR, Role.INFORMATION_COORDINATOR})
may_see_dialogue = org_selectors.role_rule(
    *DIALOGUE_ROLES,
    *ARENA_ROLES,
    *PROVIDER_ROLES,
    Role.GOVERNANCE,
    Role.AUDITOR,
    Role.ADMINISTRATOR,
)


def planning_provider(user: AnyUser) -> Organisation | None:
    """The provider whose dialogues the user sets up (a manager or customer contact)."""
    return (
        Organisation.objects.providers()
        .filter(pk__in=provider_ids(user, frozenset(PLANNING_ROLES)))
        .first()
    )


plans_dialogue = Rule(
    "plans a provider's dialogue", lambda user: planning_provider(user) is not None
)


def visible_series_filter(user: AnyUser) -> Q:
    """A dialogue belongs to its ministry (its leaders and coordinators) and its provider;
    DFD, auditors and administrators read all of them (DFD follows compliance, it does not
    sit in)."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if sees_everything(user) or org_selectors.has_role(user, Role.GOVERNANCE):
        return Q()
    dialogue = Q(ministry_id__in=provider_ids(user, DIALOGUE_ROLES)) | (
        Q(ministry__isnull=False) & org_selectors.provider_scope(user)
    )
    return dialogue | Q(pk__in=arena_ids(user))


def arena_ids(user: AnyUser) -> set[int]:
    """The arenas the user takes part in: as a holder of one of an arena's member roles in
    one of its member ministries, as the provider's manager or customer contact, or on the
    handling team of the arena's service (at most three queries)."""
    person = org_selectors.person_for(user)
    if person is None:
        return set()
    arenas = MeetingSeries.objects.filter(ministry__isnull=True)
    ids: set[int] = set()
    member_of: dict[str, set[int]] = {}
    for role, org in roles_of(user):
        member_of.setdefault(role, set()).add(org)
    if member_of:
        reach = Q(pk__in=[])
        for role, orgs in member_of.items():
            reach |= Q(member_roles__contains=role, members__in=orgs)
        ids |= set(arenas.filter(reach).values_list("pk", flat=True))
    planning = provider_ids(user, frozenset(PLANNING_ROLES))
    ids |= set(
        arenas.filter(Q(provider_id__in=planning) | Q(service__handling_team=person)).values_list(
            "pk", flat=True
        )
    )
    return ids


def series_for(user: AnyUser) -> QuerySet[MeetingSeries]:
    return MeetingSeries.objects.visible_to(user).select_related(
        "provider", "ministry", "customer_contact"
    )


def arenas_for(user: AnyUser) -> QuerySet[MeetingSeries]:
    """The multi-ministry arenas the user may read."""
    return series_for(user).filter(ministry__isnull=True).prefetch_related("members")


def is_party(user: AnyUser, series: MeetingSeries) -> bool:
    """The provider's people and the ministry's coordinators and leaders write a dialogue's
    meetings; an arena's participants and organisers write the arena's."""
    if series.ministry_id is None:
        return series.pk in arena_ids(user)
    if org_selectors.serves(user, series.provider_id, series.ministry_id):
        return True
    return any(r in DIALOGUE_ROLES and o == series.ministry_id for r, o in roles_of(user))


def party_organisation_ids(series: MeetingSeries) -> set[int]:
    """The organisations whose people may take part: the provider and the members."""
    return {series.provider_id, *series.members.values_list("pk", flat=True)}


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
    empty: str = ""
    note: str = ""
    money: frozenset[int] = frozenset()  # indexes of columns holding amounts in kroner


def _name(row: dict[str, Any], field: str) -> str:
    """A service name from a values() row, in the reader's language."""
    if translation.get_language() == "en" and row.get(f"{field}_en"):
        return str(row[f"{field}_en"])
    return str(row[f"{field}_nb"])


def _decided_by(case: Case) -> str:
    """Who decided, by name and organisation (never the username)."""
    person = case.decided_by
    if person is None:
        return case.decider_label
    return f"{person.full_name} ({person.organisation.abbreviation})"


def meeting_pack(
    series: MeetingSeries, start: dt.date, end: dt.date, user: AnyUser
) -> list[PackSection]:
    """The pack for a dialogue meeting: what happened between this ministry and this
    provider in the period. Every section says plainly when it has nothing. The money
    sections (showback, invoices) follow the invoicing rules: only those who follow the
    ministry's bill see them."""
    ministry, provider = series.ministry, series.provider
    orders = Order.objects.filter(
        ministry=ministry,
        service__provider=provider,
        submitted_at__date__gte=start,
        submitted_at__date__lte=end,
    )
    volumes = PackSection(
        _("Bestillinger og volum"),
        [_("Tjeneste"), _("Bestillinger"), _("Levert")],
        [
            [_name(r, "service__name"), r["n"], r["done"]]
            for r in orders.values("service__name_nb", "service__name_en")
            .annotate(n=Count("id"), done=Count("id", filter=Q(status="resolved")))
            .order_by("-n", "service__name_nb")
        ],
        _("Ingen bestillinger i perioden."),
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
        _("Tjenestenivå (SLA)"),
        [_("Tjeneste"), _("Måned"), _("Fullført"), _("Innenfor"), _("Brutt"), _("Oppnådd %")],
        [[r.group, r.month, r.finished, r.met, r.breached, r.compliance] for r in sla_rows],
        _("Ingen ferdigstilte bestillinger med tjenestenivå i perioden."),
    )
    agreed = PackSection(
        _("Leveranseavtale: avtalt / levert"),
        [
            _("Tjeneste"),
            _("Avtalt volum"),
            _("Levert"),
            _("Avtalte mål (svar/løst, timer)"),
            _("Avtalt etterlevelse %"),
            _("Levert etterlevelse %"),
            _("Avvik"),
        ],
        [
            [
                localized(a.line.service, "name"),
                a.line.volume,
                a.delivered.orders,
                a.targets_text,
                a.agreement.min_compliance,
                a.delivered.compliance,
                "; ".join(a.deviations) or _("Ingen"),
            ]
            for a in agreed_vs_delivered(
                user,
                OrderSla.objects.filter(
                    order__ministry=ministry,
                    order__service__provider=provider,
                    started_at__date__lte=end,
                ),
                end,
                ministry.pk,
            )
            if a.agreement.provider_id == provider.pk
        ],
        _("Ingen leveranseavtale gjelder ved periodens slutt."),
        note=_("Levert: avsluttede bestillinger i avtaleperioden fram til periodens slutt."),
    )
    answers = SatisfactionResponse.objects.filter(
        order__ministry=ministry,
        order__service__provider=provider,
        created_at__date__gte=start,
        created_at__date__lte=end,
    )
    satisfaction = PackSection(
        _("Brukertilfredshet"),
        [_("Tjeneste"), _("Svar"), _("Snitt (1–5)")],
        [
            [_name(r, "order__service__name"), r["n"], round(r["total"] / r["n"], 1)]
            for r in answers.values("order__service__name_nb", "order__service__name_en")
            .annotate(n=Count("id"), total=Sum("score"))
            .order_by("order__service__name_nb")
        ],
        _("Ingen tilfredshetssvar i perioden."),
    )
    bill = invoicing_selectors.follows_bill(user, ministry.pk, provider.pk)
    hidden = _("Vises bare for dem som følger departementets regning.")
    showback = PackSection(
        _("Forbruk av bevilgningsfinansierte tjenester (synliggjøring)"),
        [_("Tjeneste"), _("Volum"), _("Enhet"), _("Fullkostverdi")],
        [
            [r.service, r.volume, r.unit, r.value]
            for r in invoicing_selectors.showback(ministry.pk, start, end)
            if r.provider == provider.abbreviation
        ]
        if bill
        else [],
        _("Ikke noe registrert forbruk av bevilgningsfinansierte tjenester i perioden.")
        if bill
        else hidden,
        money=frozenset({3}),
    )
    invoices = PackSection(
        _("Fakturaer og kreditnotaer"),
        [_("Nummer"), _("Type"), _("Dato"), _("Beløp")],
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
        _("Ingen fakturaer i perioden.") if bill else hidden,
        money=frozenset({3}),
    )
    # Only the cases the reader may open: a pack never names a case that answers 404.
    involved = Q(raised_by_organisation=ministry) | Q(hearings__organisation=ministry)
    concerning = cases_for(user).filter(
        pk__in=Case.objects.filter(involved, provider=provider).values("pk")
    )
    escalations = PackSection(
        _("Åpne løftede saker"),
        [_("Sak"), _("Nivå"), _("Løftet"), _("Meldt")],
        [
            [c.number + " " + c.title, c.get_level_display(), c.escalations, c.created_at]
            for c in concerning.filter(status=Case.Status.OPEN, escalations__gt=0)
        ],
        _("Ingen åpne løftede saker."),
    )
    last_meeting = series.meetings.filter(held=True, held_on__lt=end).order_by("-held_on").first()
    since = last_meeting.held_on + dt.timedelta(days=1) if last_meeting else start
    decisions = PackSection(
        _("Vedtak siden forrige møte"),
        [_("Sak"), _("Vedtak"), _("Avgjort av"), _("Dato")],
        [
            [c.number + " " + c.title, c.decision, _decided_by(c), c.decided_at]
            for c in decision_log().filter(provider=provider, decided_at__date__gte=since)
        ],
        _("Ingen vedtak siden forrige møte."),
        note=_("Fra og med %(date)s.") % {"date": f"{since:%d.%m.%Y}"},
    )
    return [volumes, sla, agreed, satisfaction, showback, invoices, escalations, decisions]


visibility.register(MeetingSeries, visible_series_filter)
