"""HR writes: a recruitment's key dates and Jobbnorge reference, and the salary-change
message to DFØ (placed as an order of its own service, «Lønnsendring til DFØ», with DFØ's
case reference recorded by DSS). The imports are in hr.importing."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from felles.core import audit
from felles.core.actor import Actor
from felles.core.services import ServiceError, allowed
from felles.core.types import AnyUser
from felles.core.validators import control_character, control_character_message, date_in_range
from felles.hr import selectors
from felles.hr.models import Recruitment, SalaryChange
from felles.orders import services as order_services
from felles.orders.models import Order
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Person

RECRUITMENT_SERVICES = ("hr-rekruttering", "hr-toppleder")
SALARY_SERVICE = "hr-lonnsendring"
RECRUITMENT_FIELDS = (
    "jobbnorge_ref",
    "announced_on",
    "deadline_on",
    "interviews_on",
    "offer_on",
    "accepted_on",
)
# The key dates in the order they happen.
DATE_ORDER = ("announced_on", "deadline_on", "interviews_on", "offer_on", "accepted_on")
PROVIDER_ONLY = gettext_lazy("Bare DSS' HR-team som betjener departementet, fører dette.")


def handles(user: AnyUser, order: Order) -> bool:
    """DSS's HR team for the order's ministry, or the provider's staff serving it."""
    reach = selectors.hr_team_reach(user)
    if reach is None or order.ministry_id in reach:
        return True
    return org_selectors.serves(user, order.service.provider_id, order.ministry_id)


def _handles(user: AnyUser, *, order: Order, **_: Any) -> bool:
    return handles(user, order)


@allowed(_handles, PROVIDER_ONLY)
def save_recruitment(*, actor: Actor, order: Order, values: dict[str, Any]) -> Recruitment:
    """The recruitment record of an order for recruitment: the Jobbnorge reference and the
    key dates, which must come in order (announced ≤ deadline ≤ interviews ≤ offer ≤
    accepted). Created on the first save."""
    if order.service.code not in RECRUITMENT_SERVICES:
        raise ServiceError(_("Bestillingen gjelder ikke rekruttering."))
    ref = (values.get("jobbnorge_ref") or "").strip()
    errors: dict[str, list[str]] = {}
    char = control_character(ref)
    if char is not None:
        errors["jobbnorge_ref"] = [control_character_message(char)]
    elif len(ref) > 20:
        errors["jobbnorge_ref"] = [_("Høyst 20 tegn.")]
    dates = [(f, values.get(f)) for f in DATE_ORDER if values.get(f)]
    for (_first, a), (second, b) in itertools.pairwise(dates):
        if b < a:
            errors.setdefault(second, []).append(
                _("Kan ikke ligge før %(date)s.") % {"date": f"{a:%d.%m.%Y}"}
            )
    if values.get("accepted_on") and not ref:
        errors.setdefault("jobbnorge_ref", []).append(
            _("Oppgi Jobbnorge-referansen før tilbudet registreres som akseptert.")
        )
    if errors:
        raise ServiceError(_("Rekrutteringen ble ikke lagret."), errors)
    with transaction.atomic():
        record = Recruitment.objects.select_for_update().filter(order=order).first()
        before = audit.snapshot(record, RECRUITMENT_FIELDS) if record else None
        if record is None:
            record = Recruitment(order=order)
        record.jobbnorge_ref = ref
        for name in DATE_ORDER:
            setattr(record, name, values.get(name) or None)
        audit.save_audited(
            record,
            actor=actor,
            fields=RECRUITMENT_FIELDS,
            before=before,
            action="hr.recruitment." + ("create" if before is None else "change"),
        )
    return record


def _may_send(user: AnyUser, *, orderer: Person, person: Person, **_: Any) -> bool:
    access = org_selectors.access_for(user)
    return (
        orderer.user_id == user.pk
        and person.organisation_id == orderer.organisation_id
        and any(access.has_role(r, orderer.organisation_id) for r in selectors.READERS)
    )


# The order form's choice for each kind of change (the catalogue's «Endring» field holds
# the bokmål text, whatever language the sender reads).
KIND_CHOICES = {
    SalaryChange.Kind.NEW_SALARY: "Ny lønn (lønnstrinn eller kronebeløp)",
    SalaryChange.Kind.ALLOWANCE: "Tillegg, nytt eller endret",
    SalaryChange.Kind.ALLOWANCE_END: "Tillegg som opphører",
    SalaryChange.Kind.PERCENTAGE: "Endret stillingsprosent",
}
SALARY_STEP_MAX = 101  # the state salary scale (lønnstrinn 1–101)
AMOUNT_MAX = Decimal("100000000")
EMPLOYEE_NUMBER = re.compile(r"[0-9]{1,12}")


