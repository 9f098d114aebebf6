"""Writes of delivery agreements: a draft (or a new version of one in force), its services
and targets, sending it to the ministry, the two acceptances, returning it to draft and
ending it. State changes are conditional updates on the allowed source state (a stale or
concurrent second actor gets `Conflict`); periods in force never overlap (a check here,
and on PostgreSQL an exclusion constraint, migration 0002)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from felles.agreements import rules, selectors
from felles.agreements.models import AgreedTarget, Agreement, AgreementService
from felles.catalog.models import Priority, Service
from felles.core import audit
from felles.core.actor import Actor
from felles.core.services import Conflict, ServiceError, allowed
from felles.core.validators import check_date_range, check_plain_text
from felles.organisations.models import Organisation, Person, Role, RoleAssignment
from felles.organisations.selectors import manages_provider

NOT_MANAGER = gettext_lazy(
    "Bare leverandørens ledere som betjener departementet, kan utarbeide avtalen."
)


def _check_text(value: str, name: str, *, multiline: bool = False) -> str:
    try:
        check_plain_text(value, multiline=multiline)
    except ValidationError as exc:
        raise ServiceError(exc.messages[0], {name: exc.messages}) from exc
    return value.strip()


def _check_period(valid_from: dt.date, valid_to: dt.date | None) -> None:
    for name, day in (("valid_from", valid_from), ("valid_to", valid_to)):
        if day is None:
            continue
        try:
            check_date_range(day)
        except ValidationError as exc:
            raise ServiceError(exc.messages[0], {name: exc.messages}) from exc
    if valid_to is not None and valid_to < valid_from:
        raise ServiceError(
            _("Avtalen kan ikke slutte før den begynner."),
            {"valid_to": [_("Må være samme dag som eller etter «gyldig fra».")]},
        )


def _period(agreement: Agreement) -> str:
    start = date_format(agreement.valid_from, "d.m.Y")
    end = date_format(agreement.valid_to, "d.m.Y") if agreement.valid_to else _("løpende")
    return f"{start}–{end}"


def _overlap_refusal(
    provider_id: int,
    ministry_id: int,
    valid_from: dt.date,
    valid_to: dt.date | None,
    *,
    exclude: tuple[int | None, ...] = (),
) -> None:
    """Conflict when an agreement in force for the pair overlaps the period."""
    others = Agreement.objects.filter(
        provider_id=provider_id, ministry_id=ministry_id, status__in=rules.IN_FORCE
    ).exclude(pk__in=[pk for pk in exclude if pk is not None])
    if valid_to is not None:
        others = others.filter(valid_from__lte=valid_to)
    clash = others.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from)).first()
    if clash is not None:
        raise Conflict(
            _(
                "Perioden overlapper avtalen %(agreement)s (%(period)s) mellom samme "
                "leverandør og departement. Lag en ny versjon som erstatter den, eller "
                "velg en annen periode."
            )
            % {"agreement": clash, "period": _period(clash)},
            {"valid_from": [_("Overlapper en avtale som gjelder.")]},
        )


def _check_contact(person: Person | None, organisation: Organisation, name: str) -> None:
    if person is not None and (person.organisation_id != organisation.pk or not person.active):
        raise ServiceError(
            _("Kontaktpersonen må være en aktiv medarbeider i %(org)s.")
            % {"org": organisation.abbreviation},
            {name: [_("Ikke fra riktig virksomhet.")]},
        )


@allowed(
    lambda user, *, provider, ministry, **_: manages_provider(user, provider.pk, ministry.pk),
    NOT_MANAGER,
)
def create_draft(
    *,
    actor: Actor,
    provider: Organisation,
    ministry: Organisation,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    supersedes: Agreement | None = None,
    notes: str = "",
    min_compliance: int = 90,
    provider_contact: Person | None = None,
    ministry_contact: Person | None = None,
) -> Agreement:
    """A draft agreement; as a new version of `supersedes` (in force) it starts with that
    version's services and targets and replaces it from `valid_from`."""
    if provider.kind != Organisation.Kind.PROVIDER or ministry.kind != Organisation.Kind.MINISTRY:
        raise ServiceError(_("En leveranseavtale går mellom en leverandør og et departement."))
    _check_period(valid_from, valid_to)
    notes = _check_text(notes or "", "notes", multiline=True)
    if len(notes) > 10000:
        raise ServiceError(
            _("Særskilte ordninger kan være høyst 10 000 tegn."), {"notes": [_("For lang.")]}
        )
    if not 1 <= min_compliance <= 100:
        raise ServiceError(
            _("Avtalt etterlevelse må være mellom 1 og 100 %."),
            {"min_compliance": [_("Mellom 1 og 100.")]},
        )
    _check_contact(provider_contact, provider, "provider_contact")
    _check_contact(ministry_contact, ministry, "ministry_contact")
    if supersedes is not None:
        if (supersedes.provider_id, supersedes.ministry_id) != (provider.pk, ministry.pk):
            raise ServiceError(_("En ny versjon må gjelde samme leverandør og departement."))
        if supersedes.status != rules.AGREED:
            raise Conflict(_("Bare en avtale som gjelder, kan erstattes av en ny versjon."))
        if valid_from <= supersedes.valid_from:
            raise ServiceError(
                _("Den nye versjonen må begynne etter at den gjeldende begynte (%(day)s).")
                % {"day": date_format(supersedes.valid_from, "d.m.Y")},
                {"valid_from": [_("For tidlig.")]},
            )
    with transaction.atomic():
        _overlap_refusal(
            provider.pk,
            ministry.pk,
            valid_from,
            valid_to,
            exclude=(supersedes.pk if supersedes else None,),
        )
        version = (
            Agreement.objects.filter(provider=provider, ministry=ministry).aggregate(
                v=Max("version")
            )["v"]
            or 0
        ) + 1
        agreement = Agreement.objects.create(
            provider=provider,
            ministry=ministry,
            version=version,
            supersedes=supersedes,
            valid_from=valid_from,
            valid_to=valid_to,
            notes=notes,
            min_compliance=min_compliance,
            provider_contact=provider_contact,
            ministry_contact=ministry_contact,
        )
        if supersedes is not None:
            for old in supersedes.lines.prefetch_related("targets"):
                line = AgreementService.objects.create(
                    agreement=agreement, service_id=old.service_id, volume=old.volume, note=old.note
                )
                AgreedTarget.objects.bulk_create(
                    AgreedTarget(
                        line=line,
                        priority=t.priority,
                        response_hours=t.response_hours,
                        resolution_hours=t.resolution_hours,
                    )
                    for t in old.targets.all()
                )
        audit.record(
            actor=actor,
            action="agreements.agreement.create",
            obj=agreement,
            changes={
                "valid_from": [None, str(valid_from)],
                "valid_to": [None, str(valid_to) if valid_to else None],
                "version": [None, version],
                "supersedes": [None, str(supersedes.uuid) if supersedes else None],
            },
            organisation_id=ministry.pk,
        )
    return agreement


