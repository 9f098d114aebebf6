"""The work on a request: the case owner named, DIO's proposed decision per item, the
ministry's final decision per item, the answer sent (the order is resolved with it), fuller
reasons and appeals. Each write is one transaction with its audit event."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from felles.core import audit
from felles.core.actor import Actor
from felles.core.services import Conflict, ServiceError, allowed
from felles.core.validators import control_character, control_character_message
from felles.foi import answer, rules, selectors
from felles.foi.models import NEEDS_BASIS, Appeal, Decision, Item, Outcome, Request
from felles.orders import services as order_services
from felles.orders.states import Status
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Person

TEAM_ONLY = gettext_lazy("Bare DIOs innsynsteam for departementet forbereder innsynskrav.")
OWNER_ONLY = gettext_lazy("Bare departementets saksansvarlige avgjør innsynskravet.")
ASSIGNERS_ONLY = gettext_lazy(
    "Bare innsynsteamet og departementets koordinator velger saksansvarlig."
)
SENDERS_ONLY = gettext_lazy("Bare innsynsteamet og den saksansvarlige sender svaret.")
LETTER = re.compile(r"[a-zæøå]|[1-9][0-9]?")
DECISION_FIELDS = (
    "outcome",
    "section",
    "subsection",
    "letter",
    "other_basis",
    "withheld",
    "forwarded_to",
    "meirinnsyn",
    "meirinnsyn_reason",
    "assessment",
)


def _prepares(user: Any, *, request: Request | None = None, item: Item | None = None, **_: Any):
    return selectors.prepares(user, request or item.request)  # type: ignore[union-attr]


def _decides(user: Any, *, item: Item, **_: Any) -> bool:
    return selectors.decides(user, item.request)


def _assigns(user: Any, *, request: Request, **_: Any) -> bool:
    return selectors.assigns_owner(user, request)


def _sends(user: Any, *, request: Request, **_: Any) -> bool:
    return selectors.prepares(user, request) or selectors.decides(user, request)


def _not_answered(request: Request) -> None:
    if Request.objects.filter(pk=request.pk, answered_on__isnull=False).exists():
        raise Conflict(_("Svaret er allerede sendt; vedtakene kan ikke endres."))


def _acting(actor: Actor) -> Person:
    person = org_selectors.person_for(actor.user) if actor.user is not None else None
    if person is None:
        raise ServiceError(_("Du må være registrert som person i Felles."))
    return person


@allowed(_assigns, ASSIGNERS_ONLY)
def assign_case_owner(*, actor: Actor, request: Request, person: Person) -> Request:
    """The ministry's person who decides: never someone outside the ministry."""
    if person.organisation_id != request.ministry_id:
        message = _("Den saksansvarlige må være en person i %(m)s, ikke i %(o)s.") % {
            "m": request.ministry.abbreviation,
            "o": person.organisation.abbreviation,
        }
        raise ServiceError(message, {"case_owner": [message]})
    if not person.active:
        message = _("%(p)s er ikke lenger aktiv i Felles. Velg en annen saksansvarlig.") % {
            "p": person.full_name
        }
        raise ServiceError(message, {"case_owner": [message]})
    _not_answered(request)
    with transaction.atomic():
        before = request.case_owner.full_name if request.case_owner else None
        Request.objects.filter(pk=request.pk).update(case_owner=person)
        request.case_owner = person
        audit.record(
            actor=actor,
            action="foi.request.assign_owner",
            obj=request,
            changes={"case_owner": [before, person.full_name]},
            organisation_id=request.ministry_id,
        )
    return request


