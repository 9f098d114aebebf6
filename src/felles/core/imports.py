"""The page flow every import in Felles shares: upload → dry run (every row error shown,
nothing written) → confirm → import.

The uploaded file is kept in storage between the dry run and the confirmation
(`core.uploads`) and is validated again on confirmation, since the data may have changed
in between. Each import supplies what differs: its form, how to plan from an upload or
from what was stashed, how to apply, and what to tell the user."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django import forms
from django.contrib import messages
from django.db import DataError, IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from felles.core import uploads
from felles.core.errors import Forbidden, RefusedByService
from felles.core.services import ServiceError
from felles.core.tabular import ImportFileError


class Plan(Protocol):
    @property
    def ok(self) -> bool: ...


@dataclass
class ImportFlow:
    session_key: str
    template: str
    url_name: str  # where to go after an import or an expired confirmation
    make_form: Callable[..., forms.Form]  # called with (data, files) or with nothing
    plan_upload: Callable[[dict[str, Any], bytes, str], Any]  # cleaned data, content, name
    stash_meta: Callable[[Any], dict[str, Any]]  # what to remember about a plan
    plan_stashed: Callable[[dict[str, Any], bytes], Any]  # stashed meta, content
    apply: Callable[[Any], None]
    done_message: Callable[[Any], str]
    has_work: Callable[[Any], bool] = lambda plan: True
    context: dict[str, Any] = field(default_factory=dict)

    def _page(self, request: HttpRequest, status: int, **extra: Any) -> HttpResponse:
        return render(request, self.template, {**self.context, **extra}, status=status)

    def handle(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and "confirm" in request.POST:
            return self._confirm(request)
        form = (
            self.make_form(request.POST, request.FILES)
            if request.method == "POST"
            else self.make_form()
        )
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                content = uploads.read_upload(upload)
                plan = self.plan_upload(form.cleaned_data, content, upload.name)
            except ImportFileError as exc:
                form.add_error("file", exc.message)
            else:
                token = ""
                if plan.ok and self.has_work(plan):
                    token = uploads.stash(
                        request,
                        self.session_key,
                        content,
                        filename=upload.name,
                        **self.stash_meta(plan),
                    )
                return self._page(
                    request,
                    200 if plan.ok else 422,
                    form=self.make_form(),
                    plan=plan,
                    token=token,
                    filename=upload.name,
                )
        return self._page(request, 422 if form.errors else 200, form=form)

    def _confirm(self, request: HttpRequest) -> HttpResponse:
        stashed = uploads.take(request, self.session_key, request.POST["confirm"])
        if stashed is None:
            messages.error(
                request, "Importen er utløpt eller allerede gjennomført. Last opp filen på nytt."
            )
            return redirect(self.url_name)
        content, meta = stashed
        try:
            plan = self.plan_stashed(meta, content)
            if plan.ok:
                self.apply(plan)
        except Forbidden as exc:  # the service refused this user: the 403 page
            raise RefusedByService(exc.message) from exc
        except ServiceError as exc:
            # Validated again, but the data may have changed since the dry run: nothing is
            # written (every apply is one transaction) and the user learns why.
            messages.error(request, f"Importen ble ikke gjennomført: {exc.message}")
            return redirect(self.url_name)
        except (IntegrityError, DataError):
            # Someone imported the same rows at the same moment; the transaction was
            # rolled back whole.
            messages.error(
                request,
                "Importen ble ikke gjennomført: de samme radene ble lagret av noen andre i "
                "samme øyeblikk. Last opp filen på nytt for å se hva som gjenstår.",
            )
            return redirect(self.url_name)
        if plan.ok:
            messages.success(request, self.done_message(plan))
            return redirect(self.url_name)
        return self._page(request, 422, form=self.make_form(), plan=plan, filename=meta["filename"])
