"""core.prepared: a queryset compiled once gives, with new values, what the ORM gives."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.db.models import Q, signals
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from felles.core import prepared
from felles.organisations.models import Person, RoleAssignment


def _people(organisation_id: int, last_name: str) -> object:
    return (
        Person.objects.filter(organisation_id=organisation_id, last_name__gte=last_name)
        .select_related("organisation", "unit")
        .order_by("last_name", "first_name")
    )


@pytest.mark.django_db
def test_later_values_give_what_the_orm_gives_with_related_objects(personas) -> None:
    cases = [(personas.kud.pk, ""), (personas.fin.pk, ""), (personas.kud.pk, "M"), (0, "")]
    for organisation_id, last_name in cases * 2:
        got = prepared.run("people", _people, organisation_id=organisation_id, last_name=last_name)
        want = list(_people(organisation_id, last_name))
        assert got == want
        assert [p.organisation.abbreviation for p in got] == [
            p.organisation.abbreviation for p in want
        ]
        assert [p.unit_id and p.unit.name for p in got] == [p.unit_id and p.unit.name for p in want]
    assert any(prepared.run("people", _people, organisation_id=personas.kud.pk, last_name=""))


@pytest.mark.django_db
def test_the_second_run_compiles_nothing_and_sends_the_same_statement(personas) -> None:
    build = lambda person_id: RoleAssignment.objects.filter(person_id=person_id)  # noqa: E731
    prepared.run("roles", build, person_id=personas.manager.pk)
    with CaptureQueriesContext(connection) as first:
        roles = prepared.run("roles", build, person_id=personas.agent.pk)
    assert {r.role for r in roles} == {r.role for r in build(personas.agent.pk)}
    with CaptureQueriesContext(connection) as second:
        prepared.run("roles", build, person_id=personas.admin.pk)
    assert len(first) == len(second) == 1
    # The values travel as parameters: the statement text is the same.
    assert first.captured_queries[0]["sql"].replace(
        str(personas.agent.pk), "?"
    ) == second.captured_queries[0]["sql"].replace(str(personas.admin.pk), "?")


@pytest.mark.django_db
def test_uuids_datetimes_and_dates_are_replaced_on_every_database(personas) -> None:
    def build(uuid: uuid.UUID, after: dt.datetime, born: dt.date) -> object:
        return Person.objects.filter(uuid=uuid, created_at__gt=after, created_at__date__gte=born)

    kari = personas.employee
    long_ago = timezone.now() - dt.timedelta(days=3650)
    for who, after in [(kari, long_ago), (personas.manager, long_ago), (kari, timezone.now())]:
        got = prepared.run("uuid", build, uuid=who.uuid, after=after, born=dt.date(2000, 1, 1))
        assert got == list(build(who.uuid, after, dt.date(2000, 1, 1)))
    assert prepared.run("uuid", build, uuid=kari.uuid, after=long_ago, born=dt.date(2000, 1, 1))


@pytest.mark.django_db
def test_values_that_shape_the_statement_are_part_of_the_key(personas) -> None:
    def build(ids: tuple[int, ...], active: bool | None) -> object:
        people = Person.objects.filter(pk__in=ids)
        return people if active is None else people.filter(active=active)

    one, two = personas.employee.pk, personas.manager.pk
    assert prepared.run("in", build, ids=(one,), active=None) == list(build((one,), None))
    assert prepared.run("in", build, ids=(one, two), active=True) == list(build((one, two), True))
    assert prepared.run("in", build, ids=(), active=None) == []  # no statement at all


@pytest.mark.django_db
@pytest.mark.parametrize(
    "build",
    [
        lambda text: Person.objects.filter(last_name__icontains=text),
        # Django escapes LIKE's special characters for iexact: «Te_tesen» must not match
        # «Testesen».
        lambda text: Person.objects.filter(last_name__iexact=text),
        # The same value exactly and inside a pattern: one slot found, one form left.
        lambda text: Person.objects.filter(Q(last_name=text) | Q(first_name__icontains=text)),
    ],
    ids=["icontains", "iexact", "exact-and-pattern"],
)
def test_a_value_django_rewrites_goes_through_the_orm_every_time(personas, build) -> None:
    texts = ["a", "Testesen", "te_tesen", "TESTESEN", "%", "Kari", "ari", "zzz"]
    for text in texts * 2:
        assert prepared.run(("rewritten", id(build)), build, text=text) == list(build(text))


@pytest.mark.django_db
def test_a_rule_as_key_keeps_each_rule_apart(personas) -> None:
    def visible(rule: Q) -> object:
        return lambda pk: Person.objects.filter(rule, pk=pk)

    kud, fin = Q(organisation=personas.kud), Q(organisation=personas.fin)
    kari, ola = personas.employee.pk, personas.outsider.pk
    assert prepared.run(("rule", kud), visible(kud), pk=kari) == [personas.employee]
    assert prepared.run(("rule", fin), visible(fin), pk=kari) == []
    assert prepared.run(("rule", fin), visible(fin), pk=ola) == [personas.outsider]
    assert prepared.run(("rule", kud), visible(kud), pk=ola) == []


@pytest.mark.django_db
def test_objects_are_made_as_from_db_makes_them(personas) -> None:
    """Made without `Model.__init__`: the same attributes, state and deferred fields, and
    they save, refresh and follow their relations as the ORM's do."""

    def build(pk: int) -> object:
        return Person.objects.filter(pk=pk).select_related("organisation").defer("title")

    got = prepared.run("made", build, pk=personas.employee.pk)[0]
    want = build(personas.employee.pk)[0]  # type: ignore[index]
    assert (got._state.adding, got._state.db) == (False, want._state.db) == (False, "default")
    assert {k: v for k, v in vars(got).items() if k != "_state"} == {
        k: v for k, v in vars(want).items() if k != "_state"
    }
    assert got.get_deferred_fields() == want.get_deferred_fields() == {"title"}
    joined = Person._meta.get_field("organisation")
    assert joined.is_cached(got) and joined.is_cached(want)
    assert vars(got.organisation).keys() == vars(want.organisation).keys()
    assert got.organisation == want.organisation and got.organisation._state.adding is False
    with CaptureQueriesContext(connection) as read:
        assert got.title == want.title  # the deferred field, read on demand by each
    assert len(read) == 2
    got.first_name = "Kari Anne"
    got.save(update_fields=["first_name"])
    assert Person.objects.get(pk=got.pk).first_name == "Kari Anne"


