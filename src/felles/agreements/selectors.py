"""Reads of delivery agreements: who sees which, who may act on one, the targets agreed
for an order, and the agreed side of «avtalt / levert» (the delivered side is measured by
the sla app, which sits above this one and passes its figures in)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext

from felles.agreements import rules
from felles.agreements.models import AgreedTarget, Agreement, AgreementService
from felles.core import formatting, visibility
from felles.core.types import AnyUser
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Role

may_see_agreements = org_selectors.role_rule(
    Role.PROVIDER_MANAGER,
    Role.CUSTOMER_CONTACT,
    Role.PROVIDER_AGENT,
    Role.ORDERING_COORDINATOR,
    Role.GOVERNANCE,
    Role.AUDITOR,
    Role.ADMINISTRATOR,
)
may_draft = org_selectors.role_rule(Role.PROVIDER_MANAGER)


def visible_agreement_filter(user: AnyUser) -> Q:
    """DFD, the auditor and administrators see every agreement; the provider's staff those
    of the ministries they serve (drafts included); a ministry's ordering coordinators
    their ministry's, once sent to them."""
    access = org_selectors.access_for(user)
    if getattr(user, "is_superuser", False) or access.cross_ministry:
        return Q()
    coordinator_of = [o for r, o in access.roles if r == Role.ORDERING_COORDINATOR]
    return (
        Q(ministry_id__in=coordinator_of) & ~Q(status=rules.DRAFT)
    ) | org_selectors.provider_scope(user)


visibility.register(Agreement, visible_agreement_filter)


def agreements_for(user: AnyUser) -> QuerySet[Agreement]:
    return Agreement.objects.visible_to(user).select_related(
        "provider",
        "ministry",
        "provider_contact",
        "ministry_contact",
        "ministry_accepted_by",
        "provider_accepted_by",
        "supersedes",
    )


def with_lines(agreements: QuerySet[Agreement]) -> QuerySet[Agreement]:
    return agreements.prefetch_related(
        Prefetch(
            "lines",
            AgreementService.objects.select_related("service").prefetch_related("targets"),
        )
    )


# --- who may do what (the services enforce the same functions) -----------------------------


def edits(user: AnyUser, agreement: Agreement) -> bool:
    """The provider's managers serving the ministry draft, send and accept for the provider."""
    return org_selectors.manages_provider(user, agreement.provider_id, agreement.ministry_id)


def coordinates(user: AnyUser, agreement: Agreement) -> bool:
    """The ministry's ordering coordinators accept for the ministry."""
    return org_selectors.access_for(user).has_role(Role.ORDERING_COORDINATOR, agreement.ministry_id)


def acceptance_side(user: AnyUser, agreement: Agreement) -> str | None:
    """The side `user` may accept for ("ministry", "provider"), if any."""
    if coordinates(user, agreement):
        return "ministry"
    if edits(user, agreement):
        return "provider"
    return None


def drafting_providers(user: AnyUser) -> list[int]:
    """The providers where `user` is a manager (for some or all ministries)."""
    return sorted(
        {
            p
            for r, p, _ in org_selectors.access_for(user).provider_roles
            if r == Role.PROVIDER_MANAGER
        }
    )


# --- targets ---------------------------------------------------------------------------------


def in_force_on(day: dt.date) -> Q:
    """Agreements whose period covers `day` and that were in force (agreed, or later
    superseded or ended: an order keeps the targets of the day it reached the provider)."""
    return Q(status__in=rules.IN_FORCE, valid_from__lte=day) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )


def agreed_targets(
    provider_id: int, ministry_id: int, service_id: int, priority: str, day: dt.date
) -> tuple[Decimal, Decimal] | None:
    """(response, resolution) business hours agreed for this service and priority with the
    ministry on `day`, or None when no agreement in force sets them. One query."""
    return agreed_targets_by_priority(provider_id, ministry_id, service_id, day).get(priority)


