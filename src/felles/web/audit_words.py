"""The audit log in words: each action code as a sentence in the reader's language, people
and objects by name (linked where the reader may open them), field names as labels. The
raw event stays one click away on the page; nothing here changes what is stored."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from felles.catalog.models import Confidentiality
from felles.core.models import AuditEvent
from felles.core.types import AnyUser
from felles.orders import selectors as order_selectors
from felles.orders.models import Order
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Person

ACTIONS: dict[str, Promise] = {
    "foi.appeal.decide": gettext_lazy("Registrerte utfallet av en klage på innsyn"),
    "foi.request.answer": gettext_lazy("Besvarte et innsynskrav"),
    "foi.request.assign_owner": gettext_lazy("Satte saksansvarlig for et innsynskrav"),
    "foi.request.erase_requester": gettext_lazy("Slettet opplysningene om den som ba om innsyn"),
    "foi.request.fuller_reasons": gettext_lazy("Ga utfyllende begrunnelse for et innsynsvedtak"),
    "hr.salary_change.reference": gettext_lazy("Registrerte DFØs saksnummer for en lønnsendring"),
    "hr.salary_change.send": gettext_lazy("Sendte en lønnsendring til DFØ"),
    "orders.order.amend": gettext_lazy("Endret svarene i en bestilling"),
    "preparedness.analysis.measure": gettext_lazy("Registrerte et tiltak i en ROS-analyse"),
    "preparedness.analysis.remind": gettext_lazy("Minnet om gjennomgang av en ROS-analyse"),
    "preparedness.analysis.risk": gettext_lazy("Vurderte en risiko i en ROS-analyse"),
    "preparedness.analysis.sign": gettext_lazy("Godkjente en ROS-analyse"),
    "preparedness.contract.register": gettext_lazy("Registrerte en gradert anskaffelse"),
    "preparedness.contract.remind": gettext_lazy("Minnet om utløpende leverandørklarering"),
    "preparedness.exercise.evaluate": gettext_lazy("Evaluerte en øvelse"),
    "preparedness.exercise.plan": gettext_lazy("Planla en øvelse"),
    "preparedness.followup.complete": gettext_lazy("Fullførte et oppfølgingstiltak"),
    "preparedness.incident.action": gettext_lazy("La til et oppfølgingstiltak for en hendelse"),
    "preparedness.incident.report": gettext_lazy("Meldte en sikkerhetshendelse"),
    "preparedness.selfreport.submit": gettext_lazy(
        "Leverte egenrapportering om sikkerhetstilstanden"
    ),
    "preparedness.stock.check": gettext_lazy("Kontrollerte beredskapslageret"),
    "rooms.booking.add_ons_follow": gettext_lazy(
        "Fulgte opp tilleggsbestillingene til en endret møteromsbooking"
    ),
    "rooms.booking.book": gettext_lazy("Booket et møterom"),
    "rooms.booking.decide": gettext_lazy("Behandlet en forespørsel om møterom"),
    "rooms.feed_token.issue": gettext_lazy("Laget en ny kalenderlenke"),
    "rooms.inspection.record": gettext_lazy("Registrerte en inspeksjon av et gradert møterom"),
    "rooms.series.book": gettext_lazy("Booket en møteserie"),
    "security.authorisation.add": gettext_lazy("Registrerte en autorisasjon"),
    "security.authorisation.conversation": gettext_lazy("Registrerte en autorisasjonssamtale"),
    "security.authorisation.end": gettext_lazy("Avsluttet en autorisasjon"),
    "security.clearance.add": gettext_lazy("Registrerte en sikkerhetsklarering"),
    "security.clearance.decision": gettext_lazy("Registrerte et klareringsvedtak"),
    "security.clearance.end": gettext_lazy("Avsluttet en sikkerhetsklarering"),
    "security.declaration.add": gettext_lazy("Registrerte en taushetserklæring"),
    "security.dispose": gettext_lazy("Slettet opplysninger i sikkerhetsregisteret etter fristen"),
    "security.scan": gettext_lazy("Gikk gjennom sikkerhetsregisteret etter frister"),
    "security.reclearance.prepare": gettext_lazy("Laget utkast til ny sikkerhetsklarering"),
    "security.list.issue": gettext_lazy("Utstedte og arkiverte listen over autoriserte (VF § 72)"),
    "agreements.agreement.accept": gettext_lazy("Avtalen trådte i kraft"),
    "agreements.agreement.accept_ministry": gettext_lazy(
        "Godtok en leveranseavtale for departementet"
    ),
    "agreements.agreement.accept_provider": gettext_lazy(
        "Godtok en leveranseavtale for leverandøren"
    ),
    "agreements.agreement.create": gettext_lazy("Opprettet et utkast til leveranseavtale"),
    "agreements.agreement.end": gettext_lazy("Avsluttet en leveranseavtale"),
    "agreements.agreement.return": gettext_lazy("Sendte en leveranseavtale tilbake til utkast"),
    "agreements.agreement.send": gettext_lazy("Sendte en leveranseavtale til departementet"),
    "agreements.agreement.supersede": gettext_lazy("En ny versjon erstattet leveranseavtalen"),
    "agreements.line.change": gettext_lazy("Endret en tjeneste i en leveranseavtale"),
    "agreements.line.create": gettext_lazy("La en tjeneste inn i en leveranseavtale"),
    "agreements.line.remove": gettext_lazy("Tok en tjeneste ut av en leveranseavtale"),
    "bundles.bundle.create": gettext_lazy("Gjorde en tjeneste til en pakke"),
    "bundles.item.save": gettext_lazy("Endret innholdet i en pakke"),
    "bundles.order.link_person": gettext_lazy("Koblet en pakkebestilling til personen"),
    "bundles.order.submit": gettext_lazy("Sendte en pakkebestilling"),
    "catalog.level.close": gettext_lazy("Avsluttet et tjenestenivå"),
    "catalog.level.create": gettext_lazy("La inn et nytt tjenestenivå"),
    "catalog.service.confidentiality": gettext_lazy("Endret skjermingen av en tjeneste"),
    "catalog.area.create": gettext_lazy("Opprettet tjenesteområde"),
    "catalog.price.close": gettext_lazy("Avsluttet en pris"),
    "catalog.price.create": gettext_lazy("La inn en ny pris"),
    "catalog.service.create": gettext_lazy("Opprettet tjeneste"),
    "catalog.service.update": gettext_lazy("Endret tjeneste"),
    "core.api_token.create": gettext_lazy("Laget en API-nøkkel"),
    "core.api_token.change": gettext_lazy("Endret en API-nøkkel"),
    "core.api_token.revoke": gettext_lazy("Trakk tilbake en API-nøkkel"),
    "core.mail.retry": gettext_lazy("Sendte en e-post på nytt"),
    "core.mail_preference.change": gettext_lazy("Endret innstillinger for e-post"),
    "costing.ledger.import": gettext_lazy("Importerte regnskapstall"),
    "costing.model.create": gettext_lazy("Opprettet kostnadsmodell"),
    "costing.model.replace": gettext_lazy("Erstattet kostnadsmodell"),
    "costing.price_list.adjust": gettext_lazy("Justerte prislisten"),
    "costing.price_list.approve": gettext_lazy("Behandlet forslag til prisliste"),
    "costing.price_list.propose": gettext_lazy("Foreslo prisliste"),
    "governance.action.add": gettext_lazy("La til et oppfølgingspunkt"),
    "governance.action.complete": gettext_lazy("Fullførte et tiltak"),
    "governance.case.decide": gettext_lazy("Fattet vedtak i en sak"),
    "governance.case.escalate": gettext_lazy("Løftet en sak videre"),
    "governance.case.raise": gettext_lazy("Meldte en styringssak"),
    "governance.case.reopen": gettext_lazy("Gjenåpnet en styringssak"),
    "governance.council.nominate": gettext_lazy("Foreslo medlem av rådet"),
    "governance.council.plan": gettext_lazy("Planla et rådsmøte"),
    "governance.council.unavailable": gettext_lazy("Meldte forfall til rådet"),
    "governance.hearing.answer": gettext_lazy("Svarte på en høring"),
    "governance.meeting.record": gettext_lazy("Skrev referat fra et møte"),
    "governance.proposal.statement": gettext_lazy("Ga uttalelse til et forslag"),
    "governance.proposal.submit": gettext_lazy("Sendte inn et forslag"),
    "governance.right.change": gettext_lazy("Endret en beslutningsrett"),
    "invoicing.credit_note.issue": gettext_lazy("Utstedte en kreditnota"),
    "invoicing.dispute.accept": gettext_lazy("Tok en innsigelse til følge"),
    "invoicing.dispute.raise": gettext_lazy("Meldte innsigelse mot en fakturalinje"),
    "invoicing.dispute.reject": gettext_lazy("Avviste en innsigelse"),
    "invoicing.run.approved": gettext_lazy("Godkjente en fakturakjøring"),
    "invoicing.run.create": gettext_lazy("Startet en fakturakjøring"),
    "invoicing.run.discard": gettext_lazy("Forkastet en fakturakjøring"),
    "invoicing.run.hold_back": gettext_lazy("Holdt tilbake en faktura"),
    "invoicing.run.issued": gettext_lazy("Utstedte fakturaene i en kjøring"),
    "invoicing.run.recompute": gettext_lazy("Beregnet en fakturakjøring på nytt"),
    "invoicing.run.reviewed": gettext_lazy("Kontrollerte en fakturakjøring"),
    "invoicing.usage.correct": gettext_lazy("Rettet en forbruksrad"),
    "invoicing.usage.create": gettext_lazy("Registrerte forbruk"),
    "invoicing.usage.import": gettext_lazy("Importerte forbruk"),
    "orders.approval.activate": gettext_lazy("Sendte bestillingen til godkjenning"),
    "orders.approval.decide": gettext_lazy("Behandlet en godkjenning"),
    "orders.approval.escalate": gettext_lazy("Sendte godkjenningen videre til neste leder"),
    "orders.approval.lapse": gettext_lazy("Godkjenningen falt bort"),
    "orders.order.approve": gettext_lazy("Bestillingen ble godkjent"),
    "orders.order.assign": gettext_lazy("Tildelte saken"),
    "orders.order.auto_close": gettext_lazy("Bestillingen ble avsluttet automatisk"),
    "orders.order.cancel": gettext_lazy("Trakk tilbake bestillingen"),
    "orders.order.comment": gettext_lazy("Skrev en kommentar"),
    "orders.order.confirm": gettext_lazy("Bekreftet leveransen"),
    "orders.order.note": gettext_lazy("Skrev et internt notat"),
    "orders.order.priority": gettext_lazy("Endret prioritet"),
    "orders.order.provide_info": gettext_lazy("Svarte på spørsmål fra leverandøren"),
    "orders.order.rate": gettext_lazy("Vurderte leveransen"),
    "orders.order.reject": gettext_lazy("Bestillingen ble avvist"),
    "orders.order.reopen": gettext_lazy("Gjenåpnet bestillingen"),
    "orders.order.request_info": gettext_lazy("Ba bestilleren om mer informasjon"),
    "orders.order.resolve": gettext_lazy("Markerte saken som levert"),
    "orders.order.submit": gettext_lazy("Sendte en bestilling"),
    "orders.order.take": gettext_lazy("Tok saken"),
    "organisations.absence.cancel": gettext_lazy("Avlyste et fravær"),
    "organisations.absence.create": gettext_lazy("Registrerte fravær"),
    "organisations.organisation.create": gettext_lazy("Opprettet virksomhet"),
    "organisations.organisation.update": gettext_lazy("Endret virksomhet"),
    "organisations.person.create": gettext_lazy("Opprettet person"),
    "organisations.person.update": gettext_lazy("Endret person"),
    "organisations.person.deactivate": gettext_lazy("Deaktiverte person"),
    "organisations.role.assign": gettext_lazy("Ga en rolle"),
    "organisations.role.remove": gettext_lazy("Fjernet en rolle"),
    "organisations.unit.create": gettext_lazy("Opprettet enhet"),
    "organisations.unit.update": gettext_lazy("Endret enhet"),
    "portfolio.baseline.import": gettext_lazy("Importerte nullpunktsmålinger"),
    "portfolio.benefit.contributor": gettext_lazy("Endret bidragsytere til en gevinst"),
    "portfolio.benefit.create": gettext_lazy("Registrerte en gevinst"),
    "portfolio.benefit.realised": gettext_lazy("Registrerte realisert gevinst"),
    "portfolio.dependency.create": gettext_lazy("Registrerte en avhengighet"),
    "portfolio.evaluation.weights": gettext_lazy("Endret vektene i en vurdering"),
    "portfolio.milestone.create": gettext_lazy("La inn en milepæl"),
    "portfolio.milestone.reached": gettext_lazy("Milepælen er nådd"),
    "portfolio.project.status": gettext_lazy("Endret prosjektstatus"),
    "portfolio.transfer.create": gettext_lazy("Registrerte en overføring av ansatte"),
    "signin.identity.link": gettext_lazy("Koblet en innlogging til en person"),
    "signin.identity.unlink": gettext_lazy("Koblet en innlogging fra en person"),
    "sla.office_hours.set": gettext_lazy("Endret åpningstider for tjenestenivå"),
    "tasks.task.assign": gettext_lazy("Tildelte en oppgave"),
    "tasks.task.complete": gettext_lazy("Fullførte en oppgave"),
    "tasks.task.skip": gettext_lazy("Hoppet over en oppgave"),
    "tasks.task.take": gettext_lazy("Tok en oppgave"),
    "tasks.template.close": gettext_lazy("Avsluttet en oppgavemal"),
    "tasks.template.create": gettext_lazy("La inn en ny oppgavemal"),
}

# The last part of a code nobody named above: a verb to build the sentence from.
VERBS: dict[str, Promise] = {
    "create": gettext_lazy("Opprettet"),
    "update": gettext_lazy("Endret"),
    "change": gettext_lazy("Endret"),
    "delete": gettext_lazy("Slettet"),
    "remove": gettext_lazy("Fjernet"),
    "import": gettext_lazy("Importerte"),
    "approve": gettext_lazy("Godkjente"),
    "reject": gettext_lazy("Avviste"),
    "cancel": gettext_lazy("Avbrøt"),
    "close": gettext_lazy("Avsluttet"),
    "seed": gettext_lazy("La inn startdata for"),
}

# The actors that are Felles itself (Actor.system labels).
SYSTEM_ACTORS: dict[str, Promise] = {
    "system:felles demo": gettext_lazy("Felles demo-data"),
}


def action_sentence(code: str, object_type: str = "") -> str:
    """The action in words; never the raw code."""
    if code in ACTIONS:
        return str(ACTIONS[code])
    kind = _model_name(object_type)
    verb = VERBS.get(code.rsplit(".", 1)[-1])
    if verb is not None and kind:
        return f"{verb} {kind}"
    if kind:
        return _("Endring i %(kind)s") % {"kind": kind}
    return _("Endring registrert")


def actor_name(label: str) -> str:
    """A system actor's label as words («Felles (system)»); a user's as given."""
    if label in SYSTEM_ACTORS:
        return str(SYSTEM_ACTORS[label])
    if label.startswith("system:"):
        return _("Felles (system)")
    return label


def _model(object_type: str) -> Any:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _model_name(object_type: str) -> str:
    model = _model(object_type)
    return str(model._meta.verbose_name) if model is not None else ""


def field_label(object_type: str, name: str) -> str:
    model = _model(object_type)
    if model is not None:
        try:
            label = getattr(model._meta.get_field(name), "verbose_name", None)
        except FieldDoesNotExist:
            label = None
        if label:
            return str(label)
    return name.replace("_", " ")


@dataclass
class Line:
    event: AuditEvent
    action: str
    actor: str
    actor_url: str
    on_behalf_of: str
    object_kind: str
    object_url: str
    changes: list[tuple[str, Any, Any]]
    screened: bool = False  # a restricted order's content the reader may not read
    object_label: str = ""  # what the event concerns, as the reader may see it


# Objects the log links to: object type → (URL name, its keyword, the reader's visible
# queryset of that type).
Visible = Callable[[AnyUser], Any]
LINKS: dict[str, tuple[str, str, Visible]] = {
    "orders.order": ("order", "order_id", order_selectors.orders_for),
    "organisations.person": ("person", "person_id", org_selectors.people_for),
}


# Issue 18: the values an auditor or administrator sees of a restricted order's events are
# its metadata only; comments, resolutions, reasons and the people it concerns are masked
# (the stored event is untouched: the chain still verifies).
SCREENED_TYPES = ("orders.order", "orders.approvalstep", "tasks.ordertask")
# The records of the security and FOI work (issues 20–21) are sensitive in themselves: who
# holds a clearance, who reported an incident, what a risk analysis found, who asked for
# access. The audit log names the action, the time and the kind of record, never the record,
# its people or its changes; the areas keep their own read and disposal logs.
SENSITIVE_APPS = ("security.", "preparedness.", "foi.")
METADATA_FIELDS = frozenset({"status", "state", "service", "priority"})
SCREENED_VALUE = gettext_lazy("skjermet")


def screened_objects(reader: AnyUser, events: Iterable[AuditEvent] | None = None) -> set[str]:
    """The object ids (orders, their approval steps and their tasks) among `events` — or
    in the whole log when None — that belong to a restricted or security order whose
    content `reader` may not read. At most two queries (none without order events)."""
    orders = Order.objects.all()
    if events is not None:
        ids = {e.object_id for e in events if e.object_type in SCREENED_TYPES}
        if not ids:
            return set()
        orders = orders.filter(Q(uuid__in=ids) | Q(steps__uuid__in=ids) | Q(tasks__uuid__in=ids))
    hidden = orders.exclude(service__confidentiality=Confidentiality.OPEN).exclude(
        pk__in=Order.objects.filter(order_selectors.content_filter(reader)).values("pk")
    )
    found: set[str] = set()
    # One relation per query: steps and tasks in one join would multiply the rows.
    for related in ("steps__uuid", "tasks__uuid"):
        for order, child in hidden.values_list("uuid", related):
            found.add(str(order))
            if child is not None:
                found.add(str(child))
    return found


def is_hidden(e: AuditEvent, screened: set[str]) -> bool:
    """Whether the event's people, record and changes are masked for this reader."""
    if e.object_type.startswith(SENSITIVE_APPS):
        return True
    return e.object_type in SCREENED_TYPES and e.object_id in screened


