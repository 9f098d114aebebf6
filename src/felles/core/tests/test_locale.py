from types import SimpleNamespace

from django.utils import translation

from felles.core.locale import localized


def test_localized_follows_the_active_language() -> None:
    service = SimpleNamespace(name_nb="Møterom", name_en="Meeting rooms")
    untranslated = SimpleNamespace(name_nb="Møterom", name_en="")
    with translation.override("en"):
        assert localized(service, "name") == "Meeting rooms"
        assert localized(untranslated, "name") == "Møterom"
    with translation.override("nb"):
        assert localized(service, "name") == "Møterom"


def test_localized_reads_a_bokmal_field_without_suffix() -> None:
    level = SimpleNamespace(opening_hours="Hverdager", opening_hours_en="Weekdays")
    untranslated = SimpleNamespace(opening_hours="Hverdager", opening_hours_en="")
    with translation.override("en"):
        assert localized(level, "opening_hours") == "Weekdays"
        assert localized(untranslated, "opening_hours") == "Hverdager"
    with translation.override("nb"):
        assert localized(level, "opening_hours") == "Hverdager"
