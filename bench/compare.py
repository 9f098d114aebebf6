"""Run a benchmark for an earlier commit and for this checkout, alternating, in one sitting.

This machine's speed drifts (bench/RESULTS.md, "Read this first"): the same code measured
minutes apart differs by up to a factor of two, so a line from another day says little
about the code. What does compare is a reference commit and this checkout measured back to
back, in turns (A B, B A, …): their ratio holds whatever the host does meanwhile.

Run:  .venv/bin/python bench/compare.py REV order_submission.py [--rounds 2] -- ARGS…
      e.g. DATABASE_URL=postgres://… .venv/bin/python bench/compare.py 78eacab \\
           order_submission.py -- --seconds 30

The reference is checked out in a temporary git worktree that shares this checkout's
.venv; each side runs its own bench script with its own code (PYTHONPATH) and the same
ARGS, plus a `--note` naming the round and side (the script must take `--note`, as the
load benchmarks do). This checkout's runs add their lines to bench/RESULTS.md as usual;
the reference's lines are added to the same section here. The reference's code must work
with this checkout's dependencies and database schema (it runs migrations and demo data
through its own `felles`)."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import results  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reference", help="the earlier commit (any git revision)")
    parser.add_argument("bench", help="the benchmark script in bench/, e.g. order_reads.py")
    parser.add_argument("--rounds", type=int, default=2, help="pairs: A B, B A, … (default 2)")
    own, args = _split(sys.argv[1:])
    options = parser.parse_args(own)
    if "/" in options.bench or not (ROOT / "bench" / options.bench).is_file():
        raise SystemExit(f"no benchmark bench/{options.bench}")
    with tempfile.TemporaryDirectory(prefix="felles-compare-") as scratch:
        reference = Path(scratch) / "reference"
        _git("worktree", "add", "--detach", str(reference), options.reference)
        try:
            (reference / ".venv").symlink_to(ROOT / ".venv")
            label = results.commit()
            sides = [("reference", reference), ("this checkout", ROOT)]
            for round_ in range(1, options.rounds + 1):
                # A B, then B A: a drift of the host's speed during the sitting favours
                # neither side.
                for side, checkout in sides if round_ % 2 else sides[::-1]:
                    note = f"compare.py round {round_}, {side} (against {options.reference})"
                    lines = _run(checkout, options.bench, [*args, "--note", note])
                    if checkout is reference:
                        _keep(reference, lines)
                    print(f"-- round {round_}, {side}:", *lines, sep="\n", flush=True)
            print(f"(this checkout: {label}; lines in bench/RESULTS.md)")
        finally:
            _git("worktree", "remove", "--force", str(reference))


def _split(argv: list[str]) -> tuple[list[str], list[str]]:
    """compare.py's own arguments, and the benchmark's (after `--`)."""
    if "--" not in argv:
        return argv, []
    cut = argv.index("--")
    return argv[:cut], argv[cut + 1 :]


def _git(*args: str) -> None:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"git {' '.join(args)}: {done.stderr.strip()}")


def _run(checkout: Path, bench: str, args: list[str]) -> list[str]:
    """The result lines the checkout's own script prints (and adds to its RESULTS.md)."""
    env = {**os.environ, "PYTHONPATH": str(checkout / "src")}
    shown = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), str(checkout / "bench" / bench), *args],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [line for line in shown.stdout.splitlines() if line.startswith("| 2")]
    if shown.returncode != 0 or not lines:
        raise SystemExit(f"{checkout}: bench/{bench} failed\n{shown.stdout}\n{shown.stderr}")
    return lines


def _keep(reference: Path, lines: list[str]) -> None:
    """Add the reference's lines to the section of this checkout's RESULTS.md where its
    own script put them (the section whose table they are in)."""
    text = (reference / "bench" / "RESULTS.md").read_text()
    if lines[0] not in text:  # the script was told not to add them (--no-append)
        return
    before = text[: text.index(lines[0])]
    section = before[before.rindex("\n## ") + 4 :].split("\n", 1)[0]
    results.append(section, "", lines)


if __name__ == "__main__":
    main()