@pytest.mark.django_db
def test_a_model_with_init_receivers_is_made_by_from_db(personas) -> None:
    seen: list[object] = []

    def receiver(sender: object, instance: object, **kwargs: object) -> None:
        seen.append(instance)

    signals.post_init.connect(receiver, sender=RoleAssignment)
    try:
        build = lambda person_id: RoleAssignment.objects.filter(person_id=person_id)  # noqa: E731
        roles = prepared.run("receivers", build, person_id=personas.admin.pk)
    finally:
        signals.post_init.disconnect(receiver, sender=RoleAssignment)
    assert roles and seen == roles


def test_only_plain_model_querysets(db) -> None:
    with pytest.raises(TypeError):
        prepared.run("values", lambda pk: Person.objects.filter(pk=pk).values("pk"), pk=1)


def _fields(obj: object) -> dict[str, object]:
    return {
        f.attname: getattr(obj, f.attname)
        for f in type(obj)._meta.concrete_fields  # type: ignore[attr-defined]
        if f.attname not in ("id", "uuid")
    }


@pytest.mark.django_db
def test_an_insert_writes_what_create_writes(personas) -> None:
    """A job (JSON, datetimes, defaults) and an order event (foreign keys, `auto_now`):
    read back, each holds what `objects.create` wrote for the same values."""
    from felles.core.models import Job
    from felles.organisations.models import Person

    run_after = timezone.now() + dt.timedelta(hours=1)
    values = {
        "kind": "test.kind",
        "payload": {"mail": "æøå", "n": [1, 2.5, None]},
        "run_after": run_after,
        "created_at": run_after,
        "created_by_label": "tester",
    }
    inserted = prepared.insert(Job(**values))
    created = Job.objects.create(**values)
    assert inserted.pk is not None and inserted.pk != created.pk
    assert not inserted._state.adding and inserted._state.db == "default"
    assert _fields(Job.objects.get(pk=inserted.pk)) == _fields(Job.objects.get(pk=created.pk))
    assert _fields(Job.objects.get(pk=inserted.pk)) == _fields(inserted)

    person = Person.objects.select_related("organisation").get(pk=personas.employee.pk)
    before = timezone.now()
    clone = prepared.insert(Person(organisation=person.organisation, first_name="Å", last_name="B"))
    again = Person.objects.get(pk=clone.pk)
    assert again.organisation_id == person.organisation_id and again.first_name == "Å"
    assert again.updated_at >= before  # auto_now filled by pre_save


