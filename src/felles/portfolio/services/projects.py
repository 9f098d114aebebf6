"""Project writes: status, risks, hump costs, staff transfers, milestones, external dates
and dependencies. Who may write: DFD's portfolio office, the project manager and the
responsible organisation's managers (`MANAGERS`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from felles.core import audit
from felles.core.actor import Actor
from felles.core.services import Conflict, ServiceError, allowed
from felles.core.types import AnyUser
from felles.organisations.models import Organisation
from felles.portfolio import rules, selectors
from felles.portfolio.models import (
    Benefit,
    Dependency,
    ExternalDate,
    HumpCost,
    Milestone,
    Project,
    Risk,
    StaffTransfer,
)

MANAGERS = gettext_lazy(
    "Bare DFDs porteføljekontor, prosjektlederen og ansvarlig virksomhets ledere kan "
    "endre prosjektet."
)


def manages_project(user: AnyUser, project: Project, **_: Any) -> bool:
    return selectors.may_manage(user, project)


def manages_benefit(user: AnyUser, benefit: Benefit, **_: Any) -> bool:
    return selectors.may_manage(user, benefit.project)


def manages_milestone(user: AnyUser, milestone: Milestone, **_: Any) -> bool:
    return selectors.may_manage(user, milestone.project)


@allowed(manages_project, MANAGERS)
def update_status(*, actor: Actor, project: Project, status: str, reason: str) -> Project:
    """A new RAG status; amber and red must say why."""
    reason = (reason or "").strip()
    if status not in Project.Rag.values:
        raise ServiceError(_("Velg grønn, gul eller rød."), {"status": [_("Ukjent status.")]})
    if status != Project.Rag.GREEN and not reason:
        raise ServiceError(
            _("Gul og rød status må begrunnes."), {"status_reason": [_("Skriv hvorfor.")]}
        )
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        before = audit.snapshot(locked, ["status", "status_reason"])
        locked.status, locked.status_reason = status, reason
        locked.status_on = timezone.localdate()
        locked.save(update_fields=["status", "status_reason", "status_on", "updated_at"])
        audit.record(
            actor=actor,
            action="portfolio.project.status",
            obj=locked,
            changes=audit.diff(before, audit.snapshot(locked, ["status", "status_reason"])),
        )
    return locked


RISK_FIELDS = (
    "title",
    "description",
    "likelihood",
    "consequence",
    "measures",
    "residual_likelihood",
    "residual_consequence",
    "owner",
    "review_on",
)


@allowed(manages_project, MANAGERS)
def save_risk(
    *, actor: Actor, project: Project, values: dict[str, Any], risk: Risk | None = None
) -> Risk:
    if not (values.get("title") or "").strip():
        raise ServiceError(_("Beskriv risikoen."), {"title": [_("Må fylles ut.")]})
    for name in ("likelihood", "consequence", "residual_likelihood", "residual_consequence"):
        if values.get(name) not in rules.SCALE:
            raise ServiceError(
                _("Sannsynlighet og konsekvens angis fra 1 til 5."), {name: [_("1–5.")]}
            )
    with transaction.atomic():
        return audit.save_values(
            risk,
            new=lambda: Risk(project=project),
            values=values,
            fields=RISK_FIELDS,
            actor=actor,
            action="portfolio.risk",
        )


@allowed(manages_project, MANAGERS)
def save_hump_cost(
    *, actor: Actor, project: Project, year: int, kind: str, amount: Decimal, note: str = ""
) -> HumpCost:
    if amount < 0:
        raise ServiceError(_("Beløpet kan ikke være negativt."), {"amount": [_("Negativt beløp.")]})
    with transaction.atomic():
        cost = (
            HumpCost.objects.select_for_update()
            .filter(project=project, year=year, kind=kind)
            .first()
        )
        return audit.save_values(
            cost,
            new=lambda: HumpCost(project=project, year=year, kind=kind),
            values={"amount": amount, "note": note},
            fields=("amount", "note"),
            actor=actor,
            action="portfolio.hump_cost",
            verbs=("save", "save"),
        )


@allowed(manages_project, MANAGERS)
def save_transfer(
    *,
    actor: Actor,
    project: Project,
    ministry: Organisation,
    provider: Organisation,
    fte: Decimal,
    roles: str,
    transfer_on: dt.date,
    status: str = StaffTransfer.Status.PLANNED,
) -> StaffTransfer:
    if ministry.kind != Organisation.Kind.MINISTRY or provider.kind != Organisation.Kind.PROVIDER:
        raise ServiceError(_("Overføringer går fra et departement til en leverandør."))
    if fte <= 0:
        raise ServiceError(_("Oppgi årsverk større enn null."), {"fte": [_("Må være positivt.")]})
    with transaction.atomic():
        transfer = StaffTransfer.objects.create(
            project=project,
            ministry=ministry,
            provider=provider,
            fte=fte,
            roles=roles,
            transfer_on=transfer_on,
            status=status,
        )
        audit.record(
            actor=actor,
            action="portfolio.transfer.create",
            obj=transfer,
            changes={"fte": [None, str(fte)]},
            organisation_id=ministry.pk,
        )
    return transfer


@allowed(manages_project, MANAGERS)
def save_milestone(
    *, actor: Actor, project: Project, name: str, due_on: dt.date, done_on: dt.date | None = None
) -> Milestone:
    name = (name or "").strip()
    if not name:
        raise ServiceError(_("Gi milepælen et navn."), {"name": [_("Må fylles ut.")]})
    with transaction.atomic():
        milestone = Milestone.objects.create(
            project=project, name=name, due_on=due_on, done_on=done_on
        )
        audit.record(
            actor=actor,
            action="portfolio.milestone.create",
            obj=milestone,
            changes={"due_on": [None, str(due_on)]},
        )
    return milestone


@allowed(manages_milestone, MANAGERS)
def reach_milestone(*, actor: Actor, milestone: Milestone, on: dt.date) -> Milestone:
    if on > timezone.localdate():
        raise ServiceError(
            _("Datoen kan ikke ligge fram i tid."), {"done_on": [_("Framtidig dato.")]}
        )
    with transaction.atomic():
        if not Milestone.objects.filter(pk=milestone.pk, done_on__isnull=True).update(done_on=on):
            raise Conflict(_("Milepælen er allerede nådd."))
        milestone.refresh_from_db()
        audit.record(
            actor=actor,
            action="portfolio.milestone.reached",
            obj=milestone,
            changes={"done_on": [None, str(on)]},
        )
    return milestone


@allowed(selectors.may_manage_portfolio, gettext_lazy("Bare DFD fører eksterne datoer."))
def save_external_date(
    *, actor: Actor, code: str, name: str, date: dt.date, organisation: Organisation | None
) -> ExternalDate:
    """A date outside the portfolio's control (e.g. a ministry's move into the new
    government quarter). DFD's portfolio office keeps them."""
    name = (name or "").strip()
    if not name:
        raise ServiceError(_("Gi datoen et navn."), {"name": [_("Må fylles ut.")]})
    fields = ("name", "date", "organisation")
    with transaction.atomic():
        external = ExternalDate.objects.select_for_update().filter(code=code).first()
        return audit.save_values(
            external,
            new=lambda: ExternalDate(code=code),
            values={"name": name, "date": date, "organisation": organisation},
            fields=fields,
            actor=actor,
            action="portfolio.external_date",
        )


