"""A guideline's text as safe HTML: plain text with a few markdown-like marks (headings
`# `/`## `, bullets `- `, numbered lines `1. `, **bold**). Everything is escaped first, so
no markup a writer types reaches the page."""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BOLD = re.compile(r"\*\*(.+?)\*\*")


def _inline(line: str) -> str:
    return BOLD.sub(r"<strong>\1</strong>", escape(line))


def render(text: str) -> SafeString:
    out: list[str] = []
    paragraph: list[str] = []
    listing: str | None = None

    def close_paragraph() -> None:
        if paragraph:
            out.append('<p class="ds-paragraph">' + "<br>".join(paragraph) + "</p>")
            paragraph.clear()

    def close_list() -> None:
        nonlocal listing
        if listing:
            out.append(f"</{listing}>")
            listing = None

    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        bullet = re.match(r"^[-*] (.*)$", line)
        numbered = re.match(r"^\d+[.)] (.*)$", line)
        if not line:
            close_paragraph()
            close_list()
        elif line.startswith("#"):
            close_paragraph()
            close_list()
            level = 3 if line.startswith("##") else 2
            out.append(
                f'<h{level} class="ds-heading" data-size="{"xs" if level == 3 else "sm"}">'
                f"{_inline(line.lstrip('#').strip())}</h{level}>"
            )
        elif bullet or numbered:
            close_paragraph()
            kind = "ul" if bullet else "ol"
            if listing != kind:
                close_list()
                out.append(f'<{kind} class="ds-list">')
                listing = kind
            item = (bullet or numbered).group(1)  # type: ignore[union-attr]
            out.append(f"<li>{_inline(item)}</li>")
        else:
            close_list()
            paragraph.append(_inline(line))
    close_paragraph()
    close_list()
    return mark_safe("\n".join(out))  # noqa: S308 - built from escaped text only