def clean_decision(values: dict[str, Any]) -> dict[str, Any]:
    """The decision's fields checked: a legal basis for partial access and refusal, the
    withheld parts for partial access, the agency for forwarding, and the meirinnsyn
    assessment (offl. § 11) where the exemption is discretionary (every ground but § 13),
    § 13's confidentiality provision (offl. § 31 første ledd), only grounds open to a
    ministry, and the letter normalised («A)» → «a»)."""
    errors: dict[str, list[str]] = {}
    data = {name: values.get(name) for name in DECISION_FIELDS}
    for name in ("letter", "other_basis", "withheld", "forwarded_to", "meirinnsyn_reason"):
        data[name] = (data[name] or "").strip()
        char = control_character(data[name], multiline=True)
        if char is not None:
            errors[name] = [str(control_character_message(char))]
    data["assessment"] = (data["assessment"] or "").strip()
    outcome = data["outcome"]
    if outcome not in Outcome.values:
        errors["outcome"] = [_("Velg et utfall.")]
    if outcome in NEEDS_BASIS:
        # «a)», «A», «a.» → «a»: one lowercase letter or a number, as the law numbers them.
        letter = data["letter"].rstrip(").").strip().lower()
        if letter and not LETTER.fullmatch(letter):
            errors["letter"] = [_("Oppgi én bokstav (a) eller ett nummer (1).")]
        data["letter"] = letter
        section, subsection = data["section"], data["subsection"]
        if section is None:
            errors["section"] = [
                _("Oppgi hjemmelen i offentleglova (paragraf, og ledd og bokstav der det finnes).")
            ]
        elif not rules.ministry_ground(int(section), subsection and int(subsection)):
            errors["section"] = [
                _(
                    "offl. § %(s)s er ikke et unntaksgrunnlag for et departement. Bruk "
                    "§§ 13–15, 17–26 eller § 28 andre ledd."
                )
                % {"s": section}
            ]
        elif int(section) == 13 and not data["other_basis"]:
            # offl. § 31 første ledd: a refusal on § 13 names the confidentiality rule.
            errors["other_basis"] = [
                _("Oppgi taushetspliktbestemmelsen, f.eks. fvl. § 13 første ledd nr. 1.")
            ]
        if outcome == Outcome.PARTIAL and not data["withheld"]:
            errors["withheld"] = [_("Beskriv hvilke deler av dokumentet som er unntatt.")]
        # § 13 is mandatory and § 28 andre ledd no exemption: no meirinnsyn to assess.
        if section is not None and int(section) not in (13, 28):
            if data["meirinnsyn"] is None:
                errors["meirinnsyn"] = [_("Svar på om merinnsyn er vurdert (offl. § 11).")]
            elif not data["meirinnsyn_reason"]:
                errors["meirinnsyn_reason"] = [_("Begrunn vurderingen av merinnsyn.")]
    else:
        for name in ("section", "subsection"):
            data[name] = None
        data["letter"] = data["other_basis"] = data["withheld"] = ""
    if outcome == Outcome.FORWARDED and not data["forwarded_to"]:
        errors["forwarded_to"] = [_("Oppgi hvilket organ kravet er sendt videre til.")]
    if errors:
        raise ServiceError(next(iter(errors.values()))[0], errors)
    return data


def _save_decision(*, actor: Actor, item: Item, stage: str, values: dict[str, Any]) -> Decision:
    data = clean_decision(values)
    person = _acting(actor)
    with transaction.atomic():
        _not_answered(item.request)
        existing = Decision.objects.filter(item=item, stage=stage).first()
        decision = audit.save_values(
            existing,
            new=lambda: Decision(
                item=item,
                stage=stage,
                by=person,
                at=timezone.now(),
                ministry_id=item.request.ministry_id,
                received_on=item.request.received_on,
            ),
            values={**data, "by": person, "at": timezone.now()},
            fields=(*DECISION_FIELDS, "by", "at"),
            actor=actor,
            action=f"foi.decision.{stage}",
            organisation_id=item.request.ministry_id,
        )
    return decision


@allowed(_prepares, TEAM_ONLY)
def prepare_item(*, actor: Actor, item: Item, values: dict[str, Any]) -> Decision:
    """DIO's assessment and proposed decision. The first one takes the order."""
    decision = _save_decision(actor=actor, item=item, stage=Decision.Stage.PROPOSED, values=values)
    order = item.request.order
    order.refresh_from_db(fields=["status"])
    if order.status == Status.QUEUED:
        order_services.take(
            actor=Actor(user=None, on_behalf_of=actor.user, system_label="innsyn"),
            order=order,
            agent=_acting(actor),
        )
    return decision


@allowed(_decides, OWNER_ONLY)
def decide_item(*, actor: Actor, item: Item, values: dict[str, Any]) -> Decision:
    """The ministry's decision on one item, by the request's case owner."""
    return _save_decision(actor=actor, item=item, stage=Decision.Stage.FINAL, values=values)


