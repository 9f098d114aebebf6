"""Which characters text may carry, in one place (pure: no Django, importable from the pure
modules such as `invoicing.ehf`).

XML 1.0 (§2.2 Char) allows no C0 control character except tab, newline and carriage return,
no lone surrogate and neither U+FFFE nor U+FFFF. The same characters break EHF invoices and
XLSX files, and PostgreSQL refuses NUL. Single-line text (names, references, codes) takes
no control character at all: no tab, no line break, no DEL."""

from __future__ import annotations

import re

XML_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
SINGLE_LINE_ILLEGAL = re.compile("[\x00-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def visible(text: str) -> str:
    """`text` with every character XML cannot carry shown as its code point:
    "KS[U+000B]4711"."""
    return XML_ILLEGAL.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)
