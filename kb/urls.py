"""Every page of the site, grouped with its counterpart in the other language."""

from __future__ import annotations

from collections.abc import Iterator

from kb.content import Site
from kb.taxonomy import AUDIENCES, LANGS, PHASES

# A page in each language: {lang: (endpoint, values)}.
PageGroup = dict[str, tuple[str, dict]]

SINGLE_PAGES = ("home", "entry_list", "topic_list", "glossary", "timeline", "search")


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
    for endpoint, terms in (
        ("pages.phase", PHASES.values()),
        ("pages.audience", AUDIENCES.values()),
        ("pages.topic", site.topics.values()),
    ):
        for term in terms:
            yield {lang: (endpoint, {"lang": lang, "slug": term.slug(lang)}) for lang in LANGS}


def all_pages(site: Site) -> Iterator[tuple[str, dict]]:
    """Every URL to freeze, as (endpoint, values)."""
    yield "root.splash", {}
    yield "root.not_found_page", {}
    yield "hosting.sitemap", {}
    yield "hosting.robots", {}
    for lang in LANGS:
        yield "hosting.feed", {"lang": lang}
    for group in page_groups(site):
        yield from group.values()
    for name in sorted(site.media):  # the images and attachments that entries use
        yield "media.file", {"name": name}
