"""Rendering the bodies of a loaded Site, each once per body and what its page depends on."""

from __future__ import annotations

import functools
import re

from kb import media, memo
from kb.cache import Store, code_digest, digest
from kb.content import Site
from kb.markdown import Renderer, text_and_parts
from kb.pagelist import entry_url, from_entry_page
from kb.parallel import chunked, fork_map_pickled, workers_for
from kb.taxonomy import LANGS, SECTIONS

RENDER_CHUNK = 100  # entries a worker renders at a time
# Every id a body may link to (a superset of entry_links: reference-style links too); an id is
# a slug, so any link that can resolve is found whole.
MAYBE_LINKED = re.compile(r"entry:([a-z0-9-]+)")
_linked_ids = memo.per_text(lambda body: tuple(sorted(set(MAYBE_LINKED.findall(body)))))


_keys = memo.per_key()


def render(site: Site, store: Store, jobs: int | None, fresh: set[int], shape: int) -> None:
    """Render each body once; entry links become paths relative to an entry page.

    A body's HTML depends on the body, on where the entries it links to are (their slugs) and on
    the glossary's abbreviations: the cache key holds exactly these, so renaming or adding an
    entry re-renders only the entries that link to it, and a glossary change all of them.
    """
    # Besides the body and the slugs it links to: the abbreviations, the catchment pages it may
    # link to, and the media files whose sizes it gives; the entry's folder places media links.
    media_files = media.shown(site.root / "content" / media.FOLDER)
    contexts = {
        lang: digest(
            code_digest(),
            lang,
            sorted(site.abbreviations(lang).items()),
            [(area.id, area.slugs[lang]) for area in site.catchment_areas],
            media_files,
        )
        for lang in LANGS
    }
    missed: list[tuple[tuple[str, str], str]] = []
    for key, entry in site.entries.items():
        # The slugs linked to are part of the shape: a body's key is kept while it holds.
        render_key = _keys(
            (shape, contexts[entry.lang], entry.path, entry.body),
            functools.partial(_render_key, site, entry, contexts[entry.lang]),
        )
        record = store.get(render_key)
        if record is None:
            missed.append((key, render_key))
        else:
            _give(site, key, record, fresh)
    jobs = workers_for(len(missed), jobs)
    # Four chunks or more per worker, so that the workers finish at about the same time.
    chunks = chunked(missed, max(1, min(RENDER_CHUNK, len(missed) // (jobs * 4) + 1)))
    renderers: dict[str, Renderer] = {}

    def render(chunk: list[tuple[tuple[str, str], str]]) -> list[tuple[str, str]]:
        rendered = []
        for (lang, id), _ in chunk:
            if lang not in renderers:  # the last load's, when its context is the same
                renderers[lang] = memo.take_renderer(
                    (site.root, contexts[lang]),
                    site,
                    lambda current, lang=lang: _renderer(current, lang),
                )
            html = renderers[lang].render(site.entries[lang, id].body, site.entries[lang, id].path)
            rendered.append((html, *text_and_parts(html)))
        return rendered

    for chunk, results in zip(chunks, fork_map_pickled(render, chunks, jobs)):
        for (key, render_key), (page, pickled) in zip(chunk, results):
            _give(site, key, page, fresh)
            store.put(render_key, page, pickled)
    for lang, renderer in renderers.items():
        memo.keep_renderer((site.root, contexts[lang]), renderer)


def _render_key(site: Site, entry, context: str) -> str:
    """The cache key of entry's HTML: its body, the slugs it links to, its folder, context."""
    slugs = tuple(
        (target, linked.slug if (linked := site.get(entry.lang, target)) else None)
        for target in _linked_ids(entry.body)
    )
    folder = entry.path.rsplit("/", 1)[0]  # relative media links start from it
    return memo.key(context, folder, entry.body, slugs)


def _give(site: Site, key: tuple[str, str], page: tuple[str, str, tuple], fresh: set[int]) -> None:
    """The entry at key gets its (html, text, parts); a shared one (the last Site's) is copied
    first."""
    entry = site.entries[key]
    if entry.html is page[0] and entry.text is page[1] and entry.parts is page[2]:
        return  # the same values as last time (they come from the cache)
    if id(entry) not in fresh:
        entry = site.entries[key] = site._slugs[entry.lang, entry.slug] = memo.copy(entry)
    entry.html, entry.text, entry.parts = page


# The href of an entry page from another (a pure function of both, asked for on every link).
_entry_href = functools.lru_cache(maxsize=1 << 16)(
    lambda lang, slug: from_entry_page(entry_url(lang, slug), lang)
)


def _renderer(site: Site, lang: str) -> Renderer:
    def resolve(target: str) -> str | None:
        linked = site.get(lang, target)
        return _entry_href(lang, linked.slug) if linked else None

    areas = (
        f"../../{SECTIONS['catchments'][lang]}/"  # from an entry page, /<lang>/questions/<slug>/
    )

    def resolve_catchment(target: str) -> str | None:
        if not target:
            return areas  # the list of all areas, grouped by phase
        area = next((a for a in site.catchment_areas if a.id == target), None)
        return f"{areas}{area.slugs[lang]}/" if area else None

    return Renderer(resolve, site.abbreviations(lang), site.root / "content", resolve_catchment)
