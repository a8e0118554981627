"""The content model: an Entry per file and language, and the Site that holds them all.

kb.loader reads the content into a Site (load_site, also reachable from here); kb.checks holds the
rules that look at several entries at once."""

from __future__ import annotations

import datetime as dt
import heapq
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from kb import datafiles, registry
from kb.config import SiteConfig
from kb.fingerprint import fingerprint
from kb.taxonomy import OTHER_LANG, PHASES, Term
from kb.validate import Problem

PHASE_ORDER = {phase: index for index, phase in enumerate(PHASES)}


@dataclass
class Entry:
    """One question and its answer in one language."""

    id: str
    lang: str
    slug: str
    path: str
    title: str
    phase: str
    audiences: tuple[str, ...]
    topics: tuple[str, ...]
    updated: dt.date
    status: str
    period: str
    summary: str | None
    order: int
    body: str
    body_line: int
    synced: str | None = None  # the counterpart's fingerprint at the last `kb sync`
    as_of: dt.date | None = None  # the month of the plans the answer reflects (the period box)
    html: str = ""
    text: str = ""  # the answer as plain text (search, descriptions, structured data)
    parts: tuple = ()  # its plain text cut at its `##` headings (kb.markdown.text_and_parts)
    sources: tuple[str, ...] = ()  # ids from content/sources.yml
    lines: dict[str, int] = field(default_factory=dict, repr=False)  # front matter key → line

    @property
    def draft(self) -> bool:
        """Not published: a draft or an entry awaiting review, both kept out of build/."""
        return self.status != "published"

    @cached_property
    def fingerprint(self) -> str:
        return fingerprint(self.title, self.summary, self.period, self.body)

    @property
    def description(self) -> str:
        return self.summary or _shorten(self.text, 200)

    @property
    def sort_key(self) -> tuple:
        return (PHASE_ORDER[self.phase], self.order, self.title.casefold())


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


