"""The content model: entries read once into one in-memory Site, checked, paired and rendered."""

from __future__ import annotations

import datetime as dt
import difflib
import heapq
import re
import stat
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from kb import data, editorial, links, media, memo, registry
from kb.cache import Store, code_digest, digest
from kb.config import SiteConfig, load_config
from kb.fingerprint import fingerprint
from kb.frontmatter import SourceError, decode, parse_yaml, read_source, split_front_matter
from kb.markdown import Renderer, plain_text
from kb.parallel import chunked, fork_map, workers_for
from kb.taxonomy import LANGS, OTHER_LANG, PHASES, SECTIONS, Term
from kb.urls import PAGE_SLUG
from kb.validate import (MAX_FILE_BYTES, N_, OPTIONAL_KEYS, REQUIRED_KEYS, SLUG,
                         FrontMatterChecker, Problem, problem)
from kb.yamlhints import silent_slips

READ_CHUNK = 500  # files a worker reads at a time
RENDER_CHUNK = 100  # entries a worker renders at a time
PHASE_ORDER = {phase: index for index, phase in enumerate(PHASES)}
# 'id: x', and the slips 'id x' and 'id:x': the pair is then not also said to be missing.
ID_LINE = re.compile(rb"^id(?::[ \t]*|[ \t]+)[\"']?([a-z0-9]+(?:-[a-z0-9]+)*)[\"']?[ \t\r]*$", re.MULTILINE)
# Every id a body may link to (a superset of entry_links: reference-style links too); an id is
# a slug, so any link that can resolve is found whole.
MAYBE_LINKED = re.compile(r"entry:([a-z0-9-]+)")
_linked_ids = memo.per_text(lambda body: tuple(sorted(set(MAYBE_LINKED.findall(body)))))


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
    glossary: list[data.GlossaryItem] = field(default_factory=list)
    timeline: list[data.TimelineEvent] = field(default_factory=list)
    synonyms: list[list[str]] = field(default_factory=list)
    sources: dict[str, registry.Source] = field(default_factory=dict)
    catchment_areas: list[registry.CatchmentArea] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unread: dict[tuple[str, str], str] = field(default_factory=dict)  # (lang, id) → broken file
    media: dict[str, int] = field(default_factory=dict)  # content/media/ files linked: name → bytes
    config: SiteConfig = field(default_factory=SiteConfig)  # content/site.yml
    # Results computed from all entries, asked for by every page: computed once per entry count.
    _memo: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def get(self, lang: str, id: str) -> Entry | None:
        return self.entries.get((lang, id))

    def by_slug(self, lang: str, slug: str) -> Entry | None:
        return self._slugs.get((lang, slug))

    @cached_property
    def _slugs(self) -> dict[tuple[str, str], Entry]:
        return {(e.lang, e.slug): e for e in self.entries.values()}

    def entries_in(self, lang: str, drafts: bool = False) -> list[Entry]:
        """Entries of one language in reading order (phase, then order, then title)."""
        key = ("in_order", lang, drafts, len(self.entries))
        if key not in self._memo:
            chosen = [e for e in self.entries.values() if e.lang == lang and (drafts or not e.draft)]
            self._memo[key] = sorted(chosen, key=lambda e: e.sort_key)
        return list(self._memo[key])

    def related(self, entry: Entry, drafts: bool = False, limit: int = 5) -> list[Entry]:
        """Entries sharing the most topics with entry, the same phase first, then reading order.

        Entries are grouped once by (topics, phase), so a page looks at each group, not at every
        entry: the groups are bounded by the vocabularies, not by the size of the site. Entries
        with the same topics and phase get the same ranking, so it is computed once for them,
        one entry longer, and each drops itself from it.
        """
        key = ("related", entry.lang, drafts, len(self.entries), frozenset(entry.topics),
               entry.phase, limit)
        if key not in self._memo:
            self._memo[key] = self._ranked(entry, drafts, limit + 1)
        return [other for other in self._memo[key] if other.id != entry.id][:limit]

    def _ranked(self, entry: Entry, drafts: bool, limit: int) -> list[Entry]:
        key = ("groups", entry.lang, drafts, len(self.entries))
        if key not in self._memo:
            groups: dict[tuple, list[tuple[int, Entry]]] = defaultdict(list)
            for index, other in enumerate(self.entries_in(entry.lang, drafts)):
                groups[(frozenset(other.topics), other.phase)].append((index, other))
            self._memo[key] = groups
        topics = set(entry.topics)
        ranked: dict[tuple, list[list[tuple[int, Entry]]]] = defaultdict(list)
        for (group_topics, phase), members in self._memo[key].items():
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

    @property
    def last_updated(self) -> dt.date | None:
        key = ("last_updated", len(self.entries))
        if key not in self._memo:
            dates = [e.updated for e in self.entries.values() if not e.draft]
            self._memo[key] = max(dates) if dates else None
        return self._memo[key]


