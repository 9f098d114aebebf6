"""Forms for task checklists: a service's task template, one task per line."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from felles.tasks.services import TaskSpec

OPTIONAL = {"valgfri", "nei", "optional", "no"}
REQUIRED = {"", "påkrevd", "ja", "required", "yes"}


def parse_lines(text: str) -> tuple[list[TaskSpec], list[str]]:
    """One task per line: «navn | steg for kunden | team | påkrevd/valgfri | virkedager |
    English name | English step»; the first two are required. Returns the tasks and what
    is wrong, one bokmål line each."""
    specs: list[TaskSpec] = []
    errors: list[str] = []
    lines = [line for line in text.splitlines() if line.strip()]
    for n, line in enumerate(lines, start=1):
        parts = [p.strip() for p in line.split("|")]
        parts += [""] * (7 - len(parts))
        name, step, team, required, offset, name_en, step_en = parts[:7]
        prefix = _("Linje %(n)s") % {"n": n}
        if len(line.split("|")) > 7:
            errors.append(_("%(line)s: høyst sju felt skilt med |.") % {"line": prefix})
            continue
        if required.lower() not in REQUIRED | OPTIONAL:
            errors.append(_("%(line)s: skriv «påkrevd» eller «valgfri».") % {"line": prefix})
            continue
        days: int | None = None
        if offset:
            if not (offset.isascii() and offset.isdigit()) or len(offset) > 4:
                errors.append(
                    _("%(line)s: fristen er et helt antall virkedager (0 eller mer).")
                    % {"line": prefix}
                )
                continue
            days = int(offset)
        specs.append(
            TaskSpec(
                name_nb=name,
                step_nb=step,
                name_en=name_en,
                step_en=step_en,
                team=team,
                required=required.lower() not in OPTIONAL,
                offset_days=days,
            )
        )
    return specs, errors


def as_lines(tasks: Any) -> str:
    """A template's tasks as the form's lines (to start the next version from)."""
    return "\n".join(
        " | ".join(
            [
                t.name_nb,
                t.step_nb,
                t.team,
                "påkrevd" if t.required else "valgfri",
                "" if t.offset_days is None else str(t.offset_days),
                t.name_en,
                t.step_en,
            ]
        ).rstrip(" |")
        for t in tasks
    )


class TemplateForm(forms.Form):
    valid_from = forms.DateField(
        label=gettext_lazy("Gyldig fra"),
        widget=forms.DateInput(attrs={"type": "date", "class": "ds-input"}),
    )
    tasks = forms.CharField(
        label=gettext_lazy("Oppgaver, én per linje"),
        help_text=gettext_lazy(
            "navn | steg for kunden | team eller rolle | påkrevd eller valgfri | frist i "
            "virkedager fra start | navn på engelsk | steg på engelsk"
        ),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8, "class": "ds-input"}),
    )

    def clean_tasks(self) -> list[TaskSpec]:
        specs, errors = parse_lines(self.cleaned_data["tasks"])
        if errors:
            raise forms.ValidationError(errors)
        return specs


class TaskActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[(a, a) for a in ("take", "assign", "complete", "skip")],
    )
    reason = forms.CharField(required=False, max_length=2000)
    assignee = forms.UUIDField(required=False)
