"""Amounts, numbers, percentages and units in the reader's language: one format everywhere."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from felles.core.formatting import kroner, number, percent, points
from felles.core.units import per_unit, quantity, unit_name

NN, NB, MINUS = "\u202f", "\u00a0", "\u2212"


def test_kroner() -> None:
    assert kroner(Decimal("30102")) == f"kr{NB}30{NN}102,00"
    assert kroner("-1234567.895") == f"{MINUS}kr{NB}1{NN}234{NN}567,90"
    assert kroner(Decimal("0.5")) == f"kr{NB}0,50"
    assert kroner(None) == "" and kroner("") == ""


def test_number() -> None:
    assert number(Decimal("150000")) == f"150{NN}000"
    assert number(Decimal("37.50")) == "37,5"
    assert number(Decimal("-1000")) == f"{MINUS}1{NN}000"
    assert number(Decimal("1000"), places=2) == f"1{NN}000,00"
    assert number(Decimal("0.00")) == "0" and number(Decimal("-0.00")) == "0"


def test_a_negative_amount_has_a_real_minus_never_a_hyphen() -> None:
    for lang in ("nb", "en"):
        assert kroner(Decimal("-50"), lang).startswith(MINUS)
        assert "-" not in kroner(Decimal("-50"), lang) + number(Decimal("-7.5"), lang)


def test_english() -> None:
    assert kroner(Decimal("1000"), "en") == f"NOK{NB}1,000.00"
    assert kroner(Decimal("-50"), "en") == f"{MINUS}NOK{NB}50.00"
    assert number(Decimal("1234567.5"), "en") == "1,234,567.5"
    assert percent(Decimal("0.141"), "en") == "14.1%"
    assert points(Decimal("14.1"), "en") == "14.1%"


def test_percent_in_bokmal() -> None:
    assert percent(Decimal("0.141")) == f"14,1{NB}%"
    assert percent(Decimal("0.5"), places=1) == f"50,0{NB}%"
    assert points(Decimal("-2.5")) == f"{MINUS}2,5{NB}%"


def test_the_active_language_decides() -> None:
    with translation.override("en"):
        assert kroner(Decimal("1000")) == f"NOK{NB}1,000.00"
    with translation.override("nb"):
        assert kroner(Decimal("1000")) == f"kr{NB}1{NN}000,00"


@pytest.mark.parametrize(
    ("value", "code", "lang", "expected"),
    [
        (Decimal("281"), "MON", "nb", f"281{NB}måneder"),
        (Decimal("1"), "MON", "nb", f"1{NB}måned"),
        (Decimal("281"), "MON", "en", f"281{NB}months"),
        (Decimal("1.00"), "EA", "nb", f"1{NB}stk."),
        (Decimal("1"), "EA", "en", f"1{NB}each"),
        (Decimal("1.5"), "HUR", "nb", f"1,5{NB}timer"),
        (Decimal("1"), "HUR", "en", f"1{NB}hour"),
        (Decimal("1200"), "HUR", "en", f"1,200{NB}hours"),
        (Decimal("3"), "XYZ", "nb", f"3{NB}XYZ"),
    ],
)
def test_quantities_name_their_unit(value: Decimal, code: str, lang: str, expected: str) -> None:
    assert quantity(value, code, lang) == expected


def test_unit_names() -> None:
    assert unit_name("DAY", 2, "nb") == "dager" and unit_name("ANN", 1, "en") == "year"
    assert per_unit("MON", "nb") == "per måned" and per_unit("EA", "en") == "each"
    assert per_unit("HUR", "en") == "per hour"


def test_the_template_filters_follow_the_language() -> None:
    template = Template(
        "{% load felles %}{{ a|kroner }}|{{ q|antall:'MON' }}|{{ s|prosent }}|{{ n|tall }}"
        "|{{ 'HUR'|per_enhet }}"
    )
    context = Context({"a": Decimal("-1000"), "q": 281, "s": Decimal("0.141"), "n": 2500})
    with translation.override("nb"):
        assert template.render(context) == (
            f"{MINUS}kr{NB}1{NN}000,00|281{NB}måneder|14,1{NB}%|2{NN}500|per time"
        )
    with translation.override("en"):
        assert template.render(context) == (
            f"{MINUS}NOK{NB}1,000.00|281{NB}months|14.1%|2,500|per hour"
        )


def test_validation_messages_state_limits_the_readers_way() -> None:
    from django import forms

    from felles.core.formatting import localise_limits

    class Quantity(forms.Form):
        quantity = forms.DecimalField(min_value=Decimal("0.01"), max_value=Decimal("1000.5"))

        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            localise_limits(self)

    with translation.override("nb"):
        low = " ".join(Quantity({"quantity": "0"}).errors["quantity"])
        high = " ".join(Quantity({"quantity": "5000"}).errors["quantity"])
    assert "0,01" in low and "0.01" not in low
    assert f"1{NN}000,5" in high
    with translation.override("en"):
        assert "0.01" in " ".join(Quantity({"quantity": "0"}).errors["quantity"])
    assert Quantity({"quantity": "3"}).is_valid()


@pytest.mark.django_db
def test_an_english_request_leaves_the_thread_in_bokmal(client) -> None:
    """Formatting follows the active language, so a reader's English must not outlive the
    request (jobs and the pure rules' texts run outside any request)."""
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert client.get("/logg-inn/").headers["Content-Language"] == "en"
    assert kroner(Decimal("1000")) == f"kr{NB}1{NN}000,00"
