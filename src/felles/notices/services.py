"""Notice writes: publishing a notice, the automatic notice when a guideline version is
adopted, a coordinator's confirmation, a ministry's feed key, and the record of what an
intranet fetched. Each declares who may call it; all but the fetch record are audited
(the fetch record is a read log, like a person's reading state)."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from felles.core import audit, tokens
from felles.core.actor import Actor
from felles.core.services import SYSTEM_ONLY, Conflict, Forbidden, ServiceError, allowed
from felles.core.validators import control_character, control_character_message
from felles.governance.models import Case
from felles.notices import selectors
from felles.notices.models import Confirmation, FeedKey, Fetch, Notice
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Organisation, Person

KEY_PREFIX = "felk_"


def _person(actor: Actor) -> Person | None:
    if actor.user is None:
        return None
    return Person.objects.select_related("organisation").filter(user=actor.user).first()


def _clean(value: str, name: str, empty: str, *, limit: int, multiline: bool) -> str:
    value = (value or "").strip()
    if not value:
        raise ServiceError(empty, {name: [empty]})
    if len(value) > limit:
        message = _("Høyst %(n)s tegn.") % {"n": limit}
        raise ServiceError(message, {name: [message]})
    char = control_character(value, multiline=multiline)
    if char is not None:
        message = control_character_message(char)
        raise ServiceError(message, {name: [message]})
    return value


@allowed(selectors.may_write, gettext_lazy("Bare leverandørenes ledere og DFD kunngjør."))
def publish_notice(
    *,
    actor: Actor,
    kind: str,
    title: str,
    body: str,
    area: Any = None,
    audience: Iterable[Organisation] = (),
    requires_confirmation: bool = False,
    case: Case | None = None,
    author_organisation: Organisation | None = None,
) -> Notice:
    """Publish a notice to every ministry, or to those in `audience`."""
    if kind not in Notice.Kind.values:
        message = _("Velg hva kunngjøringen gjelder.")
        raise ServiceError(message, {"kind": [message]})
    title = _clean(title, "title", _("Gi kunngjøringen en tittel."), limit=200, multiline=False)
    body = _clean(body, "body", _("Skriv teksten."), limit=20_000, multiline=True)
    audience = list(audience)
    if any(o.kind != Organisation.Kind.MINISTRY for o in audience):
        message = _("Mottakerne må være departementer.")
        raise ServiceError(message, {"audience": [message]})
    if case is not None and case.status != Case.Status.DECIDED:
        message = _("Bare avgjorte saker kan kunngjøres.")
        raise ServiceError(message, {"case": [message]})
    person = _person(actor)
    organisation = person.organisation if person else author_organisation
    if organisation is None:
        raise Forbidden(_("Du er ikke registrert som person i Felles."))
    with transaction.atomic():
        notice = Notice.objects.create(
            kind=kind,
            title=title,
            body=body,
            area=area,
            everyone=not audience,
            requires_confirmation=requires_confirmation,
            author=person,
            author_label=actor.label,
            author_organisation=organisation,
            case=case,
        )
        notice.audience.set(audience)
        audit.record(
            actor=actor,
            action="notices.publish",
            obj=notice,
            changes={
                "kind": [None, kind],
                "audience": [None, sorted(o.abbreviation for o in audience) or "alle"],
                "requires_confirmation": [None, requires_confirmation],
            },
        )
    return notice


def announce_guideline(version: Any, actor: Actor) -> None:
    """guidelines.events.version_adopted: the adopted version becomes a notice to every
    ministry, in the adopting transaction. Follows from the adoption (whose rule the
    adopting service checked), like an order's tasks from its queueing, so it declares no
    rule of its own; it is audited as the adopter's."""
    guideline = version.guideline
    person = _person(actor)
    first = version.number == 1
    title = (
        _("Ny retningslinje: %(title)s") if first else _("Endret retningslinje: %(title)s")
    ) % {"title": guideline.title}
    body = _("Versjon %(n)s gjelder fra %(date)s.") % {
        "n": version.number,
        "date": version.effective_from.strftime("%d.%m.%Y"),
    }
    if version.changes:
        body += "\n\n" + version.changes
    notice = Notice.objects.create(
        kind=Notice.Kind.GUIDELINE,
        title=title[:200],
        body=body,
        area=guideline.area,
        everyone=True,
        requires_confirmation=False,
        author=person,
        author_label=actor.label,
        author_organisation=person.organisation if person else guideline.owner,
        guideline_version=version,
        case=version.case,
    )
    audit.record(
        actor=actor,
        action="notices.publish",
        obj=notice,
        changes={"kind": [None, notice.kind], "guideline": [None, guideline.code]},
    )