@allowed(_sends, SENDERS_ONLY)
def send_answer(
    *, actor: Actor, request: Request, text: str, answered_on: dt.date | None = None
) -> Request:
    """Record that the answer went to the requester: every item must have the ministry's
    decision. Stores the working days (for the statistics) and the appeal deadline, and
    resolves the order."""
    answered_on = answered_on or timezone.localdate()
    text = text.strip()
    if not text:
        raise ServiceError(_("Svaret kan ikke være tomt."), {"text": [_("Må fylles ut.")]})
    if answer.UNDECIDED in text:
        message = _(
            "Svaret sier fortsatt «ikke avgjort ennå» om et dokument. Lag svaret på nytt "
            "når alle dokumentene har departementets vedtak."
        )
        raise ServiceError(message, {"text": [message]})
    if answered_on < request.received_on or answered_on > timezone.localdate():
        message = _("Svardatoen må ligge mellom mottatt-datoen og i dag.")
        raise ServiceError(message, {"answered_on": [message]})
    undecided = request.items.exclude(decisions__stage=Decision.Stage.FINAL).count()
    if undecided:
        raise ServiceError(
            ngettext(
                "%(n)d dokument mangler departementets vedtak.",
                "%(n)d dokumenter mangler departementets vedtak.",
                undecided,
            )
            % {"n": undecided}
        )
    person = _acting(actor)
    days = rules.working_days_to_answer(request.received_on, answered_on)
    deadline = rules.appeal_deadline(answered_on)
    # The letter's appeal deadline must be the one stored: three weeks from the day sent.
    stated = answer.stated_deadline(text)
    if stated is not None and stated != answer.long_date(deadline):
        message = _(
            "Klagefristen i svaret (%(a)s) stemmer ikke med datoen svaret er sendt: den "
            "skal være %(b)s. Rett fristen i teksten."
        ) % {"a": stated, "b": answer.long_date(deadline)}
        raise ServiceError(message, {"text": [message]})
    with transaction.atomic():
        updated = Request.objects.filter(pk=request.pk, answered_on__isnull=True).update(
            answered_on=answered_on, working_days=days, answer_text=text, appeal_deadline=deadline
        )
        if not updated:
            raise Conflict(_("Svaret er allerede sendt."))
        request.answered_on, request.working_days = answered_on, days
        request.answer_text, request.appeal_deadline = text, deadline
        audit.record(
            actor=actor,
            action="foi.request.answer",
            obj=request,
            changes={"answered_on": [None, answered_on.isoformat()], "working_days": [None, days]},
            organisation_id=request.ministry_id,
        )
        order = request.order
        system = Actor(user=None, on_behalf_of=actor.user, system_label="innsyn")
        order.refresh_from_db()
        if order.status == Status.QUEUED:
            order = order_services.take(actor=system, order=order, agent=person)
        if order.status == Status.IN_PROGRESS:
            try:
                with transaction.atomic():
                    order_services.resolve(
                        actor=system,
                        order=order,
                        resolution=_("Innsynskravet er besvart (%(d)d arbeidsdager).")
                        % {"d": days},
                        agent=person,
                    )
            except Conflict:
                # A required task on the order's checklist is still open: the answer has
                # gone (the law's clock stops), the order stays with the provider until the
                # checklist is done.
                pass
    return request


@allowed(_sends, SENDERS_ONLY)
def record_fuller_reasons(
    *, actor: Actor, request: Request, asked_on: dt.date, sent_on: dt.date | None = None
) -> Request:
    """A request for fuller reasons (offl. § 31 andre ledd) and, later, when they were sent."""
    if request.answered_on is None or asked_on < request.answered_on:
        raise ServiceError(_("Fyldigere grunngiving kan bare kreves etter svaret."))
    if sent_on is not None and sent_on < asked_on:
        raise ServiceError(_("Grunngivingen kan ikke være sendt før den ble krevd."))
    today = timezone.localdate()
    if asked_on > today or (sent_on is not None and sent_on > today):
        message = _("Datoene kan ikke ligge fram i tid.")
        raise ServiceError(message, {"asked_on" if asked_on > today else "sent_on": [message]})
    with transaction.atomic():
        locked = Request.objects.select_for_update().get(pk=request.pk)
        # The appeal deadline runs from when the fuller reasons reached the requester
        # (fvl. § 29 tredje ledd, jf. offl. § 32 tredje ledd); it never shortens.
        deadline = locked.appeal_deadline
        if sent_on is not None:
            moved = rules.appeal_deadline(sent_on)
            deadline = moved if deadline is None else max(deadline, moved)
        Request.objects.filter(pk=request.pk).update(
            fuller_reasons_asked_on=asked_on,
            fuller_reasons_sent_on=sent_on,
            appeal_deadline=deadline,
        )
        request.fuller_reasons_asked_on, request.fuller_reasons_sent_on = asked_on, sent_on
        changes = {"asked_on": [None, asked_on.isoformat()]}
        if deadline != locked.appeal_deadline:
            changes["appeal_deadline"] = [
                locked.appeal_deadline and locked.appeal_deadline.isoformat(),
                deadline and deadline.isoformat(),
            ]
        request.appeal_deadline = deadline
        audit.record(
            actor=actor,
            action="foi.request.fuller_reasons",
            obj=request,
            changes=changes,
            organisation_id=request.ministry_id,
        )
    return request