def standard_targets(service: Service, priority: str, day: dt.date) -> rules.Targets | None:
    """The service's standard targets for a priority on `day`: the floor for agreed ones."""
    level = service.level_on(day)
    if level is None:
        return None
    response, resolution = level.targets()[priority]
    return rules.Targets(Decimal(response), Decimal(resolution))


def _locked_draft(agreement: Agreement) -> Agreement:
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if locked.status != rules.DRAFT:
        raise Conflict(
            _("Avtalen er %(status)s og kan ikke endres; lag en ny versjon.")
            % {"status": locked.get_status_display().lower()}
        )
    return locked


def _target_message(code: str, standard: rules.Targets | None) -> str:
    if code == "order":
        return _("Svartiden må være over 0 timer og ikke lengre enn løsningstiden.")
    if code == "max":
        return _("Løsningstiden kan ikke være over %(max)s timer.") % {"max": rules.MAX_HOURS}
    assert standard is not None
    return _(
        "Avtalt mål kan ikke være løsere enn tjenestens standard (%(response)s t svar / "
        "%(resolution)s t løsning)."
    ) % {"response": _hours(standard.response), "resolution": _hours(standard.resolution)}


def _hours(value: Decimal) -> str:
    """«0,5», «16»: hours as the pages write them."""
    return f"{value.normalize():f}".replace(".", ",")


