"""The French UI catalog: Babel's `pybabel extract` and `pybabel update`, with babel.cfg.

Run `python -m kb.catalog` after changing a UI string; then translate the new msgstr entries.
It runs, from the project's folder:

    pybabel extract -F babel.cfg -k lazy_gettext -k plural:1,2 -o messages.pot templates kb
    pybabel update -i messages.pot -o kb/translations/fr/LC_MESSAGES/messages.po -l fr_CA \
        --no-fuzzy-matching --ignore-obsolete -w 100
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from kb.i18n import CATALOG

ROOT = Path(__file__).resolve().parent.parent
MAPPING = ROOT / "babel.cfg"
LOCALE = "fr_CA"
SOURCES = ("templates", "kb")  # in this order: the catalog lists the templates' strings first


def pybabel(*arguments: str) -> None:
    """Run a pybabel command from the project's folder (locations are relative to it)."""
    with contextlib.chdir(ROOT):
        CommandLineInterface().run(["pybabel", "--quiet", *arguments])


def extract() -> Catalog:
    """Every UI string of the templates and the engine (pybabel extract, babel.cfg)."""
    with tempfile.TemporaryDirectory() as folder:
        template = _extract(Path(folder))
        with template.open("rb") as pot_file:
            return read_po(pot_file)


def _extract(folder: Path) -> Path:
    template = folder / "messages.pot"
    pybabel(
        "extract",
        "-F",
        str(MAPPING),
        "-k",
        "lazy_gettext",
        "-k",
        "plural:1,2",  # kb.clickwords' plural messages
        "--project",
        "kb",
        "-o",
        str(template),
        *SOURCES,
    )
    return template


def load() -> Catalog:
    with CATALOG.open("rb") as po_file:
        return read_po(po_file, locale=LOCALE)


def update() -> list[str]:
    """Merge new strings into messages.po (pybabel update); return the ids still untranslated."""
    with tempfile.TemporaryDirectory() as folder:
        template = _extract(Path(folder))
        if CATALOG.exists():
            pybabel(
                "update",
                "-i",
                str(template),
                "-o",
                str(CATALOG),
                "-l",
                LOCALE,
                "--no-fuzzy-matching",
                "--ignore-obsolete",
                "-w",
                "100",
            )
        else:
            CATALOG.parent.mkdir(parents=True, exist_ok=True)
            pybabel("init", "-i", str(template), "-o", str(CATALOG), "-l", LOCALE, "-w", "100")
    return untranslated(load())


def untranslated(catalog: Catalog) -> list:
    """Message ids with an empty translation (any plural form empty counts)."""

    def done(string) -> bool:
        return bool(string) and (isinstance(string, str) or all(string))

    return [m.id for m in catalog if m.id and not done(m.string)]


if __name__ == "__main__":
    missing = update()
    for message in missing:
        print(f"untranslated: {message!r}")
    if not missing:
        print(f"{CATALOG.relative_to(ROOT)}: every string is translated")
    sys.exit(1 if missing else 0)
