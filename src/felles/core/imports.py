"""The page flow every import in Felles shares: upload → dry run (every row error shown,
nothing written) → confirm → import.

The uploaded file is kept in storage between the dry run and the confirmation
(`core.uploads`) and is validated again on confirmation, since the data may have changed
in between. Each import supplies what differs: its form, how to plan from an upload or
from what was stashed, how to apply, and what to tell the user.

A large file is imported in the background (`Background`): the confirmation stores the
file under a random name, queues one job of kind `core.import` and leads to the import's
job page, which shows the job's progress (polled with htmx, or refreshed without script)
and then its result. The job validates the file again and runs the import's registered
`BackgroundRun` with the user who confirmed it, in their language; the file is removed
when the job is over. Every import with a background path shares this one job kind."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DataError, IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation

from felles.core import jobs, uploads
from felles.core.actor import Actor
from felles.core.errors import Forbidden, RefusedByService
from felles.core.models import Job
from felles.core.services import ServiceError
from felles.core.tabular import ImportFileError, RowError

logger = logging.getLogger(__name__)
JOB_KIND = "core.import"
# Rows shown on a result page; the count says how many there were in all.
MAX_RESULT_ERRORS = 500


class Plan(Protocol):
    @property
    def ok(self) -> bool: ...


# --- Background imports ------------------------------------------------------------------

Progress = Callable[[int, int, str], None]
# (stashed meta, file content, actor, progress) → result for the job page: see `result`.
BackgroundRun = Callable[[dict[str, Any], bytes, Actor, Progress], dict[str, Any]]
_RUNS: dict[str, BackgroundRun] = {}


def register(name: str, run: BackgroundRun) -> None:
    """Make an import runnable in the background under `name` (e.g. "organisations")."""
    _RUNS[name] = run


def result(
    *,
    counts: dict[str, int] | None = None,
    errors: list[RowError] | None = None,
    message: str = "",
    reason: str = "",
) -> dict[str, Any]:
    """What a `BackgroundRun` returns: the counts of what was written, kept on the job for
    its result page. An import refused for row `errors`, with a service's `message` or for
    a `reason` the page puts in words ("file_gone", "user_gone", "conflict") wrote
    nothing."""
    errors = errors or []
    return {
        "outcome": "refused" if errors or message or reason else "done",
        "reason": reason,
        "counts": counts or {},
        "errors": [
            {"row": e.row, "column": e.column, "message": e.message}
            for e in errors[:MAX_RESULT_ERRORS]
        ],
        "error_count": len(errors),
        "message": message,
    }


@dataclass(frozen=True)
class Background:
    """How an `ImportFlow` runs large files: `name` as given to `register`, the job page's
    URL name (it takes `job_id`), and from how many rows (`rows(plan)`) a file goes to
    the background (FELLES_IMPORT_BACKGROUND_ROWS, 500 unless set)."""

    name: str
    job_url_name: str
    rows: Callable[[Any], int]
    min_rows: int | None = None

    def threshold(self) -> int:
        if self.min_rows is not None:
            return self.min_rows
        return int(getattr(settings, "FELLES_IMPORT_BACKGROUND_ROWS", 500))


def start(name: str, content: bytes, meta: dict[str, Any], *, actor: Actor) -> Job:
    """Store the file under a random name and queue the job that imports it as `actor` (a
    user), in the current language; at once, since the caller leads to its page."""
    if name not in _RUNS:
        raise ValueError(f"Unknown background import: {name}")
    if actor.user is None:
        raise ValueError("A background import runs as a user.")
    path = default_storage.save(f"imports/jobs/{uuid.uuid4().hex}.bin", ContentFile(content))
    return Job.objects.create(
        kind=JOB_KIND,
        payload={
            "import": name,
            "file": path,
            "meta": meta,
            "user": actor.user.pk,
            "request_id": actor.request_id,
            "language": translation.get_language() or settings.LANGUAGE_CODE,
        },
        created_by_label=actor.label,
    )


@jobs.handler(JOB_KIND)
def _run_import(payload: dict[str, Any], log: Callable[[str], None]) -> dict[str, Any]:
    job = jobs.current_job()
    path = payload["file"]
    last_attempt = job is None or job.attempts >= job.max_attempts
    try:
        with default_storage.open(path, "rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        return result(reason="file_gone")
    user = get_user_model().objects.filter(pk=payload["user"], is_active=True).first()
    done = True
    try:
        with translation.override(payload.get("language") or settings.LANGUAGE_CODE):
            if user is None:
                return result(reason="user_gone")
            actor = Actor(user=user, request_id=payload.get("request_id") or uuid.uuid4().hex)

            def progress(count: int, total: int, label: str) -> None:
                jobs.report_progress(job, count, total, label)

            try:
                outcome = _RUNS[payload["import"]](payload["meta"], content, actor, progress)
            except ImportFileError as exc:
                outcome = result(message=exc.message)
            except ServiceError as exc:  # refused (Forbidden too): nothing more was written
                outcome = result(message=exc.message)
            except (IntegrityError, DataError):
                outcome = result(reason="conflict")  # rolled back, see `_confirm`
            log(f"{payload['import']}: {outcome['outcome']} {outcome['counts']}")
            return outcome
    except Exception:
        done = last_attempt  # retried: keep the file for the next attempt
        raise
    finally:
        if done:
            default_storage.delete(path)


def job_page(
    request: HttpRequest,
    job_id: uuid.UUID,
    name: str,
    template: str,
    partial_template: str,
    **context: Any,
) -> HttpResponse:
    """The page of a background import: its progress while it is queued or running, then
    its result; htmx's polling gets `partial_template` (the part that changes). Only the
    person who started it sees it; anyone else gets 404."""
    job = Job.objects.filter(
        uuid=job_id, kind=JOB_KIND, payload__import=name, payload__user=request.user.pk
    ).first()
    if job is None:
        raise Http404
    running = job.status in (Job.Status.QUEUED, Job.Status.RUNNING)
    total = job.progress_total
    context = {
        **context,
        "job": job,
        "running": running,
        "failed": job.status == Job.Status.FAILED,
        "outcome": job.result if job.status == Job.Status.SUCCEEDED else {},
        "done": job.progress_done,
        "total": total,
        "percent": round(100 * job.progress_done / total) if total else 0,
        "stage": job.progress_label,
        "filename": job.payload.get("meta", {}).get("filename", ""),
    }
    return render(
        request, partial_template if getattr(request, "htmx", False) else template, context
    )


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
    background: Background | None = None

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
                in_background = False
                if plan.ok and self.has_work(plan):
                    meta = self.stash_meta(plan)
                    if self.background is not None:
                        rows = self.background.rows(plan)
                        in_background = rows >= self.background.threshold()
                        meta["background"] = in_background
                    token = uploads.stash(
                        request, self.session_key, content, filename=upload.name, **meta
                    )
                return self._page(
                    request,
                    200 if plan.ok else 422,
                    form=self.make_form(),
                    plan=plan,
                    token=token,
                    filename=upload.name,
                    in_background=in_background,
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
        if self.background is not None and meta.pop("background", False):
            job = start(self.background.name, content, meta, actor=Actor.from_request(request))
            return redirect(self.background.job_url_name, job_id=job.uuid)
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
