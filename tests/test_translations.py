"""Every word a user reads in a template goes through the translation tags, so that the
English catalogue (scripts/messages.py --check, run by CI) can cover it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "felles"
TEMPLATES = sorted(
    p for p in PACKAGE.glob("*/templates/**/*") if p.suffix in {".html", ".txt"} and p.is_file()
)

# Names and abbreviations that read the same in both languages.
SAME_IN_BOTH = {
    "Felles", "EHF", "PDF", "CSV", "XLSX", "JSON", "XML", "API", "SLA", "DSS", "DIO", "DFD",
    "Peppol", "kr", "OK", "ID", "htmx", "Designsystemet", "Excel", "BIS", "UBL", "SMK",
    "Norsk", "bokmål", "English",  # each language named in itself in the switcher
}  # fmt: skip

_REMOVE = [
    re.compile(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.S),
    re.compile(r"\{#.*?#\}", re.S),
    re.compile(r"\{%\s*blocktrans(late)?\b.*?\{%\s*endblocktrans(late)?\s*%\}", re.S),
    re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I),
]
_VISIBLE_ATTRIBUTE = re.compile(
    r"""\b(title|alt|placeholder|aria-label|aria-description)\s*=\s*("[^"]*"|'[^']*')""", re.I
)
_TAG_OR_VARIABLE = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S)
_HTML_TAG = re.compile(r"<[^>]*>", re.S)
_ENTITY = re.compile(r"&[#\w]+;")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def untranslated_words(source: str) -> list[str]:
    """The words of a template that a reader sees but no translation tag covers."""
    for pattern in _REMOVE:
        source = pattern.sub(" ", source)
    words: list[str] = []
    for match in _VISIBLE_ATTRIBUTE.finditer(source):
        words += _WORD.findall(_TAG_OR_VARIABLE.sub(" ", match.group(2)))
    text = _ENTITY.sub(" ", _HTML_TAG.sub(" ", _TAG_OR_VARIABLE.sub(" ", source)))
    words += _WORD.findall(text)
    return [w for w in words if w not in SAME_IN_BOTH]


def test_the_scanner_finds_text_outside_the_tags() -> None:
    source = """{% load i18n %}<h1>{% translate "Bestillinger" %}</h1>
    {# a comment #}<p title="Hjelp">{{ order.number }} Ny sak</p>
    {% blocktranslate count n=x %}{{ n }} rad{% plural %}{{ n }} rader{% endblocktranslate %}
    <script>var x = "tekst";</script><span>&nbsp;EHF</span>"""
    assert untranslated_words(source) == ["Hjelp", "Ny", "sak"]


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_template_text_is_inside_translation_tags(path: Path) -> None:
    words = untranslated_words(path.read_text(encoding="utf-8"))
    assert not words, f"untranslated text in {path.relative_to(PACKAGE)}: {' '.join(words[:20])}"


def test_one_text_has_one_translation_across_the_apps() -> None:
    """Django merges the apps' catalogues into one: a text translated two ways in two apps
    shows only one of them everywhere. Texts that mean different things take a context
    (`{% translate "…" context "…" %}`, `pgettext`)."""
    import polib

    seen: dict[tuple[str | None, str], dict[str, str]] = {}
    for po_file in sorted(PACKAGE.glob("*/locale/en/LC_MESSAGES/django.po")):
        for entry in polib.pofile(str(po_file)):
            if entry.msgid and entry.msgstr and not entry.obsolete:
                key = (entry.msgctxt, entry.msgid)
                seen.setdefault(key, {})[po_file.parts[-5]] = entry.msgstr
    clashes = {k[1]: v for k, v in seen.items() if len(set(v.values())) > 1}
    assert clashes == {}
