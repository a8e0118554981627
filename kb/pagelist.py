"""Every page of the site, grouped with its counterpart in the other language."""

from __future__ import annotations

import math
import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kb.taxonomy import AUDIENCES, LANGS, PHASES, SECTIONS

if TYPE_CHECKING:  # kb.content checks file names against PAGE_SLUG, so it imports this module
    from kb.content import Entry, Site

# A page in each language: {lang: (endpoint, values)}.
PageGroup = dict[str, tuple[str, dict]]

# Pages of one page each (the lists of LISTS take as many as their entries need).
SINGLE_PAGES = (
    "home",
    "phase_list",
    "audience_list",
    "topic_list",
    "glossary",
    "timeline",
    "search",
    "catchment_list",
    "accessibility",
    "privacy",
)
# Entries a list page shows: about 40 KB of HTML, well under the 100 KB a page may weigh.
PER_PAGE = 50
# Page n > 1 of a list is the folder page-<n>/ next to its entries, so shortening its URL lands
# on page 1; entry files may not take such a name (kb.content reports it).
PAGE_SLUG = re.compile(r"page-[0-9]+")
# URLs per sitemap file (the sitemap protocol's limit); past it, sitemap.xml is an index.
SITEMAP_URLS = 50_000


def entry_url(lang: str, slug: str) -> str:
    """Site-relative URL of an entry page (the Flask rule /<lang>/questions/<slug>/)."""
    return f"/{lang}/{SECTIONS['entries'][lang]}/{slug}/"


def from_entry_page(url: str, lang: str) -> str:
    """A site-relative URL as an entry page links to it: relative ('../slug/'), so that answers
    work under any sub-path and in the search index alike."""
    return posixpath.relpath(url, entry_url(lang, "any")) + "/"


# The paginated lists: endpoint → whether an entry belongs to the list of a term (None: all).
LISTS: dict[str, Callable[[Entry, str | None], bool]] = {
    "pages.entry_list": lambda entry, term: True,
    "pages.phase": lambda entry, term: entry.phase == term,
    "pages.audience": lambda entry, term: term in entry.audiences,
    "pages.topic": lambda entry, term: term in entry.topics,
}


def listed(
    site: Site, lang: str, endpoint: str, term: str | None = None, drafts: bool = False
) -> list[Entry]:
    """The entries of one list, in reading order; worked out once per list, not once per page."""
    key = (lang, drafts, endpoint, term)
    if key not in site.page_lists:  # kept by the Site, which nothing changes once loaded
        site.page_lists[key] = [
            e for e in site.entries_in(lang, drafts) if LISTS[endpoint](e, term)
        ]
    return site.page_lists[key]


def page_count(entries: int) -> int:
    """Pages a list of so many entries takes (an empty list still has its page)."""
    return max(1, math.ceil(entries / PER_PAGE))


def page_of(entries: list[Entry], number: int) -> list[Entry]:
    """The entries page `number` (from 1) of a list shows."""
    return entries[(number - 1) * PER_PAGE : number * PER_PAGE]


@dataclass(frozen=True)
class Pager:
    """One page of a list: its number, how many pages the list has, the URL of any page."""

    number: int
    pages: int
    url: Callable[[int], str]

    @property
    def prev(self) -> str | None:
        return self.url(self.number - 1) if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.url(self.number + 1) if self.number < self.pages else None

    def window(self) -> list[int | None]:
        """Page numbers to link: the first, the last and the current one with its neighbours;
        None where numbers are left out (a list of 100 pages gets 7 links, not 100)."""
        shown = sorted(
            {1, self.pages, *range(self.number - 1, self.number + 2)}
            & set(range(1, self.pages + 1))
        )
        window: list[int | None] = []
        for number in shown:
            if window and number - window[-1] == 2:
                window.append(number - 1)  # a gap of one page: the number, not an ellipsis
            elif window and number - window[-1] > 2:
                window.append(None)
            window.append(number)
        return window


def _term_lists(site: Site) -> Iterator[tuple[str, str | None, dict[str, dict]]]:
    """Each paginated list: endpoint, term id, and its values per language."""
    yield "pages.entry_list", None, {lang: {} for lang in LANGS}
    for endpoint, terms in (
        ("pages.phase", PHASES.values()),
        ("pages.audience", AUDIENCES.values()),
        ("pages.topic", site.topics.values()),
    ):
        for term in terms:
            yield endpoint, term.id, {lang: {"slug": term.slug(lang)} for lang in LANGS}


def page_groups(site: Site) -> Iterator[PageGroup]:
    """The language pages of the site, each with its translation (the sitemap's alternates)."""
    for endpoint in SINGLE_PAGES:
        yield {lang: (f"pages.{endpoint}", {"lang": lang}) for lang in LANGS}
    for entry in site.entries_in("en"):
        translation = site.translation(entry)
        if translation is not None and not translation.draft:
            yield {
                e.lang: ("pages.entry", {"lang": e.lang, "slug": e.slug})
                for e in (entry, translation)
            }
    for endpoint, term, values in _term_lists(site):
        # Translations share phase, audiences and topics, so both languages have as many pages.
        for number in range(1, page_count(len(listed(site, "en", endpoint, term))) + 1):
            page = {"page": number} if number > 1 else {}
            yield {lang: (endpoint, {"lang": lang, **values[lang], **page}) for lang in LANGS}

    yield from catchment_groups(site)


def catchment_groups(site: Site) -> Iterator[PageGroup]:
    """Each catchment area's page in both languages."""
    for area in site.catchment_areas:
        yield {
            lang: ("pages.catchment", {"lang": lang, "slug": area.slugs[lang]}) for lang in LANGS
        }


def pageless_endpoints(site: Site) -> frozenset[str]:
    """Endpoints that rightly have no page on this site: area pages when it lists no areas."""
    return frozenset() if site.catchment_areas else frozenset({"pages.catchment"})


def sitemap_parts(site: Site) -> int:
    """Files the sitemap is split into: 1 (sitemap.xml itself), or the parts an index lists."""
    urls = sum(len(group) for group in page_groups(site))
    return 1 if urls <= SITEMAP_URLS else math.ceil(urls / SITEMAP_URLS)


def all_pages(site: Site) -> Iterator[tuple[str, dict]]:
    """Every URL to freeze, as (endpoint, values)."""
    yield "root.splash", {}
    yield "root.not_found_page", {}
    yield "hosting.sitemap", {}
    parts = sitemap_parts(site)
    for number in range(1, parts + 1 if parts > 1 else 1):
        yield "hosting.sitemap", {"number": number}
    yield "hosting.robots", {}
    for lang in LANGS:
        yield "hosting.feed", {"lang": lang}
    for group in page_groups(site):
        yield from group.values()
    for name in sorted(site.media):  # the images and attachments that entries use
        yield "media.file", {"name": name}