def _salary_values(
    *,
    kind: str,
    effective_on: dt.date | None,
    employee_number: str,
    salary_step: int | None,
    amount: Decimal | None,
    reason: str,
    percentage: Decimal | None = None,
) -> tuple[str, str]:
    """The message's values checked (clear errors in bokmål); the employee number and the
    reason, stripped."""
    errors: dict[str, list[str]] = {}
    if kind not in SalaryChange.Kind.values:
        errors["kind"] = [_("Velg en endring.")]
    if effective_on is None or not date_in_range(effective_on):
        errors["effective_on"] = [_("Oppgi en dato mellom 1.1.2000 og 31.12.2100.")]
    employee_number = (employee_number or "").strip()
    if not EMPLOYEE_NUMBER.fullmatch(employee_number):
        errors["employee_number"] = [_("Ansattnummeret i DFØ er 1–12 sifre.")]
    if salary_step is not None and not 1 <= salary_step <= SALARY_STEP_MAX:
        errors["salary_step"] = [
            _("Lønnstrinnet må ligge mellom 1 og %(max)s.") % {"max": SALARY_STEP_MAX}
        ]
    if amount is not None and not Decimal(0) <= amount <= AMOUNT_MAX:
        errors["amount"] = [_("Beløpet må ligge mellom 0 og 100 000 000 kroner.")]
    if kind == SalaryChange.Kind.NEW_SALARY and salary_step is None and amount is None:
        errors["salary_step"] = [_("Oppgi nytt lønnstrinn eller nytt beløp.")]
    if kind == SalaryChange.Kind.ALLOWANCE and amount is None and "amount" not in errors:
        errors["amount"] = [_("Oppgi tilleggets beløp (kroner per år).")]
    if percentage is not None and (
        not percentage.is_finite()
        or not Decimal(0) <= percentage <= Decimal(100)
        or percentage != percentage.quantize(Decimal("0.01"))
    ):
        errors["percentage"] = [
            _("Stillingsprosenten må ligge mellom 0 og 100, høyst to desimaler.")
        ]
    elif kind == SalaryChange.Kind.PERCENTAGE and percentage is None:
        errors["percentage"] = [_("Oppgi ny stillingsprosent.")]
    reason = (reason or "").strip()
    char = control_character(reason, multiline=True)
    if not reason:
        errors["reason"] = [_("Begrunn endringen.")]
    elif char is not None:
        errors["reason"] = [control_character_message(char)]
    elif len(reason) > 2000:
        errors["reason"] = [_("Høyst 2000 tegn.")]
    if errors:
        raise ServiceError(_("Lønnsendringen ble ikke sendt."), errors)
    return employee_number, reason


@allowed(
    _may_send,
    gettext_lazy("Bare departementets ledere sender lønnsendringer, for egne ansatte."),
)
def send_salary_change(
    *,
    actor: Actor,
    orderer: Person,
    person: Person,
    kind: str,
    effective_on: dt.date,
    employee_number: str,
    reason: str,
    salary_step: int | None = None,
    amount: Decimal | None = None,
    percentage: Decimal | None = None,
) -> SalaryChange:
    """A salary-change message to DFØ: an order of the service «Lønnsendring til DFØ»
    (`hr-lonnsendring`) for the employee, on its own form (employee number, kind, date, new
    salary step or amount, reason), with its approval, queue and SLA as for any order; the
    change links to that order. Bad values save nothing."""
    employee_number, reason = _salary_values(
        kind=kind,
        effective_on=effective_on,
        employee_number=employee_number,
        salary_step=salary_step,
        amount=amount,
        reason=reason,
        percentage=percentage,
    )
    service = selectors.service_by_code(SALARY_SERVICE)
    if service is None:
        raise ServiceError(_("Tjenesten «Lønnsendring til DFØ» finnes ikke i katalogen."))
    values: dict[str, Any] = {
        "gjelder": {"id": str(person.uuid), "name": person.full_name},
        "ansattnummer": employee_number,
        "endring": KIND_CHOICES[SalaryChange.Kind(kind)],
        "gjelder_fra": effective_on.isoformat(),
        "lonnstrinn": salary_step,
        "belop": None if amount is None else str(amount),
        "stillingsprosent": None if percentage is None else str(percentage),
        "begrunnelse": reason,
    }
    answers = {
        f.key: {"label": f.label_nb, "label_en": f.label_en, "value": values.get(f.key)}
        for f in service.fields.all()
    }
    with transaction.atomic():
        order = order_services.submit_order(
            actor=actor, orderer=orderer, service=service, answers=answers, beneficiary=person
        )
        change = SalaryChange.objects.create(
            order=order, kind=kind, effective_on=effective_on, percentage=percentage
        )
        audit.record(
            actor=actor,
            action="hr.salary_change.send",
            obj=change,
            changes={
                "kind": [None, kind],
                "effective_on": [None, effective_on.isoformat()],
                **({"percentage": [None, str(percentage)]} if percentage is not None else {}),
            },
            organisation_id=order.ministry_id,
        )
    return change


def _handles_change(user: AnyUser, *, change: SalaryChange, **_: Any) -> bool:
    return handles(user, change.order)


@allowed(_handles_change, PROVIDER_ONLY)
def record_dfo_reference(
    *, actor: Actor, change: SalaryChange, reference: str, sent_on: dt.date
) -> SalaryChange:
    """DSS has sent the message to DFØ: DFØ's case reference and the date."""
    reference = reference.strip()
    char = control_character(reference)
    if not reference or char is not None or len(reference) > 40:
        raise ServiceError(
            _("DFØ-saksnummeret ble ikke lagret."),
            {
                "dfo_reference": [
                    control_character_message(char)
                    if char
                    else _("Oppgi saksnummeret (høyst 40 tegn).")
                ]
            },
        )
    with transaction.atomic():
        before = audit.snapshot(change, ("dfo_reference", "sent_on"))
        change.dfo_reference, change.sent_on = reference, sent_on
        audit.save_audited(
            change,
            actor=actor,
            fields=("dfo_reference", "sent_on"),
            before=before,
            action="hr.salary_change.reference",
        )
    return change