@dataclass
class Site:
    """Everything kb knows about the content, read once."""

    root: Path
    entries: dict[tuple[str, str], Entry] = field(default_factory=dict)
    topics: dict[str, Term] = field(default_factory=dict)
    glossary: list[datafiles.GlossaryItem] = field(default_factory=list)
    timeline: list[datafiles.TimelineEvent] = field(default_factory=list)
    synonyms: list[list[str]] = field(default_factory=list)
    sources: dict[str, registry.Source] = field(default_factory=dict)
    catchment_areas: list[registry.CatchmentArea] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unread: dict[tuple[str, str], str] = field(default_factory=dict)  # (lang, id) → broken file
    media: dict[str, int] = field(default_factory=dict)  # content/media/ files linked: name → bytes
    entry_files: int = 0  # Markdown files read as entries, those whose errors kept them out too
    config: SiteConfig = field(default_factory=SiteConfig)  # content/site.yml
    # What every page asks for is computed from all entries once, on first use (cached_property):
    # a Site is complete when kb.loader returns it, which uses none of it while adding entries,
    # and nothing changes it after. A copy made with dataclasses.replace computes its own.

    def get(self, lang: str, id: str) -> Entry | None:
        return self.entries.get((lang, id))

    def by_slug(self, lang: str, slug: str) -> Entry | None:
        return self._slugs.get((lang, slug))

    @cached_property
    def _slugs(self) -> dict[tuple[str, str], Entry]:
        return {(e.lang, e.slug): e for e in self.entries.values()}

    def entries_in(self, lang: str, drafts: bool = False) -> list[Entry]:
        """Entries of one language in reading order (phase, then order, then title)."""
        key = (lang, drafts)
        if key not in self._in_order:
            chosen = [
                e for e in self.entries.values() if e.lang == lang and (drafts or not e.draft)
            ]
            self._in_order[key] = sorted(chosen, key=lambda e: e.sort_key)
        return list(self._in_order[key])

    @cached_property
    def _in_order(self) -> dict[tuple[str, bool], list[Entry]]:
        """entries_in's lists, by (lang, drafts), each sorted when first asked for."""
        return {}

    @cached_property
    def search_engines(self) -> dict[bool, object]:
        """The search engines built from this Site (kb.search.engine_for), by drafts: kept with
        the Site, so a reload's new Site has its own and the old ones go with the old Site."""
        return {}

    def related(self, entry: Entry, drafts: bool = False, limit: int = 5) -> list[Entry]:
        """Entries sharing the most topics with entry, the same phase first, then reading order.

        Entries are grouped once by (topics, phase), so a page looks at each group, not at every
        entry: the groups are bounded by the vocabularies, not by the size of the site. Entries
        with the same topics and phase get the same ranking, so it is computed once for them,
        one entry longer, and each drops itself from it.
        """
        key = (entry.lang, drafts, frozenset(entry.topics), entry.phase, limit)
        if key not in self._rankings:
            self._rankings[key] = self._ranked(entry, drafts, limit + 1)
        return [other for other in self._rankings[key] if other.id != entry.id][:limit]

    @cached_property
    def _rankings(self) -> dict[tuple, list[Entry]]:
        """related()'s rankings, by (lang, drafts, topics, phase, limit), filled as pages ask."""
        return {}

    @cached_property
    def _groups(self) -> dict[tuple[str, bool], dict[tuple, list[tuple[int, Entry]]]]:
        """(lang, drafts) → the entries in reading order, with their place, by (topics, phase)."""
        return {}

    def _ranked(self, entry: Entry, drafts: bool, limit: int) -> list[Entry]:
        key = (entry.lang, drafts)
        if key not in self._groups:
            groups: dict[tuple, list[tuple[int, Entry]]] = defaultdict(list)
            for index, other in enumerate(self.entries_in(entry.lang, drafts)):
                groups[(frozenset(other.topics), other.phase)].append((index, other))
            self._groups[key] = groups
        topics = set(entry.topics)
        ranked: dict[tuple, list[list[tuple[int, Entry]]]] = defaultdict(list)
        for (group_topics, phase), members in self._groups[key].items():
            shared = len(group_topics & topics)
            if shared or phase == entry.phase:
                ranked[(-shared, phase != entry.phase)].append(members)
        found: list[Entry] = []
        for rank in sorted(ranked):
            for _, other in heapq.merge(*ranked[rank]):  # by reading order within a rank
                found.append(other)
                if len(found) == limit:
                    return found
        return found

    @cached_property
    def page_lists(self) -> dict[tuple, list[Entry]]:
        """kb.pagelist.listed's lists of entries, by what the list shows, filled as pages ask."""
        return {}

    def catchment_area(self, lang: str, slug: str) -> registry.CatchmentArea | None:
        """The catchment area whose page is at this slug in this language."""
        return next((a for a in self.catchment_areas if a.slugs[lang] == slug), None)

    def catchments_in(self, phase: str) -> list[registry.CatchmentArea]:
        return [area for area in self.catchment_areas if area.phase == phase]

    def translation(self, entry: Entry) -> Entry | None:
        return self.get(OTHER_LANG[entry.lang], entry.id)

    def abbreviations(self, lang: str) -> dict[str, str]:
        """Acronym → expansion, for <abbr title>; English plurals (SSMs) too."""
        found = {}
        for item in self.glossary:
            abbr, term = item.abbrs.get(lang), item.terms[lang]
            if abbr:
                found[abbr] = term
                if lang == "en":
                    found[abbr + "s"] = term + "s"
        return found

    @cached_property
    def last_updated(self) -> dt.date | None:
        """The date of the latest published entry."""
        dates = [e.updated for e in self.entries.values() if not e.draft]
        return max(dates) if dates else None


def __getattr__(name: str):
    """load_site and read_entry, from kb.loader, where reading lives (imported when asked for:
    kb.loader imports this module)."""
    if name in ("load_site", "read_entry"):
        from kb import loader

        return getattr(loader, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
