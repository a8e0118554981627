"""Freezing: every URL of the site into plain files, swapped in only when the whole build succeeded."""

from __future__ import annotations

import os
import signal
import threading
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask
from flask_frozen import Freezer, FrozenFlaskWarning, MissingURLGeneratorWarning

from kb import collector
from kb import output as out
from kb.app import create_app
from kb.compress import compress_tree
from kb.config import SET_IT, SiteConfig
from kb.content import Site
from kb.freezeclient import FreezerClient
from kb.freezer import StagingFreezer
from kb.frontmatter import N_, Phrase
from kb.hosting import NEEDS_SITE_URL
from kb.loader import load_site
from kb.pagecache import PageCache, page_keys
from kb.pagelist import all_pages, pageless_endpoints
from kb.parallel import WorkerDied, chunked, fork_imap, workers_for
from kb.search.export import export_site
from kb.sourcefile import STATIC_IGNORED
from kb.taxonomy import LANGS
from kb.urlcache import page_paths
from kb.validate import Problem, errors

OutputError = out.OutputError


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C: the build stops and leaves nothing half-written."""


class BuildError(Exception):
    """The build stopped; the previous output folder is untouched."""

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.problems = problems or []


@dataclass
class BuildReport:
    output: Path
    published: dict[str, int]
    files: int
    left_out: str | None = None  # what a site without a URL lacks, and how to give it one
    warnings: list[Problem] = field(default_factory=list)  # the content's warnings
    rendered: int = 0  # pages frozen by this build (the others were reused: kb.pagecache)
    reused: int = 0


PAGES_PER_TAKE = 25  # pages a worker freezes at a time
Page = tuple[str, dict]  # endpoint, values


def build(
    root: Path,
    output: Path,
    base_url: str | None = None,
    progress: Callable[[int, str], None] | None = None,
    jobs: int | None = None,
    compress: bool = False,
    strict: bool = False,
) -> BuildReport:
    """Check, then freeze into a staging folder next to output, then swap it in.

    base_url: the site's URL, over content/site.yml's site_url (see kb.config.site_url).
    jobs: processes that read, render and write pages (default: every core for a large site).
    compress: also write a .gz copy of each text file that gzip makes smaller.
    Raises OutputError, before anything is written, if output is not kb's to replace.
    """
    try:
        with _terminate_as_interrupt():
            return _build(root, output, base_url, progress, jobs, compress, strict)
    except WorkerDied as error:
        raise BuildError(
            Phrase(N_("%(reason)s; nothing was written"), reason=error.args[0])
        ) from None


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM raises Terminated in the build, as Ctrl-C raises KeyboardInterrupt."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set a handler
        return

    def terminate(signum, frame):
        raise Terminated(signum)

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _build(
    root: Path,
    output: Path,
    base_url: str | None,
    progress: Callable[[int, str], None] | None,
    jobs: int | None,
    compress: bool,
    strict: bool = False,
) -> BuildReport:
    output = out.claim(root, output)
    site = load_site(root, jobs)
    if errors(site.problems):
        raise BuildError("content has errors", errors(site.problems))
    if strict and site.problems:  # --strict: a warning stops the build too (for CI)
        raise BuildError("content has warnings (--strict)", site.problems)
    try:
        config = site.config.with_site_url(base_url)
    except ValueError as error:
        raise BuildError(error.args[0]) from None  # a Phrase, said in the command's language
    # What was read lives until the build ends: the collector need not walk it again.
    with collector.set_aside():
        return _publish(root, output, site, config, progress, jobs, compress)


def _publish(
    root: Path,
    output: Path,
    site: Site,
    config: SiteConfig,
    progress: Callable[[int, str], None] | None,
    jobs: int | None,
    compress: bool,
) -> BuildReport:
    """Freeze the site read into a staging folder, then swap it in for output."""
    staging, lock = out.stage(output)
    try:
        app = create_app(
            {
                "KB_ROOT": root,
                "SITE": site,
                "KB_SITE_URL": config.site_url,
                "FREEZER_DESTINATION": str(staging),
                "FREEZER_BASE_URL": config.site_url or "/",
                "FREEZER_REMOVE_EXTRA_FILES": False,
                "FREEZER_STATIC_IGNORE": list(STATIC_IGNORED),
            }
        )
        app.test_client_class = FreezerClient  # the freezer's: one WSGI call a page
        pages = list(all_pages(site))
        _check_endpoints(app, pages, pageless_endpoints(site))
        if config.absolute is None:  # files made of absolute URLs: nothing to write them with
            pages = [page for page in pages if page[0] not in NEEDS_SITE_URL]
        cache = PageCache(root)
        keys = list(
            page_keys(
                site,
                pages,
                {"site_url": config.site_url, "base_url": app.config["FREEZER_BASE_URL"]},
            )
        )
        reused, missed = _reuse(cache, pages, keys, staging)
        search = []  # the export's report, from the first process
        count = _freeze(
            app,
            missed,
            workers_for(len(missed), jobs),
            progress,
            before=lambda: search.append(export_site(site, staging)),
            reused=reused,
            cache=cache,
        )
        count += search[0].files + 1  # and the marker
        if compress:
            count += compress_tree(staging)
        try:
            _swap(staging, output)
        except OSError as error:
            raise BuildError(f"could not put the new build in place: {error}") from None
        cache.keep({key for key in keys if key is not None})
    except BaseException:  # an error, Ctrl-C or SIGTERM: leave no half-written folder behind
        out.discard(staging)
        raise
    finally:
        os.close(lock)
    published = {lang: len(site.entries_in(lang)) for lang in LANGS}
    left_out = (
        None
        if config.absolute
        else Phrase(
            N_(
                "no site URL, so the sitemap, the feeds and the canonical, hreflang and og:url links "
                "were left out (they need absolute URLs); pages link with root-relative URLs. "
                "To include them, %(set_it)s."
            ),
            set_it=Phrase(SET_IT),
        )
    )
    return BuildReport(
        output=output,
        published=published,
        files=count,
        left_out=left_out,
        warnings=site.problems,
        rendered=len(missed),
        reused=len(reused),
    )


def _check_endpoints(app: Flask, pages: list[Page], pageless: frozenset[str] = frozenset()) -> None:
    """Every page the app can serve is in the list (Frozen-Flask checks only its own share)."""
    served = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    missing = served - {"static", "media.file"} - pageless - {endpoint for endpoint, _ in pages}
    if missing:
        raise BuildError(f"no page is generated for {', '.join(sorted(missing))}")


def _reuse(
    cache: PageCache, pages: list[Page], keys: list[str | None], staging: Path
) -> tuple[list[str], list[tuple[Page, str | None]]]:
    """Write the kept pages whose key matches into staging; return their URLs, and the pages
    left to freeze with their keys."""
    reused: list[str] = []
    missed: list[tuple[Page, str | None]] = []
    for page, key in zip(pages, keys):
        record = cache.get(key) if key is not None else None
        if record is None:
            missed.append((page, key))
            continue
        url, path, data = record
        target = staging / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        reused.append(url)
    return reused, missed


def _freeze(
    app: Flask,
    pages: list[tuple[Page, str | None]],
    jobs: int,
    progress: Callable[[int, str], None] | None,
    before: Callable[[], object],
    reused: Sequence[str] = (),
    cache: PageCache | None = None,
) -> int:
    """Freeze every page, PAGES_PER_TAKE at a time, in `jobs` processes (kb.parallel); meanwhile
    this one runs `before` (the search export) and copies the static files. Each page frozen
    with a key is kept in the cache; the `reused` pages (already written) are only counted."""
    chunk: list[Page] = []
    # One freezer per process, given each chunk in turn: a Freezer adds a url_defaults function
    # to the app when it is made, so one per chunk would pile them up.
    freezer = StagingFreezer(
        app,
        with_static_files=False,
        with_no_argument_rules=False,
        log_url_for=False,
        keep_bytes=cache is not None,
    )
    freezer.register_generator(lambda: page_paths(chunk))
    statics: list[str] = []

    def freeze_chunk(taken: list[tuple[Page, str | None]]) -> list[str]:
        chunk[:] = [page for page, _ in taken]
        # A page makes next to no reference cycles: what it leaves is freed as it goes, and
        # the collector, run between chunks, not every few hundred objects.
        with collector.paused():
            frozen = _frozen(freezer)
        written, freezer.written = freezer.written, {}
        if cache is not None and len(frozen) == len(taken):  # one file per page, in order
            for (url, path), (_, key) in zip(frozen, taken):
                if key is not None:
                    data = written.get(url)
                    if data is None:  # not written by the lean path (kb.freezer)
                        data = (freezer.root / path).read_bytes()
                    cache.put(key, url, path.as_posix(), data)
        return [url for url, _ in frozen]

    def first() -> None:
        with collector.paused():  # the export builds its index: nothing in it is garbage
            before()
        statics.extend(
            url
            for url, _ in _frozen(
                StagingFreezer(
                    app, with_static_files=True, with_no_argument_rules=False, log_url_for=False
                )
            )
        )
        statics.extend(reused)

    count = 0

    def report(urls: list[str]) -> None:
        nonlocal count
        for url in urls:
            count += 1
            if progress:
                progress(count, url)

    if jobs > 1:
        # A worker compiles each template it uses (about half a second for all of them) and
        # renders the parts every page of a language shares: one page of each kind frozen here
        # first, and the workers forked after it start with all of that done once.
        samples, pages = _one_of_each_kind(pages)
        report(freeze_chunk(samples))
    for urls in fork_imap(freeze_chunk, chunked(pages, PAGES_PER_TAKE), jobs, meanwhile=first):
        report([*statics, *urls])
        statics.clear()
    report(statics)  # no page left to freeze: the static files and the reused pages
    return count


def _one_of_each_kind(pages: list[tuple[Page, str | None]]) -> tuple[list, list]:
    """The first page of each endpoint and language, and the others, in their order."""
    kinds: set[tuple[str, object]] = set()
    first: list[tuple[Page, str | None]] = []
    others: list[tuple[Page, str | None]] = []
    for item in pages:
        (endpoint, values), _ = item
        kind = (endpoint, values.get("lang"))
        (others if kind in kinds else first).append(item)
        kinds.add(kind)
    return first, others


def _frozen(freezer: Freezer) -> list[tuple[str, Path]]:
    """The URLs the freezer writes and their files (under its root), failing on a wrong mime
    type or a page that fails."""
    with warnings.catch_warnings():
        # A wrong mime type or a page that fails is a broken site: fail the build.
        warnings.simplefilter("error", FrozenFlaskWarning)
        warnings.simplefilter("ignore", MissingURLGeneratorWarning)  # see _check_endpoints
        return [(page.url, page.path) for page in freezer.freeze_yield()]


def _swap(staging: Path, output: Path) -> None:
    """Put the finished build in output's place (kb.output.swap; a step of its own to time)."""
    out.swap(staging, output)
