"""Risk and vulnerability analyses: create (per ministry or joint, optionally under a
`sik-ros` order), risks on the portfolio's 5×5 scales, measures, the leader's sign-off and
the review cycle."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from felles.core import audit
from felles.core.actor import Actor
from felles.core.services import Conflict, ServiceError, allowed
from felles.governance import services as governance_services
from felles.governance.models import ActionItem
from felles.orders.models import Order
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Organisation, Person
from felles.portfolio import rules as risk_rules
from felles.preparedness import rules, selectors
from felles.preparedness.models import Analysis, Risk, Signature
from felles.preparedness.services._common import actions, text

CLOSED_ORDER = {"cancelled", "rejected", "withdrawn"}


def _may_create(user: object, *, ministries: Iterable[Organisation], **kw: object) -> bool:
    ids = {m.pk for m in ministries}
    if ids and ids <= selectors.coordinated(user):
        return True
    reach = selectors.team(user, selectors.ROS_CODES)
    return kw.get("order") is not None and (reach is None or bool(reach and ids <= reach))


@allowed(
    _may_create,
    gettext_lazy(
        "Bare sikkerhetskoordinatoren i hvert departement analysen gjelder, eller DSS' "
        "rådgivere når departementet har bestilt ROS-analyse, kan opprette analysen."
    ),
)
def create_analysis(
    *,
    actor: Actor,
    title: str,
    scope: str,
    ministries: Iterable[Organisation],
    assets: str = "",
    order: Order | None = None,
    review_months: int = 12,
    created_by: Person,
) -> Analysis:
    covered = list(ministries)
    title = text(title, "title", limit=200, required=_("Analysen må ha en tittel."))
    scope = text(scope, "scope", limit=4000, multiline=True, required=_("Beskriv omfanget."))
    assets = text(assets, "assets", limit=4000, multiline=True)
    if not covered or any(m.kind != Organisation.Kind.MINISTRY for m in covered):
        raise ServiceError(
            _("Velg minst ett departement analysen gjelder."), {"ministries": [_("Velg.")]}
        )
    if not 1 <= review_months <= 36:
        raise ServiceError(
            _("Gjennomgangsintervallet må være 1–36 måneder."),
            {"review_months": [_("Ugyldig.")]},
        )
    if order is not None and (
        order.service.code not in selectors.ROS_CODES
        or order.ministry_id not in {m.pk for m in covered}
        or order.status in CLOSED_ORDER
    ):
        raise ServiceError(
            _("Bestillingen må være en aktiv ROS-bestilling fra et av departementene."),
            {"order": [_("Ugyldig bestilling.")]},
        )
    with transaction.atomic():
        analysis = Analysis.objects.create(
            title=title,
            scope=scope,
            assets=assets,
            order=order,
            review_months=review_months,
            created_by=created_by,
        )
        analysis.ministries.set(covered)
        audit.record(
            actor=actor,
            action="preparedness.analysis.create",
            obj=analysis,
            changes={
                "ministries": [None, sorted(m.abbreviation for m in covered)],
                "order": [None, order.number if order else None],
            },
            organisation_id=covered[0].pk,
        )
    return analysis


NOT_ON_ANALYSIS = gettext_lazy("Du arbeider ikke med denne analysen.")


def _reopen(analysis: Analysis) -> None:
    """A change to a signed analysis needs a new sign-off."""
    if analysis.status == Analysis.Status.SIGNED or analysis.signatures.exists():
        analysis.signatures.all().delete()
        Analysis.objects.filter(pk=analysis.pk).update(status=Analysis.Status.DRAFT, signed_on=None)
        analysis.status, analysis.signed_on = Analysis.Status.DRAFT, None


def _scale(value: int, field: str) -> int:
    if value not in risk_rules.SCALE:
        raise ServiceError(
            _("Sannsynlighet og konsekvens angis fra 1 til 5."), {field: [_("1–5.")]}
        )
    return value


@allowed(lambda user, analysis, **_: selectors.works_on_analysis(user, analysis), NOT_ON_ANALYSIS)
def add_risk(
    *,
    actor: Actor,
    analysis: Analysis,
    asset: str,
    threat: str,
    vulnerability: str,
    likelihood: int,
    consequence: int,
    residual_likelihood: int,
    residual_consequence: int,
) -> Risk:
    """A scenario (asset × threat × vulnerability) scored before and after measures. A
    change to a signed analysis reopens it for a new sign-off."""
    values = {
        "asset": text(asset, "asset", limit=200, required=_("Oppgi verdien som skal beskyttes.")),
        "threat": text(threat, "threat", limit=300, required=_("Beskriv trusselen.")),
        "vulnerability": text(
            vulnerability, "vulnerability", limit=300, required=_("Beskriv sårbarheten.")
        ),
        "likelihood": _scale(likelihood, "likelihood"),
        "consequence": _scale(consequence, "consequence"),
        "residual_likelihood": _scale(residual_likelihood, "residual_likelihood"),
        "residual_consequence": _scale(residual_consequence, "residual_consequence"),
    }
    if risk_rules.risk_score(residual_likelihood, residual_consequence) > risk_rules.risk_score(
        likelihood, consequence
    ):
        raise ServiceError(
            _("Restrisikoen kan ikke være høyere enn risikoen før tiltak."),
            {"residual_likelihood": [_("Høyere enn før tiltak.")]},
        )
    with transaction.atomic():
        _reopen(analysis)
        risk = Risk.objects.create(analysis=analysis, **values)
        audit.record(
            actor=actor,
            action="preparedness.analysis.risk",
            obj=risk,
            changes={"score": [None, risk.score], "residual": [None, risk.residual_score]},
        )
    return risk


@allowed(lambda user, analysis, **_: selectors.works_on_analysis(user, analysis), NOT_ON_ANALYSIS)
def add_measure(
    *,
    actor: Actor,
    analysis: Analysis,
    text: str,
    owner: Person,
    due_on: dt.date,
    risk: Risk | None = None,
) -> ActionItem:
    """A measure with an owner and a deadline, optionally against one risk: a governance
    action item on the analysis (`about` the risk)."""
    covered = set(analysis.ministries.values_list("pk", flat=True))
    rows = actions([(text, owner, due_on)], covered, selectors.ROS_CODES)
    if not rows:
        raise ServiceError(_("Beskriv tiltaket."), {"text": [_("Må fylles ut.")]})
    if risk is not None and risk.analysis_id != analysis.pk:
        raise ServiceError(_("Risikoen hører ikke til denne analysen."))
    with transaction.atomic():
        return governance_services.add_actions(
            actor=actor, subject=analysis, actions=rows, about=risk
        )[0]


LEADER_ONLY = gettext_lazy(
    "Bare departementets leder kan godkjenne ROS-analysen. Ansvaret kan ikke delegeres."
)


@allowed(lambda user, analysis, **_: selectors.may_sign(user, analysis), LEADER_ONLY)
def sign_analysis(*, actor: Actor, analysis: Analysis) -> Analysis:
    """The leader signs for each covered ministry she leads; when every covered ministry
    has signed, the analysis is approved and its next review date set."""
    person = org_selectors.person_for(actor.user) if actor.user else None
    if person is None:
        raise ServiceError(LEADER_ONLY)
    if not analysis.risks.exists():
        raise ServiceError(_("Analysen må ha minst én vurdert risiko før den godkjennes."))
    covered = set(analysis.ministries.values_list("pk", flat=True))
    mine = covered & selectors.led(actor.user)
    now = timezone.now()
    with transaction.atomic():
        locked = Analysis.objects.select_for_update().get(pk=analysis.pk)
        done = set(locked.signatures.values_list("ministry_id", flat=True))
        todo = mine - done
        if not todo:
            raise Conflict(_("Du har allerede godkjent analysen."))
        Signature.objects.bulk_create(
            [
                Signature(analysis=locked, ministry_id=m, signed_by=person, signed_at=now)
                for m in sorted(todo)
            ]
        )
        if covered <= done | todo:
            locked.status = Analysis.Status.SIGNED
            locked.signed_on = timezone.localdate()
            locked.next_review_on = rules.next_review(locked.signed_on, locked.review_months)
            locked.reminded_on = None
            locked.save(update_fields=["status", "signed_on", "next_review_on", "reminded_on"])
        audit.record(
            actor=actor,
            action="preparedness.analysis.sign",
            obj=locked,
            changes={"signed_for": [None, sorted(todo)], "status": [None, locked.status]},
        )
    return locked
