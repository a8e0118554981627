"""The French interface: a complete catalog, compiled by the build, and French dates."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from kb.catalog import extract, load, untranslated
from kb.i18n import compile_catalog, long_date, partial_date


def test_every_interface_string_is_in_the_french_catalog():
    catalog = load()
    # By id and context: pgettext('landmark', 'Site') is a message of its own.
    missing = [m.id for m in extract() if m.id and catalog.get(m.id, m.context) is None]
    assert missing == [], "run `python -m kb.catalog` and translate the new strings"


def test_every_string_of_the_catalog_is_translated_and_not_fuzzy():
    catalog = load()
    assert untranslated(catalog) == []
    assert [m.id for m in catalog if m.id and m.fuzzy] == []


def test_catalog_is_compiled_in_memory_and_nothing_is_written(tmp_path):
    from kb.i18n import CATALOG

    po = tmp_path / "messages.po"
    po.write_bytes(CATALOG.read_bytes())
    translations = compile_catalog(po)
    assert translations.ugettext("Skip to main content") == "Passer au contenu principal"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["messages.po"]
    assert not list(CATALOG.parent.glob("*.mo"))


def test_a_catalog_copied_over_with_its_size_and_time_kept_is_compiled_again(tmp_path):
    """As cp -p or rsync -t write it: only the inode or the change time tells."""
    from kb.i18n import CATALOG

    po = tmp_path / "messages.po"
    text = CATALOG.read_text(encoding="utf-8")
    old = 'msgstr "Passer au contenu principal"'
    assert old in text
    po.write_text(text, encoding="utf-8")
    kept = po.stat()
    assert compile_catalog(po).ugettext("Skip to main content") == "Passer au contenu principal"
    po.write_text(text.replace(old, 'msgstr "Sauter au contenu principal"'), encoding="utf-8")
    os.utime(po, ns=(kept.st_atime_ns, kept.st_mtime_ns))
    assert (po.stat().st_size, po.stat().st_mtime_ns) == (kept.st_size, kept.st_mtime_ns)
    assert compile_catalog(po).ugettext("Skip to main content") == "Sauter au contenu principal"


@pytest.mark.parametrize(
    "date,lang,text",
    [
        (dt.date(2024, 1, 1), "fr", "1er janvier 2024"),
        (dt.date(2023, 4, 30), "fr", "30 avril 2023"),
        (dt.date(2023, 1, 20), "en", "January 20, 2023"),
        (dt.date(2024, 1, 1), "en", "January 1, 2024"),
    ],
)
def test_long_dates(date, lang, text):
    assert long_date(date, lang) == text


def test_partial_dates():
    assert partial_date(dt.date(2023, 2, 1), "month", "fr") == "février 2023"
    assert partial_date(dt.date(2023, 2, 1), "month", "en") == "February 2023"
    assert partial_date(dt.date(2023, 1, 1), "year", "fr") == "2023"


def test_french_pages_use_french_interface_strings(client):
    html = client.get("/fr/").get_data(as_text=True)
    assert "Passer au contenu principal" in html and "Skip to main content" not in html
