"""The customer dialogue: the meeting series between a ministry and a provider at a
level, the meetings held (with minutes and action items) and the items done."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from felles.catalog.models import Service
from felles.core import audit
from felles.core.actor import Actor
from felles.core.services import ServiceError, allowed
from felles.core.validators import control_character, control_character_message
from felles.governance import rules, selectors
from felles.governance.models import ActionItem, Meeting, MeetingSeries
from felles.governance.services._common import required
from felles.organisations.models import Organisation, Person, Role
from felles.organisations.selectors import serves, serves_all, staff_serving

SERIES_FIELDS = ("customer_contact", "target_min", "target_max", "period_months")


@allowed(
    lambda user, provider, ministry, **_: serves(
        user, provider.pk, ministry.pk, roles=selectors.PLANNING_ROLES
    ),
    gettext_lazy("Bare leverandøren som betjener departementet, kan sette opp dialogen."),
)
def save_series(
    *,
    actor: Actor,
    provider: Organisation,
    ministry: Organisation,
    level: str,
    customer_contact: Person | None = None,
    target: rules.Target | None = None,
    starts_on: dt.date | None = None,
) -> MeetingSeries:
    """Create or change the dialogue series between a ministry and a provider at a level.
    On a change, what is not given (contact, target) is kept."""
    if provider.kind != Organisation.Kind.PROVIDER or ministry.kind != Organisation.Kind.MINISTRY:
        raise ServiceError(_("En dialog går mellom et departement og en leverandør."))
    if (
        customer_contact is not None
        and not staff_serving(provider.pk, ministry.pk).filter(pk=customer_contact.pk).exists()
    ):
        raise ServiceError(
            _(
                "Kundekontakten må være en aktiv medarbeider hos leverandøren som betjener "
                "departementet."
            ),
            {"customer_contact": [_("Betjener ikke departementet.")]},
        )
    if target is not None and not 0 < target.minimum <= target.maximum:
        raise ServiceError(_("Målet må være minst ett møte, og minst ≤ høyst."))
    with transaction.atomic():
        series = (
            MeetingSeries.objects.select_for_update()
            .filter(provider=provider, ministry=ministry, level=level)
            .first()
        )
        before = audit.snapshot(series, SERIES_FIELDS) if series else None
        if series is None:
            target = target or rules.DEFAULT_TARGETS[level]
            series = MeetingSeries(
                provider=provider,
                ministry=ministry,
                level=level,
                starts_on=starts_on or timezone.localdate().replace(day=1),
            )
        if customer_contact is not None:
            series.customer_contact = customer_contact
        if target is not None:
            series.target_min, series.target_max = target.minimum, target.maximum
            series.period_months = target.months
        audit.save_audited(
            series,
            actor=actor,
            fields=SERIES_FIELDS,
            before=before,
            action="governance.series." + ("create" if before is None else "change"),
            organisation_id=ministry.pk,
        )
        series.members.set([ministry])
    return series


def _name(value: str, field: str) -> str:
    char = control_character(value)
    if char is not None:
        raise ServiceError(control_character_message(char), {field: [_("Ugyldig tegn.")]})
    if len(value) > 200:
        raise ServiceError(_("Navnet kan ha høyst 200 tegn."), {field: [_("For langt.")]})
    return value


ARENA_FIELDS = ("name_nb", "name_en", "member_roles", "customer_contact", "target_min")


@allowed(
    lambda user, provider, **_: serves_all(user, provider.pk, roles=selectors.PLANNING_ROLES),
    gettext_lazy("Bare leverandørens ledere og kundekontakter kan opprette en arena."),
)
def create_arena(
    *,
    actor: Actor,
    provider: Organisation,
    name_nb: str,
    members: Iterable[Organisation],
    member_roles: Iterable[str],
    name_en: str = "",
    service: Service | None = None,
    level: str = rules.TACTICAL,
    target: rules.Target | None = None,
    customer_contact: Person | None = None,
    starts_on: dt.date | None = None,
) -> MeetingSeries:
    """Create (or, by the same provider and bokmål name, update) an arena: a meeting series
    with many member ministries, e.g. the security leaders' forum or a coordinators'
    network. The participants in each member ministry are those holding one of
    `member_roles` (organisations.Role values); `service` (optional) names the catalogue
    service whose handling team organises the arena with the provider's managers and
    customer contacts. Meetings, minutes, action items and compliance work as for a
    dialogue (`record_meeting`, `complete_action`, `dialogue_compliance`)."""
    name_nb = _name(required(name_nb, "name_nb", _("Arenaen må ha et navn.")), "name_nb")
    name_en = _name((name_en or "").strip(), "name_en")
    ministries = list(members)
    roles = sorted(set(member_roles))
    if provider.kind != Organisation.Kind.PROVIDER:
        raise ServiceError(_("En arena drives av en leverandør."))
    if not ministries or any(m.kind != Organisation.Kind.MINISTRY for m in ministries):
        raise ServiceError(
            _("En arena må ha minst ett medlem, og medlemmene må være departementer."),
            {"members": [_("Velg departementer.")]},
        )
    if not roles or any(r not in Role.values for r in roles):
        raise ServiceError(
            _("Oppgi hvilke roller i departementene som deltar (gyldige roller)."),
            {"member_roles": [_("Ugyldig eller manglende rolle.")]},
        )
    if service is not None and service.provider_id != provider.pk:
        raise ServiceError(_("Tjenesten må høre til leverandøren som driver arenaen."))
    target = target or rules.DEFAULT_TARGETS[level]
    if not 0 < target.minimum <= target.maximum:
        raise ServiceError(_("Målet må være minst ett møte, og minst ≤ høyst."))
    with transaction.atomic():
        series = (
            # Lock the series row only: PostgreSQL refuses FOR UPDATE on the nullable side of
            # the outer join that the series' related rows bring in.
            MeetingSeries.objects.select_for_update(of=("self",))
            .filter(provider=provider, ministry__isnull=True, name_nb=name_nb)
            .first()
        )
        before = audit.snapshot(series, ARENA_FIELDS) if series else None
        if series is None:
            series = MeetingSeries(
                provider=provider,
                ministry=None,
                level=level,
                starts_on=starts_on or timezone.localdate().replace(day=1),
            )
        series.name_nb, series.name_en = name_nb, name_en
        series.member_roles = ",".join(roles)
        series.service = service
        series.customer_contact = customer_contact
        series.target_min, series.target_max = target.minimum, target.maximum
        series.period_months = target.months
        audit.save_audited(
            series,
            actor=actor,
            fields=ARENA_FIELDS,
            before=before,
            action="governance.arena." + ("create" if before is None else "change"),
        )
        series.members.set(ministries)
    return series


NO_PARTY = gettext_lazy("Du er ikke part i denne dialogen.")


@allowed(lambda user, series, **_: selectors.is_party(user, series), NO_PARTY)
def record_meeting(
    *,
    actor: Actor,
    series: MeetingSeries,
    held_on: dt.date,
    agenda: str = "",
    minutes: str = "",
    participants: Iterable[Person] = (),
    actions: Iterable[tuple[str, Person, dt.date]] = (),
) -> Meeting:
    """A meeting: planned (agenda only) or held (with minutes). Held meetings cannot lie
    in the future; action owners must belong to the ministry or the provider."""
    minutes = (minutes or "").strip()
    held = bool(minutes)
    if held and held_on > timezone.localdate():
        raise ServiceError(
            _("Et møte med referat kan ikke ligge fram i tid."),
            {"held_on": [_("Dato i framtiden.")]},
        )
    parties = selectors.party_organisation_ids(series)
    people = list(participants)
    action_rows = list(actions)
    outsiders = [p.full_name for p in people if p.organisation_id not in parties] + [
        owner.full_name for _, owner, _ in action_rows if owner.organisation_id not in parties
    ]
    if outsiders:
        raise ServiceError(
            _(
                "Deltakere og eiere må være fra departementet (medlemmene) eller "
                "leverandøren: %(people)s."
            )
            % {"people": ", ".join(sorted(set(outsiders)))}
        )
    with transaction.atomic():
        meeting = Meeting.objects.create(
            series=series, held_on=held_on, agenda=agenda.strip(), minutes=minutes, held=held
        )
        meeting.participants.set(people)
        ActionItem.objects.bulk_create(
            [
                ActionItem(meeting=meeting, text=text.strip(), owner=owner, due_on=due)
                for text, owner, due in action_rows
                if text.strip()
            ]
        )
        audit.record(
            actor=actor,
            action="governance.meeting.record",
            obj=meeting,
            changes={"held": [None, held], "actions": [None, len(action_rows)]},
            organisation_id=series.ministry_id or series.provider_id,
        )
    return meeting