@allowed(_sends, SENDERS_ONLY)
def register_appeal(*, actor: Actor, request: Request, received_on: dt.date) -> Appeal:
    """An appeal goes first to the ministry that decided (fvl. § 32-33). A request never
    answered may be appealed once it counts as refused, after its 5 working days
    (offl. § 32 første ledd)."""
    if request.answered_on is None:
        deemed = rules.deadlines(request.received_on).deemed_refusal
        if received_on <= deemed:
            message = _(
                "Et krav uten svar kan først påklages når det regnes som avslått, etter "
                "%(d)s (offl. § 32 første ledd)."
            ) % {"d": deemed.strftime("%d.%m.%Y")}
            raise ServiceError(message, {"received_on": [message]})
    elif received_on < request.answered_on:
        message = _("Datoen må ligge mellom svardatoen og i dag.")
        raise ServiceError(message, {"received_on": [message]})
    if received_on > timezone.localdate():
        message = _("Klagen kan ikke være mottatt fram i tid.")
        raise ServiceError(message, {"received_on": [message]})
    with transaction.atomic():
        # One appeal at a time: the request's row is locked, so a double submit waits
        # and then finds the first.
        Request.objects.select_for_update().filter(pk=request.pk).first()
        if Appeal.objects.filter(request=request, result=Appeal.Result.PENDING).exists():
            message = _("Det er allerede en klage til behandling på dette kravet.")
            raise ServiceError(message, {"received_on": [message]})
        appeal = Appeal.objects.create(
            request=request, received_on=received_on, body=Appeal.Body.MINISTRY
        )
        audit.record(
            actor=actor,
            action="foi.appeal.create",
            obj=request,
            changes={"received_on": [None, received_on.isoformat()]},
            organisation_id=request.ministry_id,
        )
    return appeal


def _appeal_sender(user: Any, *, appeal: Appeal, **_: Any) -> bool:
    return _sends(user, request=appeal.request)


@allowed(_appeal_sender, SENDERS_ONLY)
def decide_appeal(
    *, actor: Actor, appeal: Appeal, result: str, decided_on: dt.date, note: str = ""
) -> Appeal:
    """The outcome where the appeal is. A ministry that upholds its own refusal, in whole or
    in part, sends the appeal on to the King in Council, which decides finally (recorded as
    a new stage)."""
    if result not in Appeal.Result.values or result == Appeal.Result.PENDING:
        raise ServiceError(_("Velg et utfall."), {"result": [_("Velg et utfall.")]})
    if appeal.result != Appeal.Result.PENDING:
        raise Conflict(_("Klagen er allerede avgjort."))
    if decided_on < appeal.received_on or decided_on > timezone.localdate():
        message = _("Datoen må ligge mellom klagedatoen og i dag.")
        raise ServiceError(message, {"decided_on": [message]})
    with transaction.atomic():
        # Locked and read again: a double submit waits, then finds the appeal decided.
        locked = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if locked.result != Appeal.Result.PENDING:
            raise Conflict(_("Klagen er allerede avgjort."))
        appeal.result, appeal.decided_on, appeal.note = result, decided_on, note.strip()
        appeal.save(update_fields=["result", "decided_on", "note", "updated_at"])
        forwarded = None
        # Upheld in whole or in part, the ministry sends the appeal on (fvl. § 33).
        if appeal.body == Appeal.Body.MINISTRY and result in (
            Appeal.Result.UPHELD,
            Appeal.Result.PARTLY,
        ):
            forwarded = Appeal.objects.create(
                request=appeal.request, received_on=decided_on, body=Appeal.Body.KING_IN_COUNCIL
            )
        audit.record(
            actor=actor,
            action="foi.appeal.decide",
            obj=appeal.request,
            changes={
                "body": [None, appeal.body],
                "result": [Appeal.Result.PENDING, result],
                "forwarded": [None, forwarded is not None],
            },
            organisation_id=appeal.request.ministry_id,
        )
    return appeal