def agreed_targets_by_priority(
    provider_id: int, ministry_id: int, service_id: int, day: dt.date
) -> dict[str, tuple[Decimal, Decimal]]:
    """{priority: (response, resolution)} agreed for the service with the ministry on
    `day` (empty without an agreement in force that names it). One query: the SLA engine
    asks for every order it refreshes (`sla.services.targets_for`)."""
    return {
        priority: (response, resolution)
        for priority, response, resolution in AgreedTarget.objects.filter(
            Q(line__agreement__valid_to__isnull=True) | Q(line__agreement__valid_to__gte=day),
            line__agreement__provider_id=provider_id,
            line__agreement__ministry_id=ministry_id,
            line__agreement__status__in=rules.IN_FORCE,
            line__agreement__valid_from__lte=day,
            # An order keeps the targets valid when it reached the provider: an agreement
            # accepted later does not reach back to it (its period may start earlier).
            line__agreement__agreed_at__date__lte=day,
            line__service_id=service_id,
        ).values_list("priority", "response_hours", "resolution_hours")
    }


# --- «avtalt / levert» -----------------------------------------------------------------------


def hours(value: Decimal | float) -> str:
    """«0,5», «16», «85,5» («0.5» in English): a number as the pages write it."""
    return formatting.number(Decimal(str(value)))


@dataclass(frozen=True)
class Delivered:
    """What the provider delivered on one agreed service (from the SLA results)."""

    orders: int = 0  # finished orders in the period so far
    met: int = 0  # of them resolved within their target (the stricter of standard/agreed)
    median_hours: float | None = None

    @property
    def compliance(self) -> float | None:
        return round(100 * self.met / self.orders, 1) if self.orders else None


@dataclass
class AgreedLine:
    """One service of an agreement in force, its agreed side and what was delivered."""

    agreement: Agreement
    line: AgreementService
    delivered: Delivered = field(default_factory=Delivered)

    @property
    def key(self) -> tuple[int, int]:
        return (self.agreement.ministry_id, self.line.service_id)

    @property
    def targets_text(self) -> str:
        return ", ".join(
            f"{t.get_priority_display()} {hours(t.response_hours)}/{hours(t.resolution_hours)}"
            for t in self.line.targets.all()
        )

    @property
    def deviations(self) -> list[str]:
        found = []
        compliance = self.delivered.compliance
        if compliance is not None and compliance < self.agreement.min_compliance:
            found.append(
                gettext("Etterlevelse %(got)s %% under avtalt %(agreed)s %%")
                % {"got": hours(compliance), "agreed": self.agreement.min_compliance}
            )
        if self.line.volume is not None and self.delivered.orders > self.line.volume:
            found.append(
                gettext("Volum %(got)s over avtalt %(agreed)s")
                % {"got": self.delivered.orders, "agreed": self.line.volume}
            )
        return found


def agreed_lines(agreements: Iterable[Agreement]) -> list[AgreedLine]:
    """Every service line of `agreements` (prefetched with `with_lines`)."""
    return [
        AgreedLine(agreement, line) for agreement in agreements for line in agreement.lines.all()
    ]


def in_force(user: AnyUser, day: dt.date, ministry_id: int | None = None) -> list[AgreedLine]:
    """The agreed lines of the agreements in force on `day` that `user` may see."""
    agreements = agreements_for(user).filter(in_force_on(day))
    if ministry_id is not None:
        agreements = agreements.filter(ministry_id=ministry_id)
    return agreed_lines(with_lines(agreements.order_by("ministry__abbreviation", "provider")))


def compare(
    lines: list[AgreedLine], delivered: Mapping[tuple[int, int], Delivered]
) -> list[AgreedLine]:
    """`lines` with what was delivered on each (ministry id, service id)."""
    for line in lines:
        line.delivered = delivered.get(line.key, Delivered())
    return lines
