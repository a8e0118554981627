"""A Site is complete when the loader returns it: what the pages ask for is computed once, on
first use, from all of its entries, and a copy made with dataclasses.replace computes its own."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from kb.content import load_site
from kb.pagelist import listed

from support import OTHER, entry, make_site, pair

# Site's cached_property values computed from its entries (not _slugs: the loader keeps it).
DERIVED = ("_in_order", "_groups", "_rankings", "page_lists", "last_updated")


def loaded(tmp_path):
    later = {
        "content/en/phase-2/later.md": entry(id="later", title="Later?", updated="2024-03-01"),
        "content/fr/phase-2/plus-tard.md": entry(
            id="later", title="Plus tard?", updated="2024-03-01"
        ),
    }
    return load_site(make_site(tmp_path, {**pair(), **OTHER, **later}))


def test_the_loader_computes_nothing_from_the_entries_before_it_has_added_them_all(tmp_path):
    site = loaded(tmp_path)
    assert [name for name in DERIVED if name in vars(site)] == []
    assert [e.id for e in site.entries_in("en")] == ["later", "planning", "transition"]
    assert site.last_updated == dt.date(2024, 3, 1)
    assert [e.id for e in site.related(site.get("en", "planning"))] == ["later", "transition"]
    assert [e.id for e in listed(site, "fr", "pages.topic", "timeline")] == [
        "transition",
        "later",
        "planning",
    ]
    assert set(DERIVED) <= set(vars(site))


def test_a_copy_with_other_entries_does_not_share_what_the_first_computed(tmp_path):
    site = loaded(tmp_path)
    before = (
        site.entries_in("en"),
        site.last_updated,
        site.related(site.get("en", "planning")),
        listed(site, "en", "pages.entry_list"),
    )
    fewer = replace(site, entries={key: e for key, e in site.entries.items() if e.id != "later"})
    assert [e.id for e in fewer.entries_in("en")] == ["planning", "transition"]
    assert fewer.last_updated == dt.date(2023, 1, 20)
    assert [e.id for e in fewer.related(fewer.get("en", "planning"))] == ["transition"]
    assert [e.id for e in listed(fewer, "en", "pages.entry_list")] == ["planning", "transition"]
    assert fewer.by_slug("en", "later") is None
    assert (
        site.entries_in("en"),
        site.last_updated,
        site.related(site.get("en", "planning")),
        listed(site, "en", "pages.entry_list"),
    ) == before