def load_site(root: Path, jobs: int | None = None, cache: Store | None = None) -> Site:
    """Read, check, pair and render all content under root/content.

    jobs: processes that read and render the entries (default: every core for a large site).
    cache: what earlier loads read and rendered (default: root/.kb-cache/, saved after).
    """
    site = Site(root=root)
    problems = site.problems
    content = root / "content"
    if not content.is_dir():
        problems.append(Problem("content", 0, f"no content/ folder in {root}"))
        return site
    # Each parsed again only when its file's bytes changed (memo.data_file).
    site.config = memo.data_file(load_config, root, problems, ("site.yml",))
    site.topics = memo.data_file(data.load_topics, root, problems, ("topics.yml",))
    site.glossary = memo.data_file(data.load_glossary, root, problems, ("glossary.yml",))
    site.timeline = memo.data_file(data.load_timeline, root, problems, ("timeline.yml",))
    site.synonyms = memo.data_file(data.load_synonyms, root, problems, ("synonyms.yml",))
    site.sources = memo.data_file(registry.load_sources, root, problems, ("sources.yml",))
    site.catchment_areas = memo.data_file(registry.load_catchment_areas, root, problems,
                                          ("catchment-areas.yml", "sources.yml"), site.sources)
    # Without a registry file there is nothing to cite: sources are then neither checked nor required.
    source_ids = site.sources if (content / "sources.yml").exists() else None
    # Ids of files that have errors: their own problems are reported, so the entries that
    # refer to them are not also told that they are missing.
    unread: set[tuple[str, str]] = set()
    files = [(lang, file) for lang in LANGS for file in memo.markdown_files(content / lang)]
    store = cache if cache is not None else Store.open(root)
    store.begin()
    # What reading a file depends on besides its bytes: kb's code, the topics and the sources.
    context = digest(code_digest(), sorted(site.topics.items()),
                     None if source_ids is None else sorted(source_ids))
    records: list[tuple | None] = []
    missed: list[tuple[int, str, Path, bytes, str]] = []
    for number, (lang, file) in enumerate(files):
        record, raw, key = _cached_read(root, file, lang, store, context)
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
            results.append((entry, found, None if entry else _sniff_id(file)))
        return results

    chunks = chunked(missed, READ_CHUNK)
    for chunk, results in zip(chunks, fork_map(read, chunks, read_jobs)):
        for (number, _, file, _, key), record in zip(chunk, results):
            store.put(key, record)
            records[number] = record
    for (lang, _), record in zip(files, records):
        if record is None:
            continue
        entry, found, sniffed_id = record
        problems.extend(found)
        if entry is not None:
            _add(site, memo.copy(entry))  # a copy: rendering fills it in, the cached one stays
        elif sniffed_id is not None:
            unread.add((lang, sniffed_id))
            site.unread[lang, sniffed_id] = found[0].path if found else ""
    _check_translations(site, unread)
    _check_references(site, unread)
    problems.extend(editorial.check(site))
    _render(site, store, jobs)
    site.problems.extend(links.check(site))
    problems.sort(key=lambda p: (p.path, p.line, p.message))
    store.save()
    return site


def read_entry(
    root: Path, file: Path, lang: str, topics: dict[str, Term], problems: list[Problem],
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
    return read_source(file, MAX_FILE_BYTES, root / "content",
                       f"entries must stay under {MAX_FILE_BYTES / 1e6:.0f} MB, split it into "
                       "several")


def _cached_read(root: Path, file: Path, lang: str, store: Store,
                 context: str) -> tuple[tuple | None, bytes | None, str]:
    """(the cached record, or None and the bytes to parse, and the record's key).

    The preview's store remembers each file's lstat: an unchanged one is not even opened.
    Files that cannot be read are reported here and never cached (that check is cheap).
    """
    path = memo.relative(file, root)
    try:
        info = file.lstat()
        signature = (info.st_mode, info.st_ino, info.st_size, info.st_mtime_ns, context)
    except OSError:
        signature = None
    known = store.stats.get(path)
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
    root: Path, file: Path, lang: str, raw: bytes, topics: dict[str, Term],
    problems: list[Problem], sources: dict | None = None,
) -> Entry | None:
    """An Entry from a file's bytes, or the problems that keep it from being one."""
    path = file.relative_to(root).as_posix()
    try:
        source = split_front_matter(decode(raw))
        values, key_lines = parse_yaml(source.front_matter, source.front_matter_line)
    except SourceError as error:
        problems.append(_source_problem(path, error))
        return None
    slips = silent_slips(source.front_matter, source.front_matter_line,
                         REQUIRED_KEYS + OPTIONAL_KEYS)
    if slips:
        problems.extend(problem(path, line, msgid, **params) for line, msgid, params in slips)
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
            head = source.read(4096)
    except OSError:
        return None
    match = ID_LINE.search(head)
    return match.group(1).decode() if match else None


