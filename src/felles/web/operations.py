"""Operations pages: the audit trail, background jobs (and e-mail that could not be sent),
personal API tokens (in web, above every app, because they ask the role rules of
organisations)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from felles.core import jobs, mail
from felles.core.actor import Actor
from felles.core.errors import Conflict
from felles.core.exports import xlsx_response
from felles.core.forms import ApiTokenForm, AuditFilterForm
from felles.core.listing import paginate
from felles.core.models import ApiToken, AuditEvent, Job, OutboundMail
from felles.core.permissions import authenticated, get_visible_or_404, requires, signed_in_user
from felles.core.services import create_api_token, retry_mail, revoke_api_token
from felles.organisations.selectors import can_read_audit, is_administrator
from felles.web import audit_words


@requires(can_read_audit)
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None, actions=audit_words.action_choices())
    events = AuditEvent.objects.all()
    if form.is_valid():
        data = form.cleaned_data
        if data["object_id"]:
            events = events.filter(object_id=data["object_id"].strip())
        if data["person"]:
            events = events.filter(actor_label__iexact=data["person"].strip())
        if data["action"]:
            events = events.filter(action=data["action"])
    elif form.is_bound:
        events = events.none()
    if request.GET.get("format") == "xlsx":
        screened = audit_words.screened_objects(request.user)
        return xlsx_response(
            "revisjonslogg.xlsx",
            [
                _("Nr."),
                _("Tidspunkt"),
                _("Utført av"),
                _("På vegne av"),
                _("Handling"),
                _("Objekttype"),
                _("Objekt-ID"),
                _("Objekt"),
                _("Endringer"),
                _("Forespørsel"),
            ],
            (_export_row(e, screened) for e in events.iterator(chunk_size=1000)),
        )
    listing = paginate(request, events)
    listing["lines"] = audit_words.lines_for(request.user, listing["page"])
    return render(request, "web/audit_log.html", {"form": form, **listing})


def _export_row(e: Any, screened: set[str]) -> list[Any]:
    """One audit event as a spreadsheet row; a screened order's event keeps its metadata and
    masks its people and changes, as the page does."""
    hidden = audit_words.is_hidden(e, screened)
    masked = str(audit_words.SCREENED_VALUE)
    return [
        e.sequence,
        e.occurred_at,
        masked if hidden else e.actor_label,
        masked if hidden and e.on_behalf_of_label else e.on_behalf_of_label,
        audit_words.action_sentence(e.action, e.object_type),
        e.object_type,
        e.object_id,
        audit_words.object_label(e, hidden),
        str(audit_words.masked_changes(e.changes) if hidden else e.changes),
        e.request_id,
    ]


@requires(is_administrator)
def job_list(request: HttpRequest) -> HttpResponse:
    health = jobs.health()
    return render(
        request,
        "web/job_list.html",
        {
            "stuck": health.stuck,
            "stuck_ids": {job.pk for job in health.stuck},
            "failed": health.failed,
            "failed_mail": mail.failed().select_related("job")[:50],
            **paginate(request, Job.objects.all()),
        },
    )


@require_POST
@requires(is_administrator)
def mail_retry(request: HttpRequest, mail_id: uuid.UUID) -> HttpResponse:
    message = get_visible_or_404(OutboundMail.objects.all(), uuid=mail_id)
    try:
        retry_mail(actor=Actor.from_request(request), message=message)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("E-posten til %(to)s sendes på nytt.") % {"to": message.to})
    return redirect("jobs")


@requires(authenticated)
def token_list(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        issued = create_api_token(
            actor=Actor.from_request(request), user=signed_in_user(request), **form.cleaned_data
        )
        form = ApiTokenForm()
    return render(
        request,
        "web/token_list.html",
        {
            "form": form,
            "issued": issued,
            "tokens": ApiToken.objects.filter(user=signed_in_user(request)),
        },
        status=422 if form.errors else 200,
    )


@require_POST
@requires(authenticated)
def token_revoke(request: HttpRequest, token_id: uuid.UUID) -> HttpResponse:
    token = get_visible_or_404(ApiToken.objects.filter(user=signed_in_user(request)), uuid=token_id)
    revoke_api_token(actor=Actor.from_request(request), token=token)
    messages.success(request, _("Nøkkelen «%(name)s» er trukket tilbake.") % {"name": token.name})
    return redirect("tokens")
