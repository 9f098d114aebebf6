"""Guideline writes: a guideline with its first draft, new versions, sending a version on
hearing (a governance case at the strategic level, every ministry heard), adoption by that
case's decision, withdrawal, and each ministry's answer. Each runs in one transaction,
leaves an audit event and declares who may call it."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from felles.catalog.models import Service, ServiceArea
from felles.core import audit
from felles.core.actor import Actor
from felles.core.services import Conflict, Forbidden, ServiceError, allowed
from felles.core.validators import control_character, control_character_message, date_in_range
from felles.governance import rules as gov_rules
from felles.governance import services as gov_services
from felles.governance.models import Case, DecisionRight
from felles.guidelines import events, rules, selectors
from felles.guidelines.models import Adoption, Guideline, Kind, Version
from felles.organisations.models import Organisation, Person

RIGHT_CODE = "retningslinjer"
RIGHT = {
    "topic": "Felles retningslinjer, rutiner og standarder",
    "description": "Retningslinjer som alle departementene skal følge, vedtas av DFD etter "
    "høring i departementene.",
    "decider": gov_rules.DFD,
    "level": gov_rules.STRATEGIC,
    "hear_ministries": True,
    "hear_council": False,
    "hear_forum": "",
    "hearing_days": 10,
}
TEXT_MAX = 100_000
RESERVED_CODES = frozenset({"ny", "matrise", "atom"})  # the library's own addresses
EXCEPTION_END = {
    rules.NO_END: gettext_lazy("Et unntak må ha en sluttdato."),
    rules.END_PASSED: gettext_lazy("Sluttdatoen for unntaket må ligge fram i tid."),
    rules.END_TOO_LATE: gettext_lazy("Et unntak kan gjelde i høyst fem år."),
}


def _person(actor: Actor) -> Person | None:
    if actor.user is None:
        return None
    return Person.objects.filter(user=actor.user).first()


def _text(value: str, name: str, empty: str, *, limit: int, multiline: bool = True) -> str:
    value = (value or "").strip()
    if not value:
        raise ServiceError(empty, {name: [empty]})
    if len(value) > limit:
        message = _("Høyst %(n)s tegn.") % {"n": limit}
        raise ServiceError(message, {name: [message]})
    char = control_character(value, multiline=multiline)
    if char is not None:
        raise ServiceError(
            control_character_message(char), {name: [control_character_message(char)]}
        )
    return value


def _optional(value: str, name: str, *, limit: int) -> str:
    value = (value or "").strip()
    return _text(value, name, "", limit=limit) if value else ""


def _date(value: dt.date | None, name: str, empty: str) -> dt.date:
    if value is None:
        raise ServiceError(empty, {name: [empty]})
    if not date_in_range(value):
        message = _("Datoen må ligge mellom 1.1.2000 og 31.12.2100.")
        raise ServiceError(message, {name: [message]})
    return value


def guideline_right(actor: Actor) -> DecisionRight:
    """The decision right common guidelines are adopted under: DFD, strategic, every
    ministry heard. Added to the table (as the system) the first time it is needed; DFD
    may change its hearing time there."""
    right = DecisionRight.objects.filter(code=RIGHT_CODE).first()
    if right is None:
        right = gov_services.save_decision_right(
            actor=Actor.system("guidelines"), code=RIGHT_CODE, values=RIGHT
        )
    return right


def _case_provider(guideline: Guideline) -> Organisation:
    """The provider the case concerns: the owner, or for DFD's own guidelines the provider
    delivering most of the area's services."""
    if guideline.owner.kind == Organisation.Kind.PROVIDER:
        return guideline.owner
    top = (
        Service.objects.filter(area=guideline.area)
        .values("provider")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    providers = Organisation.objects.providers()
    found = providers.filter(pk=top["provider"]).first() if top else None
    return found or providers.order_by("abbreviation").first()  # type: ignore[return-value]


def _check_dates(effective_from: Any, respond_by: Any) -> tuple[dt.date, dt.date]:
    effective_from = _date(effective_from, "effective_from", _("Oppgi når versjonen gjelder fra."))
    respond_by = _date(respond_by, "respond_by", _("Oppgi svarfristen for departementene."))
    if respond_by > effective_from + dt.timedelta(days=366):
        message = _("Svarfristen kan ligge høyst ett år etter at versjonen gjelder.")
        raise ServiceError(message, {"respond_by": [message]})
    return effective_from, respond_by


@allowed(
    lambda user, owner, **_: selectors.may_author(user, owner),
    gettext_lazy("Du kan ikke skrive retningslinjer for denne eieren."),
)
def create_guideline(
    *,
    actor: Actor,
    code: str,
    title: str,
    kind: str,
    area: ServiceArea,
    owner: Organisation,
    text: str,
    effective_from: dt.date | None,
    respond_by: dt.date | None,
) -> Version:
    """A new guideline with its first version as a draft."""
    title = _text(title, "title", _("Gi retningslinjen en tittel."), limit=200, multiline=False)
    code = (code or "").strip().lower()
    if not re.fullmatch(r"[a-z0-9-]{2,40}", code) or code in RESERVED_CODES:
        message = _("Koden kan bare ha små bokstaver, tall og bindestrek (2–40 tegn).")
        raise ServiceError(message, {"code": [message]})
    if kind not in Kind.values:
        raise ServiceError(
            _("Ukjent type."), {"kind": [_("Velg retningslinje, rutine eller standard.")]}
        )
    if not (owner.is_governing or owner.kind == Organisation.Kind.PROVIDER):
        message = _("Eieren må være DFD eller en leverandør.")
        raise ServiceError(message, {"owner": [message]})
    text = _text(text, "text", _("Skriv teksten."), limit=TEXT_MAX)
    effective_from, respond_by = _check_dates(effective_from, respond_by)
    with transaction.atomic():
        if Guideline.objects.filter(code=code).exists():
            message = _("Koden «%(code)s» er allerede brukt.") % {"code": code}
            raise Conflict(message, {"code": [message]})
        guideline = Guideline.objects.create(
            code=code, title=title, kind=kind, area=area, owner=owner
        )
        version = Version.objects.create(
            guideline=guideline,
            number=1,
            text=text,
            effective_from=effective_from,
            respond_by=respond_by,
            written_by=_person(actor),
        )
        audit.record(
            actor=actor,
            action="guidelines.create",
            obj=guideline,
            changes={"code": [None, code], "owner": [None, owner.abbreviation]},
        )
    return version


@allowed(
    lambda user, guideline, **_: selectors.may_author(user, guideline.owner),
    gettext_lazy("Du kan ikke skrive denne retningslinjen."),
)
def draft_version(
    *,
    actor: Actor,
    guideline: Guideline,
    text: str,
    changes: str,
    effective_from: dt.date | None,
    respond_by: dt.date | None,
) -> Version:
    """A new draft, or the draft changed. Refused while a version is on hearing."""
    text = _text(text, "text", _("Skriv teksten."), limit=TEXT_MAX)
    changes = _optional(changes, "changes", limit=5000)
    effective_from, respond_by = _check_dates(effective_from, respond_by)
    with transaction.atomic():
        Guideline.objects.select_for_update().get(pk=guideline.pk)
        if guideline.versions.filter(status=Version.Status.HEARING).exists():
            raise Conflict(_("En versjon er på høring; vent til den er avgjort."))
        draft = guideline.versions.filter(status=Version.Status.DRAFT).first()
        values = {
            "text": text,
            "changes": changes,
            "effective_from": effective_from,
            "respond_by": respond_by,
        }
        number = rules.next_number(list(guideline.versions.values_list("number", flat=True)))
        version = audit.save_values(
            draft,
            new=lambda: Version(guideline=guideline, number=number, written_by=_person(actor)),
            values=values,
            fields=tuple(values),
            actor=actor,
            action="guidelines.version",
        )
    return version


@allowed(
    lambda user, version, **_: selectors.may_author(user, version.guideline.owner),
    gettext_lazy("Du kan ikke sende denne retningslinjen på høring."),
)
def send_to_hearing(*, actor: Actor, version: Version) -> Version:
    """Raise the version's governance case: DFD decides, every ministry is heard."""
    guideline = version.guideline
    with transaction.atomic():
        updated = Version.objects.filter(pk=version.pk, status=Version.Status.DRAFT).update(
            status=Version.Status.HEARING
        )
        if not updated:
            raise Conflict(_("Bare et utkast kan sendes på høring."))
        if rules.respond_by_problem(version.respond_by, timezone.localdate()):
            message = _("Svarfristen for departementene er passert; sett en ny før høringen.")
            raise ServiceError(message, {"respond_by": [message]})
        right = guideline_right(actor)
        # Every ministry is heard on a common guideline, whatever DFD has set in the
        # table for the topic (its hearing time still applies); adoption checks it.
        right.hear_ministries = True
        case = gov_services.raise_case(
            actor=actor,
            raised_by=_person(actor) if actor.user is not None else version.written_by,
            right=right,
            provider=_case_provider(guideline),
            title=_("Retningslinje: %(title)s, versjon %(n)s")
            % {"title": guideline.title, "n": version.number}
            if len(guideline.title) < 150
            else guideline.title[:200],
            description=(version.changes + "\n\n" if version.changes else "") + version.text[:9000],
            level=rules.ADOPTING_LEVEL,  # DFD decides, whatever the table says for the topic
            area=guideline.area,
        )
        Version.objects.filter(pk=version.pk).update(case=case)
        version.refresh_from_db()
        audit.record(
            actor=actor,
            action="guidelines.hearing",
            obj=version,
            changes={"status": ["draft", "hearing"], "case": [None, case.number]},
        )
    return version


def _mark_adopted(actor: Actor, version: Version) -> Version:
    now = timezone.now()
    previous = list(
        Version.objects.select_for_update().filter(
            guideline=version.guideline, status=Version.Status.ADOPTED
        )
    )
    Version.objects.filter(pk__in=[p.pk for p in previous]).update(
        status=Version.Status.REPLACED, ended_at=now
    )
    updated = Version.objects.filter(pk=version.pk, status=Version.Status.HEARING).update(
        status=Version.Status.ADOPTED, adopted_at=now
    )
    if not updated:
        raise Conflict(_("Versjonen er ikke på høring lenger."))
    version.refresh_from_db()
    audit.record(
        actor=actor,
        action="guidelines.adopt",
        obj=version,
        changes={
            "status": ["hearing", "adopted"],
            "replaced": [None, [p.number for p in previous]],
        },
    )
    events.version_adopted.publish(version=version, actor=actor)
    return version


ADOPTION_REFUSED = {
    rules.NO_CASE: gettext_lazy("Versjonen har ingen sak; send den på høring først."),
    rules.NOT_DECIDED: gettext_lazy("Saken er ikke avgjort, så versjonen kan ikke vedtas."),
    rules.WRONG_LEVEL: gettext_lazy(
        "Felles retningslinjer vedtas av DFD på strategisk nivå; saken er ikke avgjort der."
    ),
    rules.NOT_HEARD: gettext_lazy(
        "Saken har ikke hørt alle departementene, så versjonen kan ikke vedtas. Trekk "
        "versjonen tilbake og send den på høring på nytt."
    ),
    rules.NOT_IN_FAVOUR: gettext_lazy(
        "Saken er avgjort i saksregisteret uten at versjonen ble vedtatt. Trekk versjonen "
        "tilbake, eller gjenåpne saken og vedta versjonen her."
    ),
}


def _refuse_adoption(problem: str) -> Conflict:
    return Conflict(str(ADOPTION_REFUSED[problem]))


@allowed(
    lambda user, version, **_: selectors.may_adopt(user, version),
    gettext_lazy("Retningslinjen vedtas ikke av deg."),
)
def adopt_version(
    *, actor: Actor, version: Version, decision: str = "", reasons: str = ""
) -> Version:
    """Adopt a version on hearing by deciding its open case in its favour here (the
    governance rules apply: not before the hearing has closed). Only that decision adopts
    it: a case decided in the case register without adopting it (DFD said no), one not
    decided, or one decided below the strategic level is refused and nothing is saved.
    The version in force until now is replaced."""
    if version.case_id is None:
        raise _refuse_adoption(rules.NO_CASE)
    with transaction.atomic():
        case = Case.objects.get(pk=version.case_id)
        heard = set(
            case.hearings.filter(organisation__isnull=False).values_list(
                "organisation_id", flat=True
            )
        )
        unheard = frozenset(  # the ministries there were when the case was raised
            m.pk
            for m in selectors.ministries()
            if not m.is_governing and m.created_at <= case.created_at and m.pk not in heard
        )
        if unheard:
            raise _refuse_adoption(rules.NOT_HEARD)
        in_favour = False
        if case.status == Case.Status.OPEN:
            if case.level != rules.ADOPTING_LEVEL:
                raise _refuse_adoption(rules.WRONG_LEVEL)
            case = gov_services.decide_case(
                actor=actor,
                case=case,
                decision=decision
                or _("Versjon %(n)s av «%(title)s» vedtas og gjelder fra %(date)s.")
                % {
                    "n": version.number,
                    "title": version.guideline.title,
                    "date": version.effective_from.strftime("%d.%m.%Y"),
                },
                reasons=reasons,
                effective_from=version.effective_from,
            )
            in_favour = True
        problem = rules.adoption_problem(
            has_case=True,
            decided=case.status == Case.Status.DECIDED,
            in_favour=in_favour,
            decided_level=case.decided_level,
            unheard=unheard,
        )
        if problem is not None:
            raise _refuse_adoption(problem)  # rolls back a decision written above
        return _mark_adopted(actor, version)


@allowed(
    lambda user, version, **_: (
        selectors.may_author(user, version.guideline.owner) or selectors.may_adopt(user, version)
    ),
    gettext_lazy("Du kan ikke trekke tilbake denne retningslinjen."),
)
def withdraw_version(*, actor: Actor, version: Version, reason: str) -> Version:
    """Withdraw a draft, the version in force, or a version whose case was decided without
    adopting it (with a reason). One on hearing is settled by its case first."""
    reason = _text(reason, "reason", _("Skriv hvorfor den trekkes tilbake."), limit=2000)
    statuses = [Version.Status.DRAFT, Version.Status.ADOPTED]
    if version.case is not None and version.case.status == Case.Status.DECIDED:
        statuses.append(Version.Status.HEARING)
    with transaction.atomic():
        before = version.status
        updated = Version.objects.filter(pk=version.pk, status__in=statuses).update(
            status=Version.Status.WITHDRAWN, ended_at=timezone.now()
        )
        if not updated:
            raise Conflict(_("Bare et utkast eller en vedtatt versjon kan trekkes tilbake."))
        version.refresh_from_db()
        audit.record(
            actor=actor,
            action="guidelines.withdraw",
            obj=version,
            changes={"status": [before, "withdrawn"], "reason": [None, reason]},
        )
        if before != Version.Status.DRAFT:
            events.version_withdrawn.publish(
                version=version, before=before, reason=reason, actor=actor
            )
    return version


@allowed(
    lambda user, ministry, **_: selectors.may_answer(user, ministry),
    gettext_lazy("Du kan ikke svare for dette departementet."),
)
def record_adoption(
    *,
    actor: Actor,
    version: Version,
    ministry: Organisation,
    status: str,
    addition: str = "",
    reason: str = "",
    ends_on: dt.date | None = None,
) -> Adoption:
    """The ministry's answer to the version in force; a later answer replaces it."""
    if status not in Adoption.Status.values:
        message = _("Velg innført, innført med lokalt tillegg eller unntak.")
        raise ServiceError(message, {"status": [message]})
    addition, reason = addition or "", reason or ""
    if status == Adoption.Status.LOCAL:
        addition = _text(addition, "addition", _("Beskriv det lokale tillegget."), limit=5000)
    else:
        addition = _optional(addition, "addition", limit=5000)
    if status == Adoption.Status.EXCEPTION:
        reason = _text(reason, "reason", _("Begrunn unntaket."), limit=5000)
        problem = rules.exception_end_problem(ends_on, timezone.localdate())
        if problem:
            message = str(EXCEPTION_END[problem])
            raise ServiceError(message, {"ends_on": [message]})
    else:
        reason, ends_on = _optional(reason, "reason", limit=5000), None
    if version.status != Version.Status.ADOPTED:
        raise Conflict(_("Bare versjonen som gjelder kan innføres."))
    if actor.user is not None and ministry.kind != Organisation.Kind.MINISTRY:
        raise Forbidden(_("Bare departementene svarer."))
    with transaction.atomic():
        existing = (
            Adoption.objects.select_for_update().filter(version=version, ministry=ministry).first()
        )
        person = _person(actor)
        if existing is not None:
            existing.recorded_by = person
        values = {"status": status, "addition": addition, "reason": reason, "ends_on": ends_on}
        adoption = audit.save_values(
            existing,
            new=lambda: Adoption(version=version, ministry=ministry, recorded_by=person),
            values=values,
            fields=tuple(values),
            actor=actor,
            action="guidelines.adoption",
        )
    return adoption