def _has_text(body: str) -> bool:
    lines = [line for line in body.split("\n") if line.strip()]
    return any(not line.lstrip().startswith("#") for line in lines)


def _add(site: Site, entry: Entry) -> None:
    # Two dictionary look-ups, not a scan of every entry read so far (that made loading O(N²)).
    same_id = site.entries.get((entry.lang, entry.id))
    same_slug = site._slugs.get((entry.lang, entry.slug))
    if same_id and same_slug and same_slug is not same_id:
        # Both clash: report the entry read first, as a scan in reading order would.
        order = list(site.entries.values())
        if order.index(same_slug) < order.index(same_id):
            same_id = None
    if same_id:
        site.problems.append(Problem(entry.path, 2, f"duplicate id '{entry.id}': "
                                                     f"{same_id.path} has it too"))
        return
    if same_slug:
        site.problems.append(Problem(entry.path, 1, f"duplicate file name '{entry.slug}.md': "
                                                     f"{same_slug.path} has the same URL"))
        return
    site.entries[(entry.lang, entry.id)] = entry
    site._slugs[(entry.lang, entry.slug)] = entry


def _check_translations(site: Site, unread: set[tuple[str, str]]) -> None:
    """Every entry exists in both languages with the same phase, audiences and topics."""
    paired = _mismatched_ids(site, unread)
    for entry in list(site.entries.values()):
        other = site.translation(entry)
        if other is None and (OTHER_LANG[entry.lang], entry.id) in unread or entry.path in paired:
            continue
        if other is None:
            missing = "French" if entry.lang == "en" else "English"
            site.problems.append(Problem(
                entry.path, 2, f"entry '{entry.id}' has no {missing} translation: add a file under "
                               f"content/{OTHER_LANG[entry.lang]}/ with 'id: {entry.id}'"))
            continue
        if entry.lang != "en":
            continue
        for name in ("phase", "audiences", "topics", "status"):
            if set(_as_tuple(getattr(entry, name))) != set(_as_tuple(getattr(other, name))):
                site.problems.append(Problem(
                    other.path, 2, f"{name} differs from the English entry {entry.path}: "
                                   f"{getattr(other, name)} vs {getattr(entry, name)}"))


def _mismatched_ids(site: Site, unread: set[tuple[str, str]]) -> set[str]:
    """One problem for each pair whose two files give different ids; the paths reported.

    An English and a French file without a counterpart are a pair when their ids are close, or
    when they are the only ones without a counterpart in their phase.
    """
    alone = {lang: [e for e in site.entries.values() if e.lang == lang
                    and site.translation(e) is None and (OTHER_LANG[lang], e.id) not in unread]
             for lang in LANGS}
    reported: set[str] = set()
    for en in alone["en"]:
        candidates = [fr for fr in alone["fr"] if fr.path not in reported]
        close = difflib.get_close_matches(en.id, [fr.id for fr in candidates], n=1, cutoff=0.6)
        same_phase = [fr for fr in candidates if fr.phase == en.phase]
        lonely = [e for e in alone["en"] if e.phase == en.phase]
        fr = next((f for f in candidates if close and f.id == close[0]), None) or (
            same_phase[0] if len(same_phase) == 1 and len(lonely) == 1 else None)
        if fr is None:
            continue
        reported |= {en.path, fr.path}
        msgid = (N_("id '%(fr_id)s' differs from the id '%(en_id)s' of the English file "
                    "%(en_path)s (did you mean '%(en_id)s'?): both files of a pair need the same "
                    "id") if close else
                 N_("id '%(fr_id)s' differs from the id '%(en_id)s' of the English file "
                    "%(en_path)s: both files of a pair need the same id"))
        site.problems.append(problem(fr.path, fr.lines.get("id", 2), msgid, fr_id=fr.id,
                                     en_id=en.id, en_path=en.path))
    return reported


def _as_tuple(value) -> tuple:
    return value if isinstance(value, tuple) else (value,)


