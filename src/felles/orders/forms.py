"""Forms of the order pages: the list filters, the approval decision and one form per order
action. An action form validates what its service takes (lengths, choices, the quantity
rule), knows the button(s) that post it and calls the service. Who may act is the
service's own rule (`@allowed`); a required text is the service's to ask for, with its
own message."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from felles.catalog.models import Priority
from felles.core import units
from felles.core.actor import Actor
from felles.orders import selectors, services
from felles.orders.fields import DecimalInput, NorwegianDecimalField
from felles.orders.models import Order
from felles.orders.states import LABELS, Status
from felles.organisations.forms import PersonChoiceField
from felles.organisations.models import Person

# The same limit as the API's `ActionIn.text`.
TEXT_MAX = 5000
# A comment or note: long enough for any message, short enough to read in the timeline
# (the comment service refuses longer ones too).
COMMENT_MAX = services.COMMENT_MAX
# The order form's quantity rule: positive, at most 12 digits, 2 of them decimals.
QUANTITY_MESSAGE = _("Antall må være et tall over null med høyst ti sifre før og to etter komma.")


class LengthLimit:
    """At most `limit` characters, said with the numbers written as the language writes
    them («høyst 4 000 tegn (du skrev 100 000)»)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit

    def __call__(self, value: str) -> None:
        if len(value) > self.limit:
            raise forms.ValidationError(
                _("Teksten kan være høyst %(limit)s tegn (du skrev %(length)s). Gjør den kortere."),
                code="max_length",
                params={
                    "limit": number_format(self.limit, force_grouping=True),
                    "length": number_format(len(value), force_grouping=True),
                },
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LengthLimit) and other.limit == self.limit


class OrderFilterForm(forms.Form):
    STATUS_GROUPS = [
        ("", pgettext_lazy("orders", "Alle")),
        ("open", _("Åpne")),
        ("done", _("Avsluttede")),
    ] + [(s.value, _(LABELS[s])) for s in Status]
    status = forms.ChoiceField(
        label=_("Status"),
        choices=STATUS_GROUPS,
        required=False,
        widget=forms.Select(attrs={"class": "ds-input"}),
    )
    q = forms.CharField(
        label=_("Søk (nummer eller tjeneste)"),
        required=False,
        widget=forms.TextInput(attrs={"class": "ds-input", "type": "search"}),
    )