@pytest.mark.django_db
def test_an_insert_is_counted_and_logged_like_any_statement(personas) -> None:
    from felles.core.models import Job

    prepared.insert(Job(kind="warm"))
    with CaptureQueriesContext(connection) as queries:
        prepared.insert(Job(kind="counted"))
    assert len(queries) == 1 and queries[0]["sql"].startswith("INSERT INTO")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite stores NUL in text")
@pytest.mark.django_db
def test_an_insert_refused_by_the_database_is_djangos_error_and_writes_nothing(
    personas,
) -> None:
    from django.db import DataError, transaction

    from felles.core.models import Job

    prepared.insert(Job(kind="warm"))
    with pytest.raises(DataError), transaction.atomic():
        prepared.insert(Job(kind="nul\x00byte"))
    assert not Job.objects.filter(kind__startswith="nul").exists()


@pytest.mark.django_db
def test_an_insert_refuses_an_object_that_has_a_row_or_a_key(personas) -> None:
    from felles.core.models import Job

    job = prepared.insert(Job(kind="once"))
    with pytest.raises(TypeError):
        prepared.insert(job)  # saved already
    with pytest.raises(TypeError):
        prepared.insert(Job(pk=10**9, kind="own key"))
    assert Job.objects.filter(kind__in=["once", "own key"]).count() == 1


@pytest.mark.django_db
def test_an_insert_prepares_values_the_driver_would_not_take_as_they_are(personas) -> None:
    """A lazy translation and a number for text columns, as `objects.create` turns them."""
    from django.utils.translation import gettext_lazy

    from felles.core.models import Job

    job = prepared.insert(Job(kind=gettext_lazy("Avvist"), created_by_label=42))
    again = Job.objects.get(pk=job.pk)
    assert (again.kind, again.created_by_label) == ("Avvist", "42")


@pytest.mark.django_db
def test_a_plain_statement_gives_its_rows_and_an_update_none(personas) -> None:
    person = Person.objects.order_by("pk").first()
    assert person is not None
    sql = "SELECT first_name FROM organisations_person WHERE id = %s"
    for _ in range(2):  # the first on Django's cursor, the second on the kept one
        assert [tuple(row) for row in prepared.execute(sql, [person.pk])] == [(person.first_name,)]
    updated = prepared.execute(
        "UPDATE organisations_person SET first_name = %s WHERE id = %s",
        ["Endret", person.pk],
        rows=False,
    )
    assert updated == []
    person.refresh_from_db()
    assert person.first_name == "Endret"
    with CaptureQueriesContext(connection) as queries:
        prepared.execute(sql, [person.pk])
    assert [q["sql"] for q in queries.captured_queries] == [sql.replace("%s", str(person.pk))]
