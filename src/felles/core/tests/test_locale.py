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
