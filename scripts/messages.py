"""Translation catalogues: one English catalogue per app (src/felles/<app>/locale/en).

    python scripts/messages.py <app> [<app> ...]   extract, fill known translations, compile
    python scripts/messages.py --all               the same for every app
    python scripts/messages.py --check             CI: every catalogue is complete, compiled and
                                                   matches the source (extracted afresh in a copy)

Source strings are bokmål; `msgstr` is English. An app's catalogue is extracted with Django's
makemessages run inside the app directory (so it lands in the app's own locale/), then empty
entries are filled from any other catalogue that already translates the same msgid, and the
.mo is compiled with polib (byte-identical output for the same .po, so --check can compare).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "felles"
LANGUAGE = "en"
IGNORE = ["tests", "migrations", "static", "node_modules"]


def apps(base: Path = PACKAGE) -> list[str]:
    return sorted(p.parent.name for p in base.glob("*/apps.py"))


def catalogue(app: str, base: Path = PACKAGE) -> Path:
    return base / app / "locale" / LANGUAGE / "LC_MESSAGES" / "django.po"


def extract(app: str, base: Path = PACKAGE) -> None:
    app_dir = base / app
    catalogue(app, base).parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="felles.conf.settings")
    env.setdefault("FELLES_SECRET_KEY", "messages-only")
    command = [sys.executable, "-P", "-m", "django", "makemessages", "-l", LANGUAGE]
    command += ["--no-location", "--no-obsolete", "--no-wrap"]
    command += [arg for pattern in IGNORE for arg in ("-i", pattern)]
    # -P: the app directory is not put on sys.path (its selectors.py would shadow the stdlib).
    subprocess.run(command, cwd=app_dir, env=env, check=True, capture_output=True)  # noqa: S603


def known_translations(base: Path = PACKAGE) -> dict[tuple[str, str], polib.POEntry]:
    known: dict[tuple[str, str], polib.POEntry] = {}
    for path in sorted(base.glob("**/locale/en/LC_MESSAGES/django.po")):
        for entry in polib.pofile(str(path)):
            if entry.translated():
                known.setdefault((entry.msgctxt or "", entry.msgid), entry)
    return known


def fill(app: str, known: dict[tuple[str, str], polib.POEntry], base: Path = PACKAGE) -> None:
    po = polib.pofile(str(catalogue(app, base)))
    po.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
    po.metadata["Language"] = LANGUAGE
    for entry in po:
        if entry.translated():
            continue
        source = known.get((entry.msgctxt or "", entry.msgid))
        if source is None:
            continue
        if entry.msgid_plural and source.msgid_plural == entry.msgid_plural:
            entry.msgstr_plural = dict(source.msgstr_plural)
        elif not entry.msgid_plural and not source.msgid_plural:
            entry.msgstr = source.msgstr
        else:
            continue
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.save()


def compile_mo(app: str, base: Path = PACKAGE) -> None:
    po_path = catalogue(app, base)
    polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))


def problems(app: str, base: Path = PACKAGE) -> list[str]:
    po = polib.pofile(str(catalogue(app, base)))
    found = [f"{app}: untranslated: {e.msgid!r}" for e in po.untranslated_entries()]
    found += [f"{app}: fuzzy: {e.msgid!r}" for e in po.fuzzy_entries()]
    return found


def refresh(names: list[str]) -> None:
    for app in names:
        extract(app)
    known = known_translations()
    for app in names:
        fill(app, known)
        compile_mo(app)
        missing = problems(app)
        print(f"{app}: {len(missing)} to translate in {catalogue(app).relative_to(ROOT)}")
        for line in missing:
            print("  " + line.split(": ", 2)[2])


def check() -> int:
    """Every app's catalogue is complete and compiled, and extracting afresh (in a copy of
    the source tree) finds no string the committed catalogue lacks."""
    failures: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "felles"
        shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
        for app in apps():
            committed = catalogue(app)
            if not committed.exists():
                failures.append(f"{app}: no catalogue (run scripts/messages.py {app})")
                continue
            failures += problems(app)
            compiled = committed.with_suffix(".mo")
            fresh = Path(tmp) / f"{app}.mo"
            polib.pofile(str(committed)).save_as_mofile(str(fresh))
            if not compiled.exists() or compiled.read_bytes() != fresh.read_bytes():
                failures.append(f"{app}: django.mo is not compiled from django.po")
            extract(app, copy)
            have = {(e.msgctxt or "", e.msgid) for e in polib.pofile(str(committed))}
            for entry in polib.pofile(str(catalogue(app, copy))):
                if (entry.msgctxt or "", entry.msgid) not in have:
                    failures.append(f"{app}: not in the catalogue: {entry.msgid!r}")
    for line in failures:
        print(line)
    print(f"{len(failures)} translation problem(s)" if failures else "catalogues complete")
    return 1 if failures else 0


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT / "src"))
    if argv == ["--check"]:
        return check()
    names = apps() if argv == ["--all"] else argv
    unknown = sorted(set(names) - set(apps()))
    if not names or unknown:
        print(__doc__ if not names else f"unknown app(s): {', '.join(unknown)}")
        return 2
    refresh(names)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