class DecisionForm(forms.Form):
    """Approve or reject a step. The decision comes from the button pressed."""

    decision = forms.ChoiceField(
        choices=[("approve", _("Godkjenn")), ("reject", _("Avvis"))],
        error_messages=dict.fromkeys(
            ("required", "invalid_choice"), _("Velg godkjenn eller avvis.")
        ),
        widget=forms.HiddenInput,
    )
    comment = forms.CharField(
        label=_("Kommentar (påkrevd ved avvisning)"),
        required=False,
        validators=[LengthLimit(2000)],
        widget=forms.Textarea(attrs={"rows": 2, "class": "ds-input"}),
    )

    def __init__(
        self, *args: Any, rows: int = 2, order: Order | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["comment"].widget.attrs["rows"] = rows
        if order is not None:  # one of many on the approvals page: say which order
            self.fields["comment"].label = _("Kommentar til %(number)s (påkrevd ved avvisning)") % {
                "number": order.number
            }

    @property
    def approve(self) -> bool:
        return bool(self.cleaned_data.get("decision") == "approve")


# --- order actions -----------------------------------------------------------------------


@dataclass(frozen=True)
class Button:
    action: str
    label: Any  # a lazily translated text
    variant: str = ""  # Designsystemet's data-variant; empty is the primary button
    color: str = ""


def _text(label: Any, rows: int = 2, limit: int = TEXT_MAX) -> forms.CharField:
    """A text area; over-long text is an error on the field (no `maxlength`, which would
    cut a pasted text short without a word)."""
    return forms.CharField(
        label=label,
        required=False,
        validators=[LengthLimit(limit)],
        widget=forms.Textarea(attrs={"class": "ds-input", "rows": rows}),
    )


class ActionForm(forms.Form):
    """One action on an order. `actions` are the values of `action` it posts; `act` calls
    the service with the cleaned data (a refusal raises `ServiceError`)."""

    actions: ClassVar[tuple[str, ...]]
    buttons: ClassVar[tuple[Button, ...]]
    layout: ClassVar[str] = "felles-stack"

    def __init__(
        self,
        data: Any = None,
        *,
        order: Order,
        offered: Collection[str] = (),
        provider_view: bool = False,
    ) -> None:
        super().__init__(data, auto_id=f"{self.actions[0].replace('_', '-')}-%s")
        self.order = order
        self.offered = offered
        self.provider_view = provider_view

    @property
    def shown_buttons(self) -> list[Button]:
        return [b for b in self.buttons if b.action in self.offered]

    @property
    def shown(self) -> bool:
        """Whether the page offers this form (one of its actions is available)."""
        return bool(self.shown_buttons)

    def act(self, actor: Actor, action: str) -> object:
        raise NotImplementedError


class TakeForm(ActionForm):
    actions = ("take",)
    buttons = (Button("take", _("Ta saken")),)
    layout = ""

    def act(self, actor: Actor, action: str) -> object:
        return services.take(actor=actor, order=self.order)


class AssignForm(ActionForm):
    actions = ("assign",)
    buttons = (Button("assign", _("Tildel"), "secondary"),)
    layout = "felles-filters"

    assignee: forms.ModelChoiceField[Person] = PersonChoiceField(
        label=_("Tildel til"),
        queryset=Person.objects.none(),
        to_field_name="uuid",
        empty_label=None,
        error_messages={
            "required": _("Velg en saksbehandler."),
            "invalid_choice": _("Velg en saksbehandler fra listen."),
        },
        widget=forms.Select(attrs={"class": "ds-input"}),
    )

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.colleagues = selectors.colleagues_for_assignment(self.order)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = self.colleagues
        field.initial = self.order.assignee

    @property
    def shown(self) -> bool:
        return super().shown and self.colleagues.exists()

    def act(self, actor: Actor, action: str) -> object:
        assignee = self.cleaned_data["assignee"]
        return services.assign(actor=actor, order=self.order, assignee=assignee)


class ResolveForm(ActionForm):
    actions = ("resolve",)
    buttons = (Button("resolve", _("Marker som levert")),)

    text = _text(_("Hva er levert?"), rows=3)
    quantity = NorwegianDecimalField(
        required=False,
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
        error_messages=dict.fromkeys(
            ("invalid", "min_value", "max_digits", "max_decimal_places", "max_whole_digits"),
            QUANTITY_MESSAGE,
        ),
        widget=DecimalInput(attrs={"class": "ds-input"}),
    )

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        field = self.fields["quantity"]
        if self.order.estimated_amount is None:  # nothing is counted: no quantity to correct
            field.widget = forms.HiddenInput()
        else:
            unit = units.unit_name(self.order.service.unit_code)
            field.label = _("Levert antall (%(unit)s)") % {"unit": unit}
            field.initial = self.order.quantity

    def act(self, actor: Actor, action: str) -> object:
        return services.resolve(
            actor=actor,
            order=self.order,
            resolution=self.cleaned_data["text"],
            quantity=self.cleaned_data["quantity"],
        )


class RequestInfoForm(ActionForm):
    actions = ("request_info",)
    buttons = (Button("request_info", _("Still spørsmål"), "secondary"),)

    text = _text(_("Spørsmål til bestilleren"))

    def act(self, actor: Actor, action: str) -> object:
        return services.request_info(
            actor=actor, order=self.order, question=self.cleaned_data["text"]
        )


class ProvideInfoForm(ActionForm):
    actions = ("provide_info",)
    buttons = (Button("provide_info", _("Send svar")),)

    text = _text(_("Ditt svar til leverandøren"), rows=3)

    def act(self, actor: Actor, action: str) -> object:
        return services.provide_info(
            actor=actor, order=self.order, answer=self.cleaned_data["text"]
        )


class ConfirmForm(ActionForm):
    actions = ("confirm",)
    buttons = (Button("confirm", _("Bekreft at alt er i orden")),)
    layout = ""

    def act(self, actor: Actor, action: str) -> object:
        return services.confirm(actor=actor, order=self.order)


class ReopenForm(ActionForm):
    actions = ("reopen",)
    buttons = (Button("reopen", _("Gjenåpne"), "secondary"),)

    text = _text(_("Ikke løst? Skriv hva som mangler"))

    def act(self, actor: Actor, action: str) -> object:
        return services.reopen(actor=actor, order=self.order, reason=self.cleaned_data["text"])


class RateForm(ActionForm):
    actions = ("rate",)
    buttons = (Button("rate", _("Send vurdering")),)

    score = forms.TypedChoiceField(
        label=_("Hvor fornøyd er du med leveransen? (1 = svært misfornøyd, 5 = svært fornøyd)"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        error_messages={
            "required": _("Velg en vurdering fra 1 til 5."),
            "invalid_choice": _("Velg en vurdering fra 1 til 5."),
        },
        widget=forms.RadioSelect(attrs={"class": "ds-input"}),
    )
    text = _text(_("Kommentar (valgfritt)"))

    def act(self, actor: Actor, action: str) -> object:
        return services.rate(
            actor=actor,
            order=self.order,
            score=self.cleaned_data["score"],
            comment_text=self.cleaned_data["text"],
        )


class PriorityForm(ActionForm):
    actions = ("priority",)
    buttons = (Button("priority", _("Endre prioritet"), "secondary"),)
    layout = "felles-filters"

    priority = forms.ChoiceField(
        label=_("Prioritet"),
        choices=Priority.choices,
        error_messages=dict.fromkeys(
            ("required", "invalid_choice"), _("Velg en prioritet fra listen.")
        ),
        widget=forms.Select(attrs={"class": "ds-input"}),
    )

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["priority"].initial = self.order.priority

    def act(self, actor: Actor, action: str) -> object:
        priority = self.cleaned_data["priority"]
        return services.change_priority(actor=actor, order=self.order, priority=priority)


class CommentForm(ActionForm):
    """A comment both sides see, or (the provider's staff) an internal note."""

    actions = ("comment", "note")
    buttons = (
        Button("comment", _("Legg til kommentar"), "secondary"),
        Button("note", _("Lagre som internt notat"), "tertiary"),
    )

    text = _text(_("Kommentar"), rows=3, limit=COMMENT_MAX)

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        if self.provider_view:
            self.fields["text"].label = _("Kommentar (synlig for bestilleren)")

    def act(self, actor: Actor, action: str) -> object:
        text = self.cleaned_data["text"]
        return services.comment(actor=actor, order=self.order, text=text, internal=action == "note")


class CancelForm(ActionForm):
    actions = ("cancel",)
    buttons = (Button("cancel", _("Kanseller bestillingen"), "tertiary", "danger"),)
    layout = ""

    def act(self, actor: Actor, action: str) -> object:
        return services.cancel(actor=actor, order=self.order)


# In the order the page shows them.
ACTION_FORMS: tuple[type[ActionForm], ...] = (
    TakeForm,
    AssignForm,
    ResolveForm,
    RequestInfoForm,
    ProvideInfoForm,
    ConfirmForm,
    ReopenForm,
    RateForm,
    PriorityForm,
    CommentForm,
    CancelForm,
)
FORM_FOR: dict[str, type[ActionForm]] = {a: f for f in ACTION_FORMS for a in f.actions}


def action_forms(
    order: Order, offered: Collection[str], *, provider_view: bool
) -> list[ActionForm]:
    """The unbound forms of the actions the page offers (`selectors.available_actions`)."""
    built = (f(order=order, offered=offered, provider_view=provider_view) for f in ACTION_FORMS)
    return [form for form in built if form.shown]
