"""Pages that belong to the framework itself: a person's e-mail preferences."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from felles.core import mail
from felles.core.actor import Actor
from felles.core.errors import ServiceError
from felles.core.forms import add_service_errors
from felles.core.permissions import authenticated, requires, signed_in_user
from felles.core.services import save_mail_preferences


class MailPreferenceForm(forms.Form):
    """Which e-mail a person gets, and in which language (felles.core.mail topics)."""

    language = forms.ChoiceField(
        label=gettext_lazy("Språk i e-post"),
        choices=[("nb", "Norsk bokmål"), ("en", "English")],
        widget=forms.RadioSelect,
    )
    wanted = forms.MultipleChoiceField(
        label=gettext_lazy("Send meg e-post om"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, topics: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.topics = topics
        wanted = self.fields["wanted"]
        assert isinstance(wanted, forms.MultipleChoiceField)
        wanted.choices = [(t.key, t.label) for t in topics if not t.always]

    def muted(self) -> list[str]:
        wanted = set(self.cleaned_data["wanted"])
        return [t.key for t in self.topics if not t.always and t.key not in wanted]


@requires(authenticated)
def mail_preferences(request: HttpRequest) -> HttpResponse:
    """Which notifications a person gets by e-mail, and the language they are written in.
    Approvals are always sent and are shown as such."""
    user = signed_in_user(request)
    preference = mail.preference_for(user)
    topics = mail.topics()
    muted = set(preference.muted if preference else [])
    initial = {
        # Until chosen here, e-mail is in bokmål; the page suggests the language in use.
        "language": preference.language if preference else (get_language() or "nb")[:2],
        "wanted": [t.key for t in topics if not t.always and t.key not in muted],
    }
    form = MailPreferenceForm(request.POST or None, topics=topics, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            save_mail_preferences(
                actor=Actor.from_request(request),
                user=user,
                language=form.cleaned_data["language"],
                muted=form.muted(),
            )
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Valgene for e-postvarsler er lagret."))
            return redirect("mail_preferences")
    return render(
        request,
        "core/mail_preferences.html",
        {"form": form, "always": [t for t in topics if t.always], "saved": preference},
        status=422 if form.errors else 200,
    )
