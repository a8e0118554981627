"""Frozen pages of earlier builds, kept in .kb-cache/pages/ by what they were made from, so that a
build renders again only the pages whose inputs changed.

A page's key is a digest of everything it may show. Every page may show any entry's metadata
(titles, slugs, summaries and descriptions, dates, phases, audiences, topics, status), the data
files, the templates, the static files (their URLs), kb's code and catalogs, the libraries that
render it and the site's URL: all of it is in one site digest, so a change to any of it renders
every page again. Only an entry page shows a body (its own HTML and text, and its translation
state, which depends on its counterpart's body): its key adds those. The media files are always
copied again (they are files, not renderings).

Each page is one file holding its URL, its path in the output and its bytes, behind a checksum:
a damaged, truncated or foreign file is ignored and the page rendered again. Deleting the folder
only costs the time to render the pages again.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import re
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path, PurePosixPath

from kb import i18n
from kb.cache import CACHE_DIR, KB_PACKAGE, code_digest, digest
from kb.content import Entry, Site
from kb.taxonomy import LANGS
from kb.translation import state as translation_state

FOLDER = "pages"
MAGIC = b"kb-page 1\n"
KEY = re.compile(r"[0-9a-f]{64}")
# The libraries whose output is the page's bytes: an upgrade renders every page again.
LIBRARIES = (
    "flask",
    "frozen-flask",
    "werkzeug",
    "jinja2",
    "markupsafe",
    "babel",
    "flask-babel",
    "markdown",
    "nh3",
    "pyyaml",
)
# What no page shows but an entry page: bodies and what is made of them. Line numbers are only
# for problems.
BODY_FIELDS = frozenset({"body", "html", "text", "parts", "lines"})
ALWAYS_FROZEN = frozenset({"media.file"})  # copies of content/media/ files


def site_digest(site: Site, pages: list[tuple[str, dict]], settings: dict[str, object]) -> str:
    """What every page may show, entry bodies aside; settings: the build's URLs."""
    from kb import catchment_views, hosting, pagelist

    root = site.root
    # The page list (the sitemap's), and the sizes of lists and feeds: code, but read when
    # asked for, so that a test that changes one is not served pages made without it.
    sizes = (
        pagelist.PER_PAGE,
        pagelist.SITEMAP_URLS,
        hosting.FEED_ENTRIES,
        catchment_views.CATCHMENT_ENTRIES,
    )
    versions = []
    for name in LIBRARIES:
        try:
            versions.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            versions.append((name, None))
    return digest(
        code_digest(),
        _tree(KB_PACKAGE),
        _tree(i18n.TRANSLATIONS),
        versions,
        str(root),
        _tree(root / "templates"),
        _tree(root / "static"),
        _tree(root / "content", skip=_entry_file),
        sorted(settings.items()),
        sizes,
        [(endpoint, sorted(values.items())) for endpoint, values in pages],
        sorted(site.media.items()),
        *(_metadata(site.entries[key]) for key in sorted(site.entries)),
    )


def _metadata(entry: Entry) -> str:
    return repr(([(name, getattr(entry, name)) for name in _shown_fields()], entry.description))


@functools.cache
def _shown_fields() -> tuple[str, ...]:
    """Entry's fields that pages other than its own show, in their order."""
    return tuple(f.name for f in dataclasses.fields(Entry) if f.name not in BODY_FIELDS)


def _entry_file(relative: str) -> bool:
    """An entry's Markdown file (its path under content/, with "/"): what pages show of it is in
    the Site's entries."""
    lang, slash, rest = relative.partition("/")
    name = rest.rpartition("/")[2]
    dot = name.rfind(".")
    return bool(slash) and lang in LANGS and 0 < dot < len(name) - 1 and name[dot:] == ".md"


def _tree(folder: Path, skip=lambda relative: False) -> str:
    """The names and bytes of every file under folder (compiled Python left out); skip is given
    each file's path under folder, with "/" (a string: a path object a file costs as much as
    the rest of the walk at 5,000 entries)."""
    found = hashlib.sha256()
    if not folder.is_dir():
        return "missing"
    for top, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        under = os.path.relpath(top, folder).replace(os.sep, "/")
        for name in sorted(files):
            relative = name if under == "." else f"{under}/{name}"
            if name.endswith(".pyc") or skip(relative):
                continue
            found.update(digest(relative, Path(top, name).read_bytes()).encode())
    return found.hexdigest()


