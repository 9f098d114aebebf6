"""Shared by the benchmarks: the commit being measured, and adding result lines to
bench/RESULTS.md at the end of their own section (created with its header on first use)."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "RESULTS.md"


def commit() -> str:
    return subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()


def append(section: str, header: str, lines: list[str]) -> None:
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    marker = f"## {section}\n"
    if marker not in text:
        text = text.rstrip("\n") + f"\n\n{marker}\n{header}"
    start = text.index(marker)
    end = text.find("\n## ", start + len(marker))
    end = len(text) if end == -1 else end + 1
    body = text[:end].rstrip("\n") + "\n" + "\n".join(lines) + "\n"
    rest = text[end:]
    RESULTS.write_text(body + ("\n" + rest if rest else ""))
