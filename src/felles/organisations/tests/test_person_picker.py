"""Two people with the same name can be told apart in every picker of people."""

from __future__ import annotations

import pytest
from django import forms
from django.test import Client

from felles.organisations import services
from felles.organisations.forms import AbsenceForm, PeopleChoiceField, PersonChoiceField
from felles.organisations.models import Person
from felles.organisations.tests.factories import make_person


def twins(personas, actor) -> tuple[Person, Person]:
    section = services.save_unit(
        actor=actor, organisation=personas.kud, code="S2", name="Seksjon for arkiv"
    )
    one = make_person(personas.kud, "kari.a", unit=personas.unit)
    two = make_person(personas.kud, "kari.b", unit=section)
    for person, title in ((one, "Rådgiver"), (two, "Seniorrådgiver")):
        services.save_person(
            actor=actor,
            organisation=personas.kud,
            values={"first_name": "Kari", "last_name": "Hansen", "title": title},
            person=person,
        )
    return Person.objects.get(pk=one.pk), Person.objects.get(pk=two.pk)


def test_people_with_the_same_name_get_different_labels(personas, actor) -> None:
    one, two = twins(personas, actor)
    assert one.choice_label == "Kari Hansen (Rådgiver, Kulturavdelingen, KUD)"
    assert two.choice_label == "Kari Hansen (Seniorrådgiver, Seksjon for arkiv, KUD)"
    form = AbsenceForm(person=personas.manager)
    labels = [label for _value, label in form.fields["substitute"].choices]
    assert one.choice_label in labels and two.choice_label in labels


def test_pickers_load_organisation_and_unit_with_the_people(
    personas, actor, django_assert_num_queries
) -> None:
    twins(personas, actor)
    for field in (
        PersonChoiceField(queryset=Person.objects.all()),
        PeopleChoiceField(queryset=Person.objects.all()),
    ):
        with django_assert_num_queries(1):
            labels = [label for _value, label in field.choices]
        assert len(labels) >= Person.objects.count()


def test_the_order_form_tells_colleagues_with_the_same_name_apart(
    personas, actor, client: Client
) -> None:
    from felles.orders.orderform import OrderForm

    one, two = twins(personas, actor)
    import datetime as dt

    from felles.catalog import services as catalog_services
    from felles.catalog.models import Service

    catalog_services.seed_catalogue(actor=actor, price_from=dt.date(2026, 1, 1))
    form = OrderForm(service=Service.objects.first(), orderer=personas.employee)
    labels = [label for _value, label in form.fields["beneficiary"].choices]
    assert one.choice_label in labels and two.choice_label in labels


def test_a_picker_made_from_a_function_lists_and_checks_the_same_people(
    personas, actor, django_assert_num_queries
) -> None:
    one, two = twins(personas, actor)
    made: list[int] = []

    def colleagues():
        made.append(1)
        return Person.objects.filter(organisation=personas.kud).order_by("last_name")

    with django_assert_num_queries(0):
        field = PersonChoiceField(queryset=colleagues, to_field_name="uuid")
    assert made == []  # nothing built until the choices or a value are needed
    labels = [label for _value, label in field.choices]
    assert one.choice_label in labels and two.choice_label in labels
    assert made == [1]
    assert field.clean(str(two.uuid)) == two
    outsider = Person.objects.exclude(organisation=personas.kud).first()
    assert outsider is not None
    with pytest.raises(forms.ValidationError):
        field.clean(str(outsider.uuid))
    # The prepared lookup of the order form builds the queryset only when it compiles.
    keyed = PersonChoiceField(
        queryset=colleagues, to_field_name="uuid", prepared_key=("test.picker", personas.kud.pk)
    )
    assert keyed.clean(str(one.uuid)) == one
    with pytest.raises(forms.ValidationError):
        keyed.clean(str(outsider.uuid))