def page_keys(
    site: Site, pages: list[tuple[str, dict]], settings: dict[str, object]
) -> Iterator[str | None]:
    """Each page's key (None: always frozen again)."""
    common = site_digest(site, pages, settings)
    for endpoint, values in pages:
        if endpoint in ALWAYS_FROZEN:
            yield None
            continue
        shown: tuple = ()
        if endpoint == "pages.entry":
            entry = site.by_slug(values["lang"], values["slug"])
            if entry is None:
                yield None
                continue
            shown = (entry.html, entry.text, translation_state(site, entry))
        yield digest(common, endpoint, sorted(values.items()), *shown)


class PageCache:
    """The kept pages of one site: get and put by key; keep() drops what a build did not use."""

    def __init__(self, root: Path):
        self.folder = root / CACHE_DIR / FOLDER
        self._ready = False  # the folder and its .gitignore made (once, not for every page)
        self._kept: set[str] | None = None  # the names in the folder, listed at the first get

    def get(self, key: str) -> tuple[str, str, bytes] | None:
        """(URL, path in the output, bytes), or None when missing, damaged or not kb's."""
        if self._kept is None:
            # One listing instead of a failed open a page (a cold build asks for every page).
            try:
                self._kept = set(os.listdir(self.folder))
            except OSError:
                self._kept = set()
        if key not in self._kept:
            return None
        try:
            data = (self.folder / key).read_bytes()
        except OSError:
            return None
        start = len(MAGIC) + 32
        if (
            data[: len(MAGIC)] != MAGIC
            or hashlib.sha256(data[start:]).digest() != data[len(MAGIC) : start]
        ):
            return None
        parts = data[start:].split(b"\0", 2)
        if len(parts) != 3:
            return None
        try:
            url, path = parts[0].decode("utf-8"), parts[1].decode("utf-8")
        except UnicodeDecodeError:
            return None
        pure = PurePosixPath(path)
        if pure.is_absolute() or ".." in pure.parts or not pure.parts:
            return None  # a page is written inside the output, nowhere else
        return url, path, parts[2]

    def put(self, key: str, url: str, path: str, data: bytes) -> None:
        head = url.encode("utf-8") + b"\0" + path.encode("utf-8") + b"\0"
        check = hashlib.sha256(head)
        check.update(data)  # the payload is head + data: checked without joining them
        try:
            if not self._ready:
                self.folder.mkdir(parents=True, exist_ok=True)
                ignore = self.folder.parent / ".gitignore"
                if not ignore.exists():
                    ignore.write_text("*\n", encoding="utf-8")  # never committed, wherever it is
                self._ready = True
            # A name of this process's own (workers write side by side), swapped in whole.
            name = f"{self.folder}/.tmp-{os.getpid()}-{key}"
            handle = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                write_all(handle, [MAGIC, check.digest(), head, data])
            finally:
                os.close(handle)
            os.replace(name, f"{self.folder}/{key}")
        except OSError:  # a read-only site folder: the cache is only a saving
            self._ready = False

    def keep(self, keys: set[str]) -> None:
        """Remove the pages no longer built (and leftovers of interrupted writes)."""
        try:
            names = os.listdir(self.folder)
        except OSError:
            return
        for name in names:
            if name not in keys and (KEY.fullmatch(name) or name.startswith(".tmp-")):
                try:
                    os.unlink(self.folder / name)
                except OSError:
                    pass


def write_all(handle: int, parts: list[bytes]) -> None:
    """Write parts to an open file, one after the other, in one system call when it takes them
    all (a file object would copy them into its buffer first)."""
    written = os.writev(handle, parts)
    if written == sum(map(len, parts)):
        return
    rest = memoryview(b"".join(parts))[written:]
    while rest:  # a short write (a full disk raises instead): write on
        rest = rest[os.write(handle, rest) :]
