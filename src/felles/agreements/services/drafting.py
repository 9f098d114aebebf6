"""Drafting delivery agreements: a draft (or a new version of one in force) and its
services with their volumes and targets. Periods in force never overlap (a check here,
and on PostgreSQL an exclusion constraint, migration 0002)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from felles.agreements import rules, selectors
from felles.agreements.models import AgreedTarget, Agreement, AgreementService
from felles.catalog import selectors as catalog_selectors
from felles.catalog.models import Priority, Service
from felles.core import audit, formatting
from felles.core.actor import Actor
from felles.core.services import Conflict, ServiceError, allowed
from felles.core.validators import check_date_range, check_plain_text
from felles.organisations.models import Organisation, Person
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
    level = catalog_selectors.service_level_on(service, day)
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
    """«0,5», «16» («0.5» in English): hours as the pages write them."""
    return formatting.number(value)


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