def announce_withdrawal(version: Any, before: str, reason: str, actor: Actor) -> None:
    """guidelines.events.version_withdrawn: every ministry is told that a version in force
    (or on hearing) is withdrawn, and why, in the withdrawing transaction; audited as the
    withdrawer's, like the adoption's notice. The notice links the case, not the version
    (that link is the adoption notice's)."""
    guideline = version.guideline
    person = _person(actor)
    title = _("Retningslinje trukket tilbake: %(title)s") % {"title": guideline.title}
    if before == "adopted":
        body = _("Versjon %(n)s gjelder ikke lenger.") % {"n": version.number}
    else:
        body = _("Versjon %(n)s, som var på høring, er trukket tilbake.") % {"n": version.number}
    body += "\n\n" + _("Begrunnelse: %(reason)s") % {"reason": reason}
    notice = Notice.objects.create(
        kind=Notice.Kind.GUIDELINE,
        title=title[:200],
        body=body,
        area=guideline.area,
        everyone=True,
        requires_confirmation=False,
        author=person,
        author_label=actor.label,
        author_organisation=person.organisation if person else guideline.owner,
        case=version.case,
    )
    audit.record(
        actor=actor,
        action="notices.publish",
        obj=notice,
        changes={
            "kind": [None, notice.kind],
            "guideline": [None, guideline.code],
            "withdrawn": [None, version.number],
        },
    )


def _may_confirm(user: Any, notice: Notice, **_: Any) -> bool:
    return selectors.may_confirm(user, notice) is not None


@allowed(_may_confirm, gettext_lazy("Bare departementets bestillerkoordinator bekrefter."))
def confirm_notice(*, actor: Actor, notice: Notice, ministry: Organisation) -> Confirmation:
    """The ministry's coordinator confirms a notice that asks for it; once per ministry."""
    if not notice.requires_confirmation:
        raise Conflict(_("Kunngjøringen krever ingen bekreftelse."))
    person = _person(actor)
    if actor.user is not None and (person is None or person.organisation_id != ministry.pk):
        raise Forbidden(_("Du kan bare bekrefte for ditt eget departement."))
    try:
        with transaction.atomic():
            confirmation = Confirmation.objects.create(
                notice=notice,
                ministry=ministry,
                confirmed_by=person,
                confirmed_by_label=actor.label,
            )
            audit.record(
                actor=actor,
                action="notices.confirm",
                obj=notice,
                changes={"confirmed": [None, ministry.abbreviation]},
                organisation_id=ministry.pk,
            )
    except IntegrityError:
        raise Conflict(
            _("%(ministry)s har allerede bekreftet.") % {"ministry": ministry.abbreviation}
        ) from None
    return confirmation


def _may_make_key(user: Any, ministry: Organisation, **_: Any) -> bool:
    from_roles = selectors.may_manage_key(user)
    person = org_selectors.person_for(user)
    return from_roles and person is not None and person.organisation_id == ministry.pk


@allowed(_may_make_key, gettext_lazy("Bare departementets koordinatorer lager nøkkelen."))
def make_feed_key(*, actor: Actor, ministry: Organisation) -> str:
    """A new key for the ministry's intranet; the old one stops working. Returns the key
    (shown once)."""
    if ministry.kind != Organisation.Kind.MINISTRY:
        raise ServiceError(_("Bare departementer har intranettnøkkel."))
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        key, created = FeedKey.objects.select_for_update().get_or_create(
            ministry=ministry,
            defaults={
                "digest": tokens.digest(secret),
                "prefix": secret[:11],
                "made_by_label": actor.label,
            },
        )
        if not created:
            key.digest, key.prefix = tokens.digest(secret), secret[:11]
            key.made_by_label, key.last_used_at = actor.label, None
            key.save()
        audit.record(
            actor=actor,
            action="notices.feed_key",
            obj=key,
            changes={"prefix": [None, key.prefix], "renewed": [None, not created]},
            organisation_id=ministry.pk,
        )
    return secret


@allowed(SYSTEM_ONLY, gettext_lazy("Hentingen registreres av feeden."))
def record_fetches(*, actor: Actor, key: FeedKey, notices: Iterable[Notice]) -> int:
    """The ministry's intranet fetched these notices: first time, last time, count."""
    now = timezone.now()
    ids = [n.pk for n in notices]
    with transaction.atomic():
        FeedKey.objects.filter(pk=key.pk).update(last_used_at=now)
        seen = set(
            Fetch.objects.filter(notice_id__in=ids, ministry=key.ministry).values_list(
                "notice_id", flat=True
            )
        )
        Fetch.objects.filter(notice_id__in=seen, ministry=key.ministry).update(
            last_at=now, count=F("count") + 1
        )
        Fetch.objects.bulk_create(
            [
                Fetch(notice_id=i, ministry=key.ministry, first_at=now, last_at=now)
                for i in ids
                if i not in seen
            ],
            ignore_conflicts=True,
        )
    return len(ids)
