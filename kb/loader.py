"""Reading the content: the files listed, read and checked in chunks, then rendered, into a Site
(Pelican's "readers")."""

from __future__ import annotations

import re
import stat
from pathlib import Path

from kb import checks, data, editorial, registry
from kb.config import load_config
from kb.content import Entry, Site
from kb.frontmatter import SourceError, decode, parse_yaml, read_source, split_front_matter
from kb.markdown import Renderer, plain_text
from kb.parallel import chunked, fork_map, workers_for
from kb.taxonomy import LANGS, Term
from kb.urls import PAGE_SLUG
from kb.validate import MAX_FILE_BYTES, SLUG, FrontMatterChecker, Problem

READ_CHUNK = 500  # files a worker reads at a time
RENDER_CHUNK = 100  # entries a worker renders at a time
ID_LINE = re.compile(rb"^id:[ \t]*[\"']?([a-z0-9]+(?:-[a-z0-9]+)*)[\"']?[ \t\r]*$", re.MULTILINE)


def load_site(root: Path, jobs: int | None = None) -> Site:
    """Read, check, pair and render all content under root/content.

    jobs: processes that read and render the entries (default: every core for a large site).
    """
    site = Site(root=root)
    problems = site.problems
    content = root / "content"
    if not content.is_dir():
        problems.append(Problem("content", 0, f"no content/ folder in {root}"))
        return site
    site.config = load_config(root, problems)
    site.topics = data.load_topics(root, problems)
    site.glossary = data.load_glossary(root, problems)
    site.timeline = data.load_timeline(root, problems)
    site.synonyms = data.load_synonyms(root, problems)
    site.sources = registry.load_sources(root, problems)
    site.catchment_areas = registry.load_catchment_areas(root, site.sources, problems)
    # Without a registry file there is nothing to cite: sources are then neither checked nor required.
    source_ids = site.sources if (content / "sources.yml").exists() else None
    # Ids of files that have errors: their own problems are reported, so the entries that
    # refer to them are not also told that they are missing.
    unread: set[tuple[str, str]] = set()
    files = [(lang, file) for lang in LANGS for file in sorted((content / lang).rglob("*.md"))]
    jobs = workers_for(len(files), jobs)

    def read(chunk: list[tuple[str, Path]]) -> list[tuple[Entry | None, list[Problem], str | None]]:
        results = []
        for lang, file in chunk:
            found: list[Problem] = []
            entry = read_entry(root, file, lang, site.topics, found, source_ids)
            if entry is not None:
                found.extend(editorial.check_entry(entry))
            results.append((entry, found, None if entry else _sniff_id(file)))
        return results

    chunks = chunked(files, READ_CHUNK)
    for chunk, results in zip(chunks, fork_map(read, chunks, jobs)):
        for (lang, _), (entry, found, sniffed_id) in zip(chunk, results):
            problems.extend(found)
            if entry is not None:
                checks.add(site, entry)
            elif sniffed_id is not None:
                unread.add((lang, sniffed_id))
    checks.check_translations(site, unread)
    checks.check_references(site, unread)
    problems.extend(editorial.check(site))
    _render(site, jobs)
    problems.sort(key=lambda p: (p.path, p.line, p.message))
    return site


def read_entry(
    root: Path, file: Path, lang: str, topics: dict[str, Term], problems: list[Problem],
    sources: dict | None = None,
) -> Entry | None:
    """Read one Markdown file into an Entry, or report why it cannot be one."""
    path = file.relative_to(root).as_posix()
    try:
        raw = read_source(file, MAX_FILE_BYTES, root / "content",
                          f"entries must stay under {MAX_FILE_BYTES / 1e6:.0f} MB, split it into "
                          "several")
    except SourceError as error:
        problems.append(Problem(path, error.line, error.message))
        return None
    try:
        source = split_front_matter(decode(raw))
        values, key_lines = parse_yaml(source.front_matter, source.front_matter_line)
    except SourceError as error:
        problems.append(Problem(path, error.line, error.message))
        return None
    checker = FrontMatterChecker(path, key_lines, topics, source.front_matter_line, sources)
    fields = checker.check(values)
    slug = file.stem
    if not SLUG.match(slug):
        checker.problems.append(Problem(path, 1, f"file name '{file.name}' is not a valid slug: "
                                                  "use lower-case letters, digits and hyphens"))
        fields = None
    elif PAGE_SLUG.fullmatch(slug):
        checker.problems.append(Problem(path, 1, f"file name '{file.name}' is taken by the pages "
                                                  "of the list of questions (page-2/, page-3/…): "
                                                  "add a word to it"))
        fields = None
    if not _has_text(source.body):
        checker.problems.append(Problem(path, source.body_line, "the entry has no answer text "
                                                                "below the front matter"))
        fields = None
    problems.extend(checker.problems)
    if fields is None:
        return None
    return Entry(lang=lang, slug=slug, path=path, body=source.body, body_line=source.body_line,
                 lines={str(key): line for key, line in key_lines.items()}, **fields)


def _sniff_id(file: Path) -> str | None:
    """The id of a file that is not a valid entry, when a line 'id: ...' near its top gives it."""
    try:
        if file.is_symlink() or not stat.S_ISREG(file.stat().st_mode):
            return None  # a named pipe would never answer, a link may lead anywhere: not opened
        with file.open("rb") as source:
            head = source.read(4096)
    except OSError:
        return None
    match = ID_LINE.search(head)
    return match.group(1).decode() if match else None


def _has_text(body: str) -> bool:
    lines = [line for line in body.split("\n") if line.strip()]
    return any(not line.lstrip().startswith("#") for line in lines)


def _render(site: Site, jobs: int = 1) -> None:
    """Render each body once; entry links become paths relative to an entry page."""
    keys = list(site.entries)
    # Four chunks or more per worker, so that the workers finish at about the same time.
    chunks = chunked(keys, max(1, min(RENDER_CHUNK, len(keys) // (jobs * 4) + 1)))
    renderers: dict[str, Renderer] = {}

    def render(chunk: list[tuple[str, str]]) -> list[tuple[str, str]]:
        rendered = []
        for lang, id in chunk:
            if lang not in renderers:
                renderers[lang] = _renderer(site, lang)
            html = renderers[lang].render(site.entries[lang, id].body)
            rendered.append((html, plain_text(html)))
        return rendered

    for chunk, results in zip(chunks, fork_map(render, chunks, jobs)):
        for key, (html, text) in zip(chunk, results):
            site.entries[key].html = html
            site.entries[key].text = text


def _renderer(site: Site, lang: str) -> Renderer:
    def resolve(target: str) -> str | None:
        linked = site.get(lang, target)
        return f"../{linked.slug}/" if linked else None

    return Renderer(resolve, site.abbreviations(lang))
