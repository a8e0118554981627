"""The search of a whole Site: one index per language, built once per loaded Site."""

from __future__ import annotations

from collections.abc import Callable

from whoosh.filedb.filestore import Storage

from kb.search.index import LanguageIndex, build_index, searchable
from kb.search.query import Results, search
from kb.search.thesaurus import Thesaurus, site_groups
from kb.taxonomy import LANGS


class SearchEngine:
    """Searches entries in either language."""

    def __init__(self, indexes: dict[str, LanguageIndex]):
        self.indexes = indexes

    @classmethod
    def from_site(
        cls, site, drafts: bool = False, storage: Callable[[str], Storage] | None = None
    ) -> SearchEngine:
        """Index the Site's entries; `storage(lang)` gives where each index goes (default: RAM)."""
        groups = site_groups(site.glossary, site.synonyms)
        indexes = {}
        for lang in LANGS:
            thesaurus = Thesaurus.build(lang, groups)
            entries = searchable(site, lang, drafts=drafts)
            indexes[lang] = build_index(
                lang, entries, thesaurus, storage(lang) if storage else None
            )
        return cls(indexes)

    def search(self, lang: str, query: str, **options) -> Results:
        """Options: limit, page, audience, phase (see kb.search.query.search)."""
        return search(self.indexes[lang], query, **options)

    def search_json(self, lang: str, query: str, **options) -> list[dict]:
        """The hits as `kb search --json` prints them."""
        return [hit.as_json() for hit in self.search(lang, query, **options).hits]


def engine_for(site, drafts: bool = False) -> SearchEngine:
    """The engine of a loaded Site, built on first use and kept with the Site."""
    engine = site.search_engines.get(drafts)
    if engine is None:  # two threads may both build it: the same engine, once too often
        engine = site.search_engines.setdefault(drafts, SearchEngine.from_site(site, drafts=drafts))
    return engine
