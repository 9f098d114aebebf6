"""Forms every page shares: help text described by its real id, a prompt instead of
«---------», and the read-only auditor who cannot place orders."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

from felles.catalog import selectors as catalog_selectors
from felles.core.actor import Actor
from felles.core.errors import Forbidden
from felles.organisations.models import Organisation


class _Form(forms.Form):
    name = forms.CharField(label="Navn", help_text="Slik den står i lønnssystemet.")
    organisation = forms.ModelChoiceField(Organisation.objects.all(), label="Virksomhet")


def test_help_text_is_described_by_its_real_id(db) -> None:
    form = _Form(data={"name": ""})
    html = render_to_string("web/field.html", {"field": form["name"]})
    described = re.search(r'aria-describedby="([^"]+)"', html).group(1).split()
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    assert described and all(i in ids for i in described), (described, ids)


@pytest.mark.parametrize(("language", "prompt"), [("nb", "Velg …"), ("en", "Choose …")])
def test_empty_choice_reads_as_a_prompt(db, language: str, prompt: str) -> None:
    with translation.override(language):
        html = str(_Form()["organisation"])
    assert "---------" not in html
    assert f'<option value="" selected>{prompt}</option>' in html


def test_the_auditor_cannot_place_orders(personas, seeded_catalogue, client: Client) -> None:
    from felles.catalog.models import Service
    from felles.orders import services as order_services

    service = Service.objects.get(code="srv-mobil")
    assert not catalog_selectors.may_order(personas.auditor.user)
    assert catalog_selectors.may_order(personas.employee.user)
    client.force_login(personas.auditor.user)
    assert client.get(f"/bestill/{service.uuid}/").status_code == 404
    with pytest.raises(Forbidden):
        order_services.submit_order(
            actor=Actor(user=personas.auditor.user),
            orderer=personas.auditor,
            service=service,
            answers={"mottaker": {"label": "Mottaker", "value": None}},
        )
