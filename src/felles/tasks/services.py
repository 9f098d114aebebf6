"""Writes for task checklists: the provider's managers add a service's task template from
a date; an order gets its tasks when it reaches the provider; the provider's staff take,
assign, complete and skip them (docs/tasks.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from felles.catalog import selectors as catalog_selectors
from felles.catalog.models import Service
from felles.core import audit, calendar
from felles.core.actor import Actor
from felles.core.services import SYSTEM_ONLY, Conflict, ServiceError, allowed
from felles.core.types import AnyUser
from felles.core.validators import DATE_RANGE_MESSAGE, control_character, date_in_range
from felles.orders import queue as order_queue
from felles.orders.models import Order
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Person
from felles.tasks import selectors
from felles.tasks.models import (
    NAME_MAX,
    OFFSET_MAX,
    TEAM_MAX,
    TEXT_MAX,
    OrderTask,
    TaskTemplate,
    TemplateTask,
)

MAX_TASKS = 30
FIELDS = ("name_nb", "name_en", "step_nb", "step_en", "team", "required", "offset_days")


@dataclass(frozen=True)
class TaskSpec:
    """One task of a template as a manager wrote it."""

    name_nb: str
    step_nb: str
    name_en: str = ""
    step_en: str = ""
    team: str = ""
    required: bool = True
    offset_days: int | None = None


def _spec_fields(spec: TaskSpec) -> dict[str, Any]:
    texts = ("name_nb", "name_en", "step_nb", "step_en", "team")
    return {
        **{name: getattr(spec, name).strip() for name in texts},
        "required": spec.required,
        "offset_days": spec.offset_days,
    }


def _maintains(user: AnyUser, service: Service, **_: Any) -> bool:
    """The provider's managers (and administrators): the rule of maintaining the service
    and its service level."""
    return catalog_selectors.managed_services(user).filter(pk=service.pk).exists()


def spec_errors(specs: Sequence[TaskSpec]) -> list[str]:
    """What is wrong with the tasks, one bokmål line each («Oppgave 2: …»)."""
    errors: list[str] = []
    if not specs:
        errors.append(_("Legg inn minst én oppgave."))
    if len(specs) > MAX_TASKS:
        errors.append(_("Høyst %(max)s oppgaver.") % {"max": MAX_TASKS})
    limits = {"name_nb": NAME_MAX, "name_en": NAME_MAX, "step_nb": NAME_MAX, "step_en": NAME_MAX}
    for n, spec in enumerate(specs, start=1):
        prefix = _("Oppgave %(n)s") % {"n": n}
        if not spec.name_nb.strip():
            errors.append(_("%(task)s: skriv navnet på oppgaven.") % {"task": prefix})
        if not spec.step_nb.strip():
            errors.append(_("%(task)s: skriv steget slik kunden ser det.") % {"task": prefix})
        for name, limit in {**limits, "team": TEAM_MAX}.items():
            value = getattr(spec, name)
            char = control_character(value)
            if char is not None:
                errors.append(
                    _("%(task)s: teksten inneholder et ugyldig kontrolltegn (%(code)s).")
                    % {"task": prefix, "code": f"U+{ord(char):04X}"}
                )
            elif len(value) > limit:
                errors.append(_("%(task)s: høyst %(max)s tegn.") % {"task": prefix, "max": limit})
        if spec.offset_days is not None and not 0 <= spec.offset_days <= OFFSET_MAX:
            errors.append(
                _("%(task)s: fristen må være mellom 0 og %(max)s virkedager.")
                % {"task": prefix, "max": OFFSET_MAX}
            )
    return errors


@allowed(_maintains, "Bare leverandørens ledere endrer oppgavemalen.")
def add_template(
    *, actor: Actor, service: Service, valid_from: dt.date, tasks: Sequence[TaskSpec]
) -> TaskTemplate:
    """A new task template from `valid_from` (today at the earliest, after every existing
    one); the open template before it ends the day before. Orders keep the tasks they were
    given: a template is copied when an order reaches the provider."""
    errors: dict[str, list[str]] = {}
    task_errors = spec_errors(tasks)
    if task_errors:
        errors["tasks"] = task_errors
    if not date_in_range(valid_from):
        errors["valid_from"] = [str(DATE_RANGE_MESSAGE)]
    elif valid_from < timezone.localdate():
        errors["valid_from"] = [_("En ny oppgavemal kan tidligst gjelde fra i dag.")]
    if errors:
        raise ServiceError(_("Oppgavemalen ble ikke lagret."), errors)
    try:
        with transaction.atomic():
            # The service row is the lock: of two managers saving at once, one wins.
            Service.objects.select_for_update().get(pk=service.pk)
            latest = TaskTemplate.objects.filter(service=service).order_by("-valid_from").first()
            if latest is not None and valid_from <= latest.valid_from:
                raise Conflict(
                    _("En ny oppgavemal må gjelde fra etter %(day)s.")
                    % {"day": f"{latest.valid_from:%d.%m.%Y}"},
                    {"valid_from": [_("Velg en senere dato.")]},
                )
            if latest is not None and latest.valid_to is None:
                latest.valid_to = valid_from - dt.timedelta(days=1)
                latest.save(update_fields=["valid_to", "updated_at"])
                audit.record(
                    actor=actor,
                    action="tasks.template.close",
                    obj=latest,
                    changes={"valid_to": [None, latest.valid_to.isoformat()]},
                )
            template = TaskTemplate.objects.create(service=service, valid_from=valid_from)
            rows = [
                TemplateTask(template=template, position=n, **_spec_fields(s))
                for n, s in enumerate(tasks, start=1)
            ]
            TemplateTask.objects.bulk_create(rows)
            audit.record(
                actor=actor,
                action="tasks.template.create",
                obj=template,
                changes={
                    "valid_from": [None, valid_from.isoformat()],
                    "tasks": [None, [{f: getattr(r, f) for f in FIELDS} for r in rows]],
                },
            )
    except IntegrityError as exc:  # the same start date from a concurrent request
        raise Conflict(
            _("En annen oppgavemal ble lagret samtidig. Last siden på nytt."),
            {"valid_from": [_("Velg en senere dato.")]},
        ) from exc
    return template


def due_date(start: dt.date, offset_days: int | None) -> dt.date | None:
    """A task's due date: `offset_days` working days after the order's start (the day it
    reached the provider) on the Norwegian business calendar; offset 0 is the start day
    itself, or the next working day when the start is not one."""
    if offset_days is None:
        return None
    if offset_days == 0:
        return start if calendar.is_working_day(start) else calendar.add_working_days(start, 1)
    return calendar.add_working_days(start, offset_days)


def create_order_tasks(order: Order) -> list[OrderTask]:
    """Copy the template valid today (the day the order reached the provider) to the order
    (handles `orders.events.order_queued`, in the order's transaction). Derived from the
    template like the SLA from the history, so not audited on its own: the order's
    «Sendt til leverandøren» event is. Idempotent: an order that has tasks keeps them."""
    if order.container or OrderTask.objects.filter(order=order).exists():
        return []  # a container (a bundle's parent) is no work: its children have tasks
    start = timezone.localdate()
    template = selectors.template_on(order.service, start)
    if template is None:
        return []
    rows = [
        OrderTask(
            order=order,
            template=template,
            due_on=due_date(start, t.offset_days),
            **{f: getattr(t, f) for f in ("position", *FIELDS)},
        )
        for t in template.tasks.all()
    ]
    return OrderTask.objects.bulk_create(rows)


# --- the provider's staff work on the tasks ----------------------------------------------

STAFF_ONLY = "Bare leverandørens saksbehandlere arbeider med oppgavene."


def _staff(user: AnyUser, *, task: OrderTask, **_: Any) -> bool:
    return selectors.may_work_on(user, task.order)


def _acting(actor: Actor, person: Person | None) -> Person:
    if person is None and actor.user is not None:
        person = org_selectors.person_for(actor.user)
    if person is None:
        raise TypeError("A system actor must name the person acting.")
    return person


def _change(
    actor: Actor, task: OrderTask, action: str, *, from_open: bool = True, **fields: Any
) -> OrderTask:
    """Set `fields` on the task if it is still open (a conditional update: of two agents
    finishing the same task, one wins), with the order row locked first as every order
    service does, so resolving the order and finishing its last task queue up."""
    with transaction.atomic():
        order = Order.objects.select_for_update(of=("self",)).get(pk=task.order_id)
        if order.status not in selectors.WORKING_STATES:
            raise Conflict(_("Bestillingen er ikke lenger åpen for arbeid."))
        current = OrderTask.objects.filter(pk=task.pk)
        if from_open:
            current = current.filter(status=OrderTask.Status.OPEN)
        before = {k: audit.to_json_value(getattr(task, k)) for k in fields}
        if not current.update(updated_at=timezone.now(), **fields):
            raise Conflict(_("Oppgaven er allerede ferdig. Last siden på nytt."))
        task.refresh_from_db()
        audit.record(
            actor=actor,
            action=f"tasks.task.{action}",
            obj=task,
            changes={k: [before[k], audit.to_json_value(getattr(task, k))] for k in fields},
            organisation_id=order.ministry_id,
        )
    return task


@allowed(_staff, STAFF_ONLY)
def take(*, actor: Actor, task: OrderTask, agent: Person | None = None) -> OrderTask:
    return _change(actor, task, "take", assignee=_acting(actor, agent))


@allowed(_staff, STAFF_ONLY)
def assign(
    *, actor: Actor, task: OrderTask, assignee: Person | None, agent: Person | None = None
) -> OrderTask:
    _acting(actor, agent)
    colleagues = order_queue.colleagues_by_pair([task.order]).get(
        order_queue.pair_of(task.order), []
    )
    if assignee is None or assignee.pk not in {p.pk for p in colleagues}:
        raise ServiceError(
            _("Oppgaven kan bare tildeles saksbehandlere hos leverandøren."),
            {"assignee": [_("Velg en saksbehandler.")]},
        )
    return _change(actor, task, "assign", assignee=assignee)


@allowed(_staff, STAFF_ONLY)
def complete(*, actor: Actor, task: OrderTask, agent: Person | None = None) -> OrderTask:
    agent = _acting(actor, agent)
    return _change(
        actor,
        task,
        "complete",
        status=OrderTask.Status.DONE,
        finished_by=agent,
        finished_at=timezone.now(),
    )


@allowed(_staff, STAFF_ONLY)
def skip(*, actor: Actor, task: OrderTask, reason: str, agent: Person | None = None) -> OrderTask:
    agent = _acting(actor, agent)
    reason = reason.strip()
    char = control_character(reason, multiline=True)
    if not reason:
        raise ServiceError(
            _("Skriv hvorfor oppgaven hoppes over."), {"reason": [_("Må fylles ut.")]}
        )
    if char is not None or len(reason) > TEXT_MAX:
        raise ServiceError(
            _("Begrunnelsen kan ikke lagres."),
            {"reason": [_("Høyst %(max)s tegn, uten kontrolltegn.") % {"max": TEXT_MAX}]},
        )
    return _change(
        actor,
        task,
        "skip",
        status=OrderTask.Status.SKIPPED,
        note=reason,
        finished_by=agent,
        finished_at=timezone.now(),
    )


@allowed(SYSTEM_ONLY, "Oppgavemaler sås bare av systemet.")
def seed_templates(
    *, actor: Actor, templates: dict[str, list[TaskSpec]], valid_from: dt.date
) -> int:
    """Templates for the services named by code that have none yet (demo and seeding: the
    start date may lie in the past). Returns how many were created."""
    created = 0
    with transaction.atomic():
        for code, specs in templates.items():
            service = Service.objects.filter(code=code).first()
            if service is None or TaskTemplate.objects.filter(service=service).exists():
                continue
            if spec_errors(specs):
                raise ServiceError(
                    _("Oppgavemalen ble ikke lagret."), {"tasks": spec_errors(specs)}
                )
            template = TaskTemplate.objects.create(service=service, valid_from=valid_from)
            TemplateTask.objects.bulk_create(
                TemplateTask(template=template, position=n, **_spec_fields(s))
                for n, s in enumerate(specs, start=1)
            )
            audit.record(
                actor=actor,
                action="tasks.template.create",
                obj=template,
                changes={"valid_from": [None, valid_from.isoformat()]},
            )
            created += 1
    return created