def object_label(e: AuditEvent, hidden: bool) -> str:
    """What an event concerns in words: an order's number and service are its metadata;
    a screened order's task or step is named by its kind only (its name is content)."""
    if hidden and e.object_type != "orders.order":
        return str(SCREENED_VALUE)
    return e.object_repr


def masked_changes(changes: dict[str, Any] | None) -> dict[str, Any]:
    """A screened event's changes: metadata as stored, every other value «skjermet»."""
    return {
        name: change if name in METADATA_FIELDS else str(SCREENED_VALUE)
        for name, change in (changes or {}).items()
    }


def lines_for(reader: AnyUser, events: Iterable[AuditEvent]) -> list[Line]:
    """The page's events in words, with a fixed number of queries per page (one for the
    people behind the actors, one per linked object type)."""
    events = list(events)
    actor_ids = {e.actor_id for e in events if e.actor_id} | {
        e.on_behalf_of_id for e in events if e.on_behalf_of_id
    }
    people = {p.user_id: p for p in org_selectors.people_for(reader).filter(user_id__in=actor_ids)}
    wanted: dict[str, set[str]] = defaultdict(set)
    for e in events:
        if e.object_type in LINKS:
            wanted[e.object_type].add(e.object_id)
    openable: dict[str, set[str]] = {}
    for object_type, ids in wanted.items():
        _name, _kwarg, visible = LINKS[object_type]
        openable[object_type] = {
            str(u) for u in visible(reader).filter(uuid__in=ids).values_list("uuid", flat=True)
        }
    screened = screened_objects(reader, events)
    lines = []
    for e in events:
        hidden = is_hidden(e, screened)
        person = people.get(e.actor_id)
        helper = people.get(e.on_behalf_of_id)
        object_url = ""
        if e.object_id in openable.get(e.object_type, ()):
            name, kwarg, _visible = LINKS[e.object_type]
            object_url = reverse(name, kwargs={kwarg: e.object_id})
        lines.append(
            Line(
                event=e,
                action=action_sentence(e.action, e.object_type),
                # Who acted on a screened order is part of its content (the orderer's own
                # steps name the person the case is about).
                actor=str(SCREENED_VALUE)
                if hidden
                else _person_label(person)
                if person
                else actor_name(e.actor_label),
                actor_url=reverse("person", kwargs={"person_id": person.uuid})
                if person and not hidden
                else "",
                on_behalf_of=str(SCREENED_VALUE)
                if hidden and (helper or e.on_behalf_of_label)
                else _person_label(helper)
                if helper
                else e.on_behalf_of_label,
                object_kind=_model_name(e.object_type),
                object_label=object_label(e, hidden),
                object_url=object_url,
                changes=[
                    (
                        field_label(e.object_type, name),
                        *(value_text(e.object_type, name, v) for v in _pair(change)),
                    )
                    if not hidden or name in METADATA_FIELDS
                    else (field_label(e.object_type, name), "–", str(SCREENED_VALUE))
                    for name, change in (e.changes or {}).items()
                ],
                screened=hidden,
            )
        )
    return lines


_ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def value_text(object_type: str, name: str, value: Any) -> str:
    """A changed value as the reader expects it: a choice by its label, times in Oslo
    (dd.mm.yyyy hh:mm), dates dd.mm.yyyy, yes/no; – for none."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("Ja") if value else _("Nei")
    if isinstance(value, str):
        model = _model(object_type)
        if model is not None:
            try:
                choices = dict(getattr(model._meta.get_field(name), "flatchoices", None) or ())
            except FieldDoesNotExist:
                choices = {}
            if value in choices:
                return str(choices[value])
        if _ISO_TIME.match(value):
            try:
                moment = dt.datetime.fromisoformat(value)
            except ValueError:
                return value
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment, dt.UTC)
            return f"{timezone.localtime(moment):%d.%m.%Y %H:%M}"
        if _ISO_DATE.match(value):
            try:
                return f"{dt.date.fromisoformat(value):%d.%m.%Y}"
            except ValueError:
                return value
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _person_label(person: Person) -> str:
    return f"{person.full_name} ({person.organisation.abbreviation})"


def _pair(change: Any) -> tuple[Any, Any]:
    if isinstance(change, list | tuple) and len(change) == 2:
        return change[0], change[1]
    return None, change


def action_choices() -> list[tuple[str, str]]:
    """The filter's choices: every named action, by its words."""
    return sorted(((code, str(words)) for code, words in ACTIONS.items()), key=lambda c: c[1])