@allowed(manages_project, MANAGERS)
def add_dependency(
    *,
    actor: Actor,
    project: Project,
    on_project: Project | None = None,
    on_date: ExternalDate | None = None,
    kind: str = Dependency.Kind.FINISH_TO_START,
    note: str = "",
) -> Dependency:
    """The project needs another project or an external date first; a dependency on
    itself, or one that closes a loop, is refused."""
    if (on_project is None) == (on_date is None):
        raise ServiceError(_("Velg enten et prosjekt eller en ekstern dato."))
    if on_project is not None:
        if on_project.pk == project.pk:
            raise ServiceError(_("Et prosjekt kan ikke avhenge av seg selv."))
        # Walk the prerequisites of the prerequisite: reaching this project is a loop.
        seen, frontier = set(), {on_project.pk}
        while frontier:
            if project.pk in frontier:
                raise ServiceError(
                    _("«%(other)s» avhenger allerede av «%(project)s»; det ville gi en sirkel.")
                    % {"other": on_project, "project": project}
                )
            seen |= frontier
            frontier = (
                set(
                    Dependency.objects.filter(
                        project_id__in=frontier, on_project__isnull=False
                    ).values_list("on_project_id", flat=True)
                )
                - seen
            )
    if Dependency.objects.filter(project=project, on_project=on_project, on_date=on_date).exists():
        raise Conflict(_("Avhengigheten er registrert fra før."))
    with transaction.atomic():
        dependency = Dependency.objects.create(
            project=project, on_project=on_project, on_date=on_date, kind=kind, note=note.strip()
        )
        audit.record(
            actor=actor,
            action="portfolio.dependency.create",
            obj=dependency,
            changes={"on": [None, str(on_project or on_date)], "kind": [None, kind]},
        )
    return dependency