@allowed(lambda user, *, agreement, **_: selectors.edits(user, agreement), NOT_MANAGER)
def save_line(
    *,
    actor: Actor,
    agreement: Agreement,
    service: Service,
    targets: Mapping[str, rules.Targets],
    volume: int | None = None,
    note: str = "",
) -> AgreementService:
    """Include a service in a draft (or change it): its volume and its agreed targets per
    priority (the priorities not given follow the standard). Each target must be in order
    and no looser than the service's standard."""
    if service.provider_id != agreement.provider_id:
        raise ServiceError(
            _("Tjenesten leveres ikke av %(provider)s.")
            % {"provider": agreement.provider.abbreviation},
            {"service": [_("Velg en av leverandørens tjenester.")]},
        )
    if volume is not None and not 0 <= volume <= 10_000_000:
        raise ServiceError(
            _("Volumet må være mellom 0 og 10 000 000."), {"volume": [_("Ugyldig volum.")]}
        )
    note = _check_text(note or "", "note")[:300]
    errors: dict[str, list[str]] = {}
    for priority, target in targets.items():
        if priority not in Priority.values:
            errors[priority] = [_("Ukjent prioritet «%(value)s».") % {"value": priority[:20]}]
            continue
        standard = standard_targets(service, priority, agreement.valid_from)
        problems = rules.target_problems(target, standard)
        if problems:
            errors[priority] = [_target_message(code, standard) for code in problems]
    if errors:
        priority, problems = next(iter(errors.items()))
        label = Priority(priority).label if priority in Priority.values else priority[:20]
        raise ServiceError(f"{label}: {problems[0]}", errors)
    with transaction.atomic():
        _locked_draft(agreement)
        line, created = AgreementService.objects.update_or_create(
            agreement=agreement, service=service, defaults={"volume": volume, "note": note}
        )
        line.targets.all().delete()
        AgreedTarget.objects.bulk_create(
            AgreedTarget(
                line=line,
                priority=priority,
                response_hours=t.response,
                resolution_hours=t.resolution,
            )
            for priority, t in sorted(targets.items())
        )
        audit.record(
            actor=actor,
            action="agreements.line." + ("create" if created else "change"),
            obj=agreement,
            changes={
                "service": [None, service.code],
                "volume": [None, volume],
                "targets": [
                    None,
                    {p: [str(t.response), str(t.resolution)] for p, t in sorted(targets.items())},
                ],
            },
            organisation_id=agreement.ministry_id,
        )
    return line


@allowed(lambda user, *, agreement, **_: selectors.edits(user, agreement), NOT_MANAGER)
def remove_line(*, actor: Actor, agreement: Agreement, service: Service) -> None:
    with transaction.atomic():
        _locked_draft(agreement)
        deleted, _n = AgreementService.objects.filter(agreement=agreement, service=service).delete()
        if deleted:
            audit.record(
                actor=actor,
                action="agreements.line.remove",
                obj=agreement,
                changes={"service": [service.code, None]},
                organisation_id=agreement.ministry_id,
            )


def _step(agreement: Agreement, step: str, *, actor: Actor, **fields: object) -> Agreement:
    """Move the agreement if (and only if) it is still in a state the step starts from."""
    before = Agreement.objects.filter(pk=agreement.pk).values_list("status", flat=True).first()
    target = fields.pop("status", None)
    updated = Agreement.objects.filter(pk=agreement.pk, status__in=rules.STEPS[step]).update(
        updated_at=timezone.now(), **({"status": target} if target else {}), **fields
    )
    agreement.refresh_from_db()
    if not updated:
        raise Conflict(
            _("Avtalen er %(status)s; det kan ikke gjøres nå.")
            % {"status": agreement.get_status_display().lower()}
        )
    audit.record(
        actor=actor,
        action=f"agreements.agreement.{step}",
        obj=agreement,
        changes={
            "status": [before, agreement.status],
            **{k: [None, audit.to_json_value(v)] for k, v in fields.items()},
        },
        organisation_id=agreement.ministry_id,
    )
    return agreement


@allowed(lambda user, *, agreement, **_: selectors.edits(user, agreement), NOT_MANAGER)
def send(*, actor: Actor, agreement: Agreement) -> Agreement:
    """Send a draft to the ministry for acceptance."""
    with transaction.atomic():
        if not AgreementService.objects.filter(agreement=agreement).exists():
            raise ServiceError(_("Ta med minst én tjeneste før avtalen sendes."))
        return _step(agreement, "send", actor=actor, status=rules.SENT, sent_at=timezone.now())


def _may_accept(user: object, *, agreement: Agreement, side: str, **_: object) -> bool:
    if side == "ministry":
        return selectors.coordinates(user, agreement)
    return side == "provider" and selectors.edits(user, agreement)


def _holds(person: Person, agreement: Agreement, side: str) -> bool:
    """Whether `person` may accept for `side` (for system actors acting on their behalf)."""
    if side == "ministry":
        organisation_id, roles = agreement.ministry_id, [Role.ORDERING_COORDINATOR]
    else:
        organisation_id, roles = agreement.provider_id, [Role.PROVIDER_MANAGER]
    return (
        person.active
        and RoleAssignment.objects.filter(
            Q(served_organisations__isnull=True)
            | Q(served_organisations=agreement.ministry_id)
            | Q(role=Role.ORDERING_COORDINATOR),
            person=person,
            organisation_id=organisation_id,
            role__in=roles,
        ).exists()
    )