def _check_references(site: Site, unread: set[tuple[str, str]]) -> None:
    """Links between entries, and the entries that data files point to, must exist."""
    for entry in site.entries.values():
        for line, target in memo.entry_links(entry.body, entry.body_line):
            linked = site.get(entry.lang, target)
            if linked is None and (entry.lang, target) in unread:
                continue
            if linked is None and not target:
                continue  # 'entry: id', with a space: kb.links says so
            if linked is None:
                close = difflib.get_close_matches(target, [i for lang, i in site.entries
                                                           if lang == entry.lang], n=1)
                site.problems.append(problem(
                    entry.path, line,
                    N_("link to a missing entry 'entry:%(target)s': no entry has this id (did "
                       "you mean 'entry:%(close)s'?)") if close else
                    N_("link to a missing entry 'entry:%(target)s': no entry has this id"),
                    target=target, close=close[0] if close else ""))
            elif linked.draft and not entry.draft:
                site.problems.append(Problem(entry.path, line, f"link to draft entry '{target}', "
                                                               "which is not published"))
    ids = {id for _, id in site.entries} | {id for _, id in unread}
    for item in site.glossary:
        if item.entry and item.entry not in ids:
            site.problems.append(Problem("content/glossary.yml", item.line,
                                         f"glossary item '{item.id}' points to a missing entry "
                                         f"'{item.entry}'"))
    areas = {area.id for area in site.catchment_areas}
    for event in site.timeline:
        if event.catchment is not None:
            if event.catchment not in areas:
                site.problems.append(Problem(
                    "content/timeline.yml", event.line, f"timeline event points to a missing "
                    f"catchment area '{event.catchment}': use an id from content/catchment-areas.yml"))
        elif event.entry not in ids:
            site.problems.append(Problem("content/timeline.yml", event.line,
                                         f"timeline event points to a missing entry '{event.entry}'"))


def _render(site: Site, store: Store, jobs: int | None = 1) -> None:
    """Render each body once; entry links become paths relative to an entry page.

    A body's HTML depends on the body, on where the entries it links to are (their slugs) and on
    the glossary's abbreviations: the cache key holds exactly these, so renaming or adding an
    entry re-renders only the entries that link to it, and a glossary change all of them.
    """
    # Besides the body and the slugs it links to: the abbreviations, the catchment pages it may
    # link to, and the media files whose sizes it gives; the entry's folder places media links.
    media_files = _media_stamp(site.root / "content" / media.FOLDER)
    contexts = {lang: digest(code_digest(), lang, sorted(site.abbreviations(lang).items()),
                             [(area.id, area.slugs[lang]) for area in site.catchment_areas],
                             media_files)
                for lang in LANGS}
    missed: list[tuple[tuple[str, str], str]] = []
    for key, entry in site.entries.items():
        lang = entry.lang
        slugs = tuple((target, linked.slug if (linked := site.get(lang, target)) else None)
                      for target in _linked_ids(entry.body))
        folder = entry.path.rsplit("/", 1)[0]  # relative media links start from it
        render_key = memo.key(contexts[lang], folder, entry.body, slugs)
        record = store.get(render_key)
        if record is None:
            missed.append((key, render_key))
        else:
            entry.html, entry.text = record
    jobs = workers_for(len(missed), jobs)
    # Four chunks or more per worker, so that the workers finish at about the same time.
    chunks = chunked(missed, max(1, min(RENDER_CHUNK, len(missed) // (jobs * 4) + 1)))
    renderers: dict[str, Renderer] = {}

    def render(chunk: list[tuple[tuple[str, str], str]]) -> list[tuple[str, str]]:
        rendered = []
        for (lang, id), _ in chunk:
            if lang not in renderers:  # the last load's, when its context is the same
                renderers[lang] = memo.take_renderer((site.root, contexts[lang]), site,
                                                     lambda current: _renderer(current, lang))
            html = renderers[lang].render(site.entries[lang, id].body, site.entries[lang, id].path)
            rendered.append((html, plain_text(html)))
        return rendered

    for chunk, results in zip(chunks, fork_map(render, chunks, jobs)):
        for (key, render_key), (html, text) in zip(chunk, results):
            site.entries[key].html = html
            site.entries[key].text = text
            store.put(render_key, (html, text))
    for lang, renderer in renderers.items():
        memo.keep_renderer((site.root, contexts[lang]), renderer)


def _media_stamp(folder: Path) -> list[tuple[str, int, int]]:
    """Name, size and time of each file of content/media/: an image's size is on the page."""
    found = []
    for file in sorted(folder.rglob("*")) if folder.is_dir() else []:
        try:
            info = file.stat()
        except OSError:
            continue
        found.append((file.relative_to(folder).as_posix(), info.st_size, info.st_mtime_ns))
    return found


def _renderer(site: Site, lang: str) -> Renderer:
    def resolve(target: str) -> str | None:
        linked = site.get(lang, target)
        return f"../{linked.slug}/" if linked else None

    areas = f"../../{SECTIONS['catchments'][lang]}/"  # from an entry page, /<lang>/questions/<slug>/

    def resolve_catchment(target: str) -> str | None:
        if not target:
            return areas  # the list of all areas, grouped by phase
        area = next((a for a in site.catchment_areas if a.id == target), None)
        return f"{areas}{area.slugs[lang]}/" if area else None

    return Renderer(resolve, site.abbreviations(lang), site.root / "content", resolve_catchment)
