"""The French UI catalog: extract strings from templates and Python, merge into messages.po.

Run `python -m kb.catalog` after changing a UI string; then translate the new msgstr entries.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from kb.i18n import CATALOG

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2),
            "lazy_gettext": None, "N_": None}  # N_: kb.validate's checker messages


def extract() -> Catalog:
    """Every UI string of the templates and the engine."""
    template = Catalog(locale=None, project="kb")
    for folder, pattern, method in (("templates", "**.html", "jinja2"), ("kb", "**.py", "python")):
        found = extract_from_dir(
            ROOT / folder, [(pattern, method)], keywords=KEYWORDS,
            options_map={pattern: {"extensions": "jinja2.ext.i18n"}} if method == "jinja2" else {},
        )
        for filename, lineno, message, comments, context in found:
            template.add(message, None, [(f"{folder}/{filename}", lineno)],
                         auto_comments=comments, context=context)
    return template


def load() -> Catalog:
    with CATALOG.open("rb") as po_file:
        return read_po(po_file, locale="fr_CA")


def update() -> list[str]:
    """Merge new strings into messages.po; return the ids still untranslated."""
    catalog = load() if CATALOG.exists() else Catalog(locale="fr_CA", project="kb")
    catalog.update(extract(), no_fuzzy_matching=True)
    CATALOG.parent.mkdir(parents=True, exist_ok=True)
    with CATALOG.open("wb") as po_file:
        write_po(po_file, catalog, width=100, omit_header=False, ignore_obsolete=True)
    return untranslated(catalog)


def untranslated(catalog: Catalog) -> list:
    """Message ids with an empty translation (any plural form empty counts)."""
    def done(string) -> bool:
        return bool(string) and (isinstance(string, str) or all(string))

    return [m.id for m in catalog if m.id and not done(m.string)]


if __name__ == "__main__":
    missing = update()
    for message in missing:
        print(f"untranslated: {message!r}")
    sys.exit(1 if missing else 0)
