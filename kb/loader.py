"""Reading the content: the files listed, read through the cache and checked in chunks, then
rendered, into a Site (Pelican's "readers")."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from kb import bodies, checks, collector, datafiles, editorial, links, memo, registry
from kb.cache import Store, code_digest, digest
from kb.config import load_config
from kb.content import Entry, Site
from kb.frontmatter import (
    N_,
    Phrase,
    SourceError,
    decode,
    parse_yaml,
    split_front_matter,
)
from kb.pagelist import PAGE_SLUG
from kb.parallel import chunked, fork_map_pickled, workers_for
from kb.sourcefile import (
    LINK_OUT,
    LINKED_FOLDER,
    LINKED_FOLDER_OUT,
    STATIC_IGNORED,
    links_out,
    read_source,
)
from kb.taxonomy import LANGS, Term
from kb.validate import (
    MAX_FILE_BYTES,
    OPTIONAL_KEYS,
    REQUIRED_KEYS,
    SLUG,
    FrontMatterChecker,
    Problem,
    problem,
)
from kb.watching import file_version
from kb.yamlhints import silent_slips

READ_CHUNK = 500  # files a worker reads at a time
SNIFFED = 4096  # bytes of a file that is not an entry looked at for its id
# 'id: x', and the slips 'id x' and 'id:x': the pair is then not also said to be missing.
ID_LINE = re.compile(
    rb"^id(?::[ \t]*|[ \t]+)[\"']?([a-z0-9]+(?:-[a-z0-9]+)*)[\"']?[ \t\r]*$", re.MULTILINE
)


def load_site(
    root: Path, jobs: int | None = None, cache: Store | None = None, changed: set[str] | None = None
) -> Site:
    """Read, check, pair and render all content under root/content.

    jobs: processes that read and render the entries (default: every core for a large site).
    cache: what earlier loads read and rendered (default: root/.kb-cache/, saved after).
    changed: the files (relative to root) that may have changed since cache's last load, when
    the caller knows (the preview's watcher): the others are not looked at again.
    """
    with collector.paused():  # what is read lives on: no collection would free any of it
        return _load(root, jobs, cache, changed)


def _load(root: Path, jobs: int | None, cache: Store | None, changed: set[str] | None) -> Site:
    site = Site(root=root)
    problems = site.problems
    content = root / "content"
    if not content.is_dir():
        problems.append(problem("content", 0, N_("no content/ folder in %(root)s"), root=str(root)))
        return site
    # Each parsed again only when its file's bytes changed (memo.data_file).
    site.config = memo.data_file(load_config, root, problems, ("site.yml",))
    problems.extend(_static_links(root))
    site.topics = memo.data_file(datafiles.load_topics, root, problems, ("topics.yml",))
    site.glossary = memo.data_file(datafiles.load_glossary, root, problems, ("glossary.yml",))
    site.timeline = memo.data_file(datafiles.load_timeline, root, problems, ("timeline.yml",))
    site.synonyms = memo.data_file(datafiles.load_synonyms, root, problems, ("synonyms.yml",))
    site.sources = memo.data_file(registry.load_sources, root, problems, ("sources.yml",))
    site.catchment_areas = memo.data_file(
        registry.load_catchment_areas,
        root,
        problems,
        ("catchment-areas.yml", "sources.yml"),
        site.sources,
    )
    # Without a registry file there is nothing to cite: sources are then neither checked nor required.
    source_ids = site.sources if (content / "sources.yml").exists() else None
    # Ids of files that have errors: their own problems are reported, so the entries that
    # refer to them are not also told that they are missing.
    unread: set[tuple[str, str]] = set()
    seen = None if changed is None else {os.path.join(root, path) for path in changed}
    files = [(lang, file) for lang in LANGS for file in memo.markdown_files(content / lang, seen)]
    site.entry_files = len(files)
    store = cache if cache is not None else Store.open(root)
    store.begin()
    # What reading a file depends on besides its bytes: kb's code, the topics and the sources,
    # in their files' order (a problem gives the first as its example).
    context = digest(
        code_digest(),
        list(site.topics.items()),
        None if source_ids is None else list(source_ids),
    )
    records: list[tuple | None] = []
    missed: list[tuple[int, str, Path, bytes, str]] = []
    for number, (lang, file) in enumerate(files):
        record, raw, key = _cached_read(root, file, lang, store, context, changed)
        records.append(record)
        if record is None and raw is not None:
            missed.append((number, lang, file, raw, key))
    read_jobs = workers_for(len(missed), jobs)

    def read(chunk: list[tuple[int, str, Path, bytes, str]]) -> list[tuple]:
        results = []
        for _, lang, file, raw, _ in chunk:
            found: list[Problem] = []
            entry = parse_entry(root, file, lang, raw, site.topics, found, source_ids)
            if entry is not None:
                found.extend(editorial.check_entry(entry))
            # From the bytes read, as the record's key: not from the file (it may be a link).
            results.append((entry, found, None if entry else _id_in(raw[:SNIFFED])))
        return results

    chunks = chunked(missed, READ_CHUNK)
    for chunk, results in zip(chunks, fork_map_pickled(read, chunks, read_jobs)):
        for (number, _, _, _, key), (record, pickled) in zip(chunk, results):
            store.put(key, record, pickled)
            records[number] = record
    cached: dict[tuple[str, str], Entry] = {}  # key → the cached entry its copy copies
    fresh: set[int] = set()  # copies made by this load: the others are shared, never changed
    for (lang, _), record in zip(files, records):
        if record is None:
            continue
        entry, found, sniffed_id = record
        problems.extend(found)
        if entry is not None:
            # A copy: rendering fills it in, the cached one stays; the last load's when it has one.
            copied, new = memo.copy_of(entry)
            if new:
                fresh.add(id(copied))
            checks.add(site, copied)
            if site.entries.get((copied.lang, copied.id)) is copied:
                cached[copied.lang, copied.id] = entry
        elif sniffed_id is not None:
            unread.add((lang, sniffed_id))
            site.unread[lang, sniffed_id] = found[0].path if found else ""
    shape = _shape(site, unread)
    checks.check_translations(site, unread, shape)
    checks.check_references(site, unread, shape)
    problems.extend(editorial.check(site))
    bodies.render(site, store, jobs, fresh, shape)
    memo.keep_copies([(cached[key], entry) for key, entry in site.entries.items()])
    site.problems.extend(links.check(site, shape))
    problems.sort(key=lambda p: (p.path, p.line, p.message))
    store.save()
    return site


def _shape(site: Site, unread: set[tuple[str, str]]) -> int:
    """A number for what the rules between entries look at besides the bodies: the same while
    only bodies change, so their results for the entries that did not change are reused."""
    entries = tuple(
        (e.lang, e.id, e.slug, e.path, e.draft, e.phase, e.audiences, e.topics, e.status)
        + tuple(e.lines.get(key) for key in ("id", "phase", "audiences", "topics", "status"))
        for e in site.entries.values()
    )
    return memo.version(
        (site.root, "shape"),
        (entries, frozenset(unread), site.glossary, site.timeline, site.catchment_areas),
    )


def read_entry(
    root: Path,
    file: Path,
    lang: str,
    topics: dict[str, Term],
    problems: list[Problem],
    sources: dict | None = None,
) -> Entry | None:
    """Read one Markdown file into an Entry, or report why it cannot be one."""
    path = file.relative_to(root).as_posix()
    try:
        raw = _read_bytes(root, file)
    except SourceError as error:
        problems.append(_source_problem(path, error))
        return None
    return parse_entry(root, file, lang, raw, topics, problems, sources)


def _read_bytes(root: Path, file: Path) -> bytes:
    return read_source(
        file,
        MAX_FILE_BYTES,
        root / "content",
        Phrase(
            N_("entries must stay under %(mb).0f MB, split it into several"),
            mb=MAX_FILE_BYTES / 1e6,
        ),
    )


def _cached_read(
    root: Path, file: Path, lang: str, store: Store, context: str, changed: set[str] | None = None
) -> tuple[tuple | None, bytes | None, str]:
    """(the cached record, or None and the bytes to parse, and the record's key).

    The preview's store remembers each file's lstat: an unchanged one is not even opened, and
    one the watcher did not see change is not even looked at (a link, or a file with
    several names, is always read).
    Files that cannot be read are reported here and never cached (that check is cheap).
    """
    path = memo.relative(file, root)
    known = store.stats.get(path)
    if (
        changed is not None
        and known is not None
        and path not in changed
        and known[0][-1] == context
    ):
        record = store.get(known[1])
        if record is not None:
            return record, None, known[1]
    try:
        info = file.lstat()
        signature = (info.st_mode, *file_version(info), context)
    except OSError:
        signature = None
    if signature is None or stat.S_ISLNK(info.st_mode) or info.st_nlink > 1:
        # A link's own stat stays the same when the file it leads to changes, and the watch
        # names only the name a file with several (hard links) was written through: such a
        # file is read at every load, its record found by its bytes.
        store.stats.pop(path, None)
        signature = None
    if signature is not None and known is not None and known[0] == signature:
        record = store.get(known[1])
        if record is not None:
            return record, None, known[1]
    try:
        raw = _read_bytes(root, file)
    except SourceError as error:
        return (None, [_source_problem(path, error)], _sniff_id(file)), None, ""
    key = digest(context, lang, path, raw)
    if signature is not None:
        store.stats[path] = (signature, key)
    return store.get(key), raw, key


def parse_entry(
    root: Path,
    file: Path,
    lang: str,
    raw: bytes,
    topics: dict[str, Term],
    problems: list[Problem],
    sources: dict | None = None,
) -> Entry | None:
    """An Entry from a file's bytes, or the problems that keep it from being one."""
    path = file.relative_to(root).as_posix()
    try:
        source = split_front_matter(decode(raw))
    except SourceError as error:
        problems.append(_source_problem(path, error))
        return None

    def refused() -> None:
        """No entry: the answer's own problems are told all the same, so that fixing the front
        matter does not reveal them one run later (those that need other entries must wait)."""
        problems.extend(editorial.check_body(path, source.body, source.body_line))

    try:
        values, key_lines = parse_yaml(source.front_matter, source.front_matter_line)
    except SourceError as error:
        problems.append(_source_problem(path, error))
        refused()
        return None
    slips = silent_slips(
        source.front_matter, source.front_matter_line, REQUIRED_KEYS + OPTIONAL_KEYS
    )
    if slips:
        problems.extend(problem(path, line, msgid, **params) for line, msgid, params in slips)
        refused()
        return None
    checker = FrontMatterChecker(path, key_lines, topics, source.front_matter_line, sources)
    fields = checker.check(values)
    slug = file.stem
    if not SLUG.match(slug):
        checker.problems.append(
            problem(
                path,
                1,
                N_(
                    "file name '%(name)s' is not a valid slug: "
                    "use lower-case letters, digits and hyphens"
                ),
                name=file.name,
            )
        )
        fields = None
    elif PAGE_SLUG.fullmatch(slug):
        checker.problems.append(
            problem(
                path,
                1,
                N_(
                    "file name '%(name)s' is taken by the pages "
                    "of the list of questions (page-2/, "
                    "page-3/…): add a word to it"
                ),
                name=file.name,
            )
        )
        fields = None
    if not _has_text(source.body):
        checker.problems.append(
            problem(
                path, source.body_line, N_("the entry has no answer text below the front matter")
            )
        )
        fields = None
    problems.extend(checker.problems)
    if fields is None:
        refused()
        return None
    return Entry(
        lang=lang,
        slug=slug,
        path=path,
        body=source.body,
        body_line=source.body_line,
        lines={str(key): line for key, line in key_lines.items()},
        **fields,
    )


def _static_links(root: Path) -> list[Problem]:
    """The links of static/ that a build cannot publish as the preview serves them."""
    return [
        problem(path, 1, LINKED_FOLDER, "warning", target=real)
        if is_folder and not out
        else problem(
            path, 1, LINKED_FOLDER_OUT if is_folder else LINK_OUT, target=real, folder="static"
        )
        for file, real, is_folder, out in links_out(root / "static", STATIC_IGNORED)
        for path in [file.relative_to(root).as_posix()]
    ]


def _source_problem(path: str, error: SourceError) -> Problem:
    if error.msgid:
        return problem(path, error.line, error.msgid, **error.params)
    return Problem(path, error.line, error.message)


def _sniff_id(file: Path) -> str | None:
    """The id of a file that is not a valid entry, when a line 'id: ...' near its top gives it."""
    try:
        if file.is_symlink() or not stat.S_ISREG(file.stat().st_mode):
            return None  # a named pipe would never answer, a link may lead anywhere: not opened
        with file.open("rb") as source:
            head = source.read(SNIFFED)
    except OSError:
        return None
    return _id_in(head)


def _id_in(head: bytes) -> str | None:
    """The id a line 'id: ...' of head gives, if any."""
    match = ID_LINE.search(head)
    return match.group(1).decode() if match else None


def _has_text(body: str) -> bool:
    lines = [line for line in body.split("\n") if line.strip()]
    return any(not line.lstrip().startswith("#") for line in lines)