@allowed(
    _may_accept,
    gettext_lazy(
        "Avtalen godtas av departementets bestillerkoordinator og av en leder hos "
        "leverandøren som betjener departementet; du kan ikke godta den på vegne av denne "
        "parten."
    ),
)
def accept(*, actor: Actor, agreement: Agreement, person: Person, side: str) -> Agreement:
    """Record one side's acceptance of a sent agreement (once per side). The second
    acceptance puts the agreement in force and ends the version it supersedes the day
    before the new one begins."""
    if side not in {"ministry", "provider"} or not _holds(person, agreement, side):
        raise ServiceError(
            _("%(person)s kan ikke godta avtalen på vegne av %(org)s.")
            % {
                "person": person.full_name,
                "org": (
                    agreement.ministry if side == "ministry" else agreement.provider
                ).abbreviation,
            }
        )
    by, at = f"{side}_accepted_by", f"{side}_accepted_at"
    now = timezone.now()
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if locked.status == rules.SENT and getattr(locked, at) is not None:
            who = getattr(locked, by)
            raise Conflict(
                _("%(side)s har allerede godtatt avtalen (%(person)s, %(when)s).")
                % {
                    "side": _("Departementet") if side == "ministry" else _("Leverandøren"),
                    "person": who.full_name if who else "",
                    "when": date_format(timezone.localtime(getattr(locked, at)), "d.m.Y H:i"),
                }
            )
        updated = Agreement.objects.filter(
            pk=agreement.pk, status=rules.SENT, **{f"{at}__isnull": True}
        ).update(**{by: person, at: now, "updated_at": now})
        agreement.refresh_from_db()
        if not updated:
            raise Conflict(
                _("Avtalen er %(status)s og kan ikke godtas.")
                % {"status": agreement.get_status_display().lower()}
            )
        audit.record(
            actor=actor,
            action=f"agreements.agreement.accept_{side}",
            obj=agreement,
            changes={by: [None, person.full_name], at: [None, audit.to_json_value(now)]},
            organisation_id=agreement.ministry_id,
        )
        if agreement.ministry_accepted_at and agreement.provider_accepted_at:
            _put_in_force(agreement, actor=actor, now=now)
    return agreement


def _put_in_force(agreement: Agreement, *, actor: Actor, now: dt.datetime) -> None:
    old = agreement.supersedes
    _overlap_refusal(
        agreement.provider_id,
        agreement.ministry_id,
        agreement.valid_from,
        agreement.valid_to,
        exclude=(agreement.pk, old.pk if old else None),
    )
    if (
        old is not None
        and Agreement.objects.filter(pk=old.pk).values_list("status", flat=True).first()
        != rules.AGREED
    ):
        raise Conflict(
            _("Versjonen den skal erstatte (%(old)s) gjelder ikke lenger.") % {"old": old}
        )
    try:
        with transaction.atomic():  # a savepoint: the exclusion constraint's refusal is a 409
            if old is not None:
                day_before = agreement.valid_from - dt.timedelta(days=1)
                end = min(old.valid_to, day_before) if old.valid_to else day_before
                _step(old, "supersede", actor=actor, status=rules.SUPERSEDED, valid_to=end)
            _step(agreement, "accept", actor=actor, status=rules.AGREED, agreed_at=now)
    except IntegrityError as exc:
        raise Conflict(
            _(
                "Perioden overlapper en annen avtale som gjelder mellom samme leverandør og "
                "departement."
            )
        ) from exc


def _may_act(user: object, *, agreement: Agreement, **_: object) -> bool:
    return selectors.edits(user, agreement) or selectors.coordinates(user, agreement)


@allowed(
    _may_act,
    gettext_lazy("Bare avtalens parter (leverandørens ledere og departementets koordinator)."),
)
def return_to_draft(*, actor: Actor, agreement: Agreement) -> Agreement:
    """Take a sent agreement back to draft (a side wants changes); acceptances lapse."""
    with transaction.atomic():
        return _step(
            agreement,
            "return",
            actor=actor,
            status=rules.DRAFT,
            ministry_accepted_by=None,
            ministry_accepted_at=None,
            provider_accepted_by=None,
            provider_accepted_at=None,
        )


@allowed(
    _may_act,
    gettext_lazy("Bare avtalens parter (leverandørens ledere og departementets koordinator)."),
)
def end(*, actor: Actor, agreement: Agreement, last_day: dt.date) -> Agreement:
    """End an agreement in force after `last_day` (its period is cut there)."""
    try:
        check_date_range(last_day)
    except ValidationError as exc:
        raise ServiceError(exc.messages[0], {"last_day": exc.messages}) from exc
    if last_day < agreement.valid_from or (
        agreement.valid_to is not None and last_day > agreement.valid_to
    ):
        raise ServiceError(
            _("Siste dag må ligge i avtaleperioden (%(period)s).") % {"period": _period(agreement)},
            {"last_day": [_("Utenfor avtaleperioden.")]},
        )
    with transaction.atomic():
        return _step(agreement, "end", actor=actor, status=rules.ENDED, valid_to=last_day)
