"""What a load derives from one entry's text, kept between loads: only changed entries pay again.

Each result is a pure function of the strings it is given (a body, a page's HTML), so a load
that gives the same string gets the same result, whichever Site it belongs to. The preview's
reloads hand the same string objects back (they come from the reading cache), so a look-up costs
one hash that Python already keeps on the string. Results are tuples and frozensets: shared,
never changed.
"""

from __future__ import annotations

import bisect
import fnmatch
import functools
import itertools
import os
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from kb.cache import digest
from kb.markdown import Renderer
from kb.markdown import entry_links as _entry_links

KEPT = 1 << 16  # results of each kind: above two sites of the largest size measured (5,000 × 2)
T = TypeVar("T")


_remembered: list = []  # every per_text function, for forget()


def per_text(function: Callable[..., T]) -> Callable[..., T]:
    """function, remembered for the last KEPT distinct arguments (which must be hashable)."""
    remembered = functools.lru_cache(maxsize=KEPT)(function)
    _remembered.append(remembered)
    return remembered


def forget() -> None:
    """Drop everything kept (tests: a load from nothing, to compare a reload with)."""
    for remembered in _remembered:
        remembered.cache_clear()
    with _renderers_lock:
        _renderers.clear()
    _data.clear()
    _copies.clear()
    _versions.clear()
    _listings.clear()
    for kept in _kept:
        kept.clear()


_versions: dict[Any, tuple[Any, int]] = {}
_numbers = itertools.count(1)


def version(name: Any, value: Any) -> int:
    """A number that stays the same while value equals the value last given under name, and
    is new (never given before, under any name) when it differs: a short stand-in for a large
    value in the keys of the results that depend on it, compared once per load."""
    known = _versions.get(name)
    if known is not None and known[0] == value:
        return known[1]
    number = next(_numbers)
    _versions[name] = (value, number)
    return number


_kept: list[dict] = []  # every per_key store, for forget()


def per_key() -> Callable[[Any, Callable[[], T]], T]:
    """A store of results by key: kept(key, make) gives make() once for each key, for the last
    KEPT keys; for results whose inputs the key stands for (a version() among them)."""
    found: dict[Any, Any] = {}
    _kept.append(found)

    def kept(key: Any, make: Callable[[], T]) -> T:
        result = found.get(key, _MISSING)
        if result is _MISSING:
            if len(found) >= KEPT:
                found.clear()
            result = found[key] = make()
        return result

    return kept


_MISSING = object()


@per_text
def entry_links(body: str, first_line: int) -> tuple[tuple[int, str], ...]:
    """kb.markdown.entry_links, once per body and first line."""
    return tuple(_entry_links(body, first_line))


@per_text
def key(*parts: Any) -> str:
    """kb.cache.digest of hashable parts, once per distinct parts (a render key hashes a body)."""
    return digest(*parts)


class _Current:
    """Stands for the Site of the latest load, so a renderer kept from an earlier load resolves
    links in the Site of this one."""

    def __init__(self, site: Any):
        self.site = site

    def __getattr__(self, name: str) -> Any:
        return getattr(self.site, name)


_renderers: dict[Any, tuple[Renderer, _Current]] = {}
_renderers_lock = threading.Lock()
RENDERERS_KEPT = 8  # two languages, a few sites (the tests load several)


def take_renderer(context: Any, site: Any, make: Callable[[Any], Renderer]) -> Renderer:
    """A renderer for context (everything it depends on but the entries' slugs), resolving in
    site: the one an earlier load made, or make(site) (a Markdown instance costs ~0.1 s).

    A taken renderer is this load's alone until keep_renderer() gives it back, so two loads in
    two threads never share one.
    """
    with _renderers_lock:
        found = _renderers.pop(context, None)
    if found is None:
        current = _Current(site)
        return _remember(make(current), current)
    found[1].site = site
    return found[0]


def _remember(renderer: Renderer, current: _Current) -> Renderer:
    renderer._kb_current = current  # type: ignore[attr-defined] (read back by keep_renderer)
    return renderer


def keep_renderer(context: Any, renderer: Renderer) -> None:
    """Give back a renderer from take_renderer, for the next load with the same context."""
    current = getattr(renderer, "_kb_current", None)
    if current is None:
        return
    current.site = None  # the Site it served is not kept alive by it
    with _renderers_lock:
        if len(_renderers) >= RENDERERS_KEPT:
            _renderers.clear()
        _renderers[context] = (renderer, current)


def copy(entry: T) -> T:
    """A shallow copy of a dataclass instance, without running its __init__ again (a load
    copies every cached entry, since rendering fills the copy in)."""
    new = object.__new__(type(entry))
    new.__dict__.update(entry.__dict__)
    return new


_copies: dict[int, tuple[Any, Any]] = {}  # id of a cached entry → (it, the last load's copy)


def copy_of(cached: T) -> tuple[T, bool]:
    """(the copy of cached the last load finished with, False), or (a new copy, True).

    A copy the last load finished with is in its Site, which may still be serving: it is never
    changed again (kb.loader copies it anew when rendering gives it another page).
    """
    found = _copies.get(id(cached))
    if found is not None and found[0] is cached:
        return found[1], False
    return copy(cached), True


def keep_copies(pairs: list[tuple[Any, Any]]) -> None:
    """Remember (cached entry, finished copy) of this load's entries, and only them, for the next."""
    _copies.clear()
    _copies.update((id(cached), (cached, entry)) for cached, entry in pairs)


_data: dict[tuple, tuple[Any, tuple]] = {}


def data_file(
    load: Callable[..., T], root: Any, problems: list, names: tuple[str, ...], *args: Any
) -> T:
    """load(root, *args, problems), or what it gave the last time the data files it reads
    (content/<name> for each of names) had the same bytes; its problems are told again.

    The results are shared between the Sites of successive loads: nothing changes them.
    """
    contents = []
    for name in names:
        file = root / "content" / name
        try:
            if file.is_symlink():  # where it leads matters, not only its bytes: read each time
                return load(root, *args, problems)
            contents.append(file.read_bytes())
        except OSError:  # missing or unreadable: load() says so, every time
            return load(root, *args, problems)
    key = (load, root, tuple(contents))
    found = _data.get(key)
    if found is None:
        told: list = []
        found = (load(root, *args, told), tuple(told))
        stale = [known for known in _data if known[:2] == key[:2]]
        for known in stale:  # one version of each file per site
            del _data[known]
        _data[key] = found
    problems.extend(found[1])
    return found[0]


def markdown_files(folder: Path, changed: set[str] | None = None) -> list[Path]:
    """sorted(folder.rglob("*.md")), in a third of the time (a reload lists every file).

    The same rules: every entry named *.md (hidden ones too), real folders walked, links to
    folders not followed, unreadable folders skipped; sorted as paths sort, part by part.
    changed: the paths known to have changed since the last listing of folder (the preview's
    watch tells): the last listing is brought up to date for them, the folder not walked.
    """
    key = os.fspath(folder)
    known = _listings.get(key)
    if changed is not None and known is not None:
        found = _patched(key, known, changed)
    else:
        found = []

        def walk(directory: str, parts: tuple[str, ...]) -> None:
            try:
                entries = list(os.scandir(directory))
            except (PermissionError, FileNotFoundError, NotADirectoryError):
                return
            for entry in entries:
                if MARKDOWN_NAME.fullmatch(entry.name):
                    found.append(((*parts, entry.name), _path(entry.path)))
                try:
                    if entry.is_dir() and not entry.is_symlink():
                        walk(entry.path, (*parts, entry.name))
                except OSError:
                    continue

        walk(key, ())
        found.sort(key=lambda item: item[0])
    if len(_listings) >= LISTINGS_KEPT:
        _listings.clear()
    _listings[key] = found
    return [path for _, path in found]


def _patched(folder: str, found: list, changed: set[str]) -> list:
    """The listing found (sorted (parts, path) pairs), with each changed path under folder put
    in or taken out as it exists now or not."""
    prefix = folder + os.sep
    for path in sorted(changed):
        parts = tuple(path[len(prefix) :].split(os.sep))
        if not path.startswith(prefix) or not MARKDOWN_NAME.fullmatch(parts[-1]):
            continue
        at = bisect.bisect_left(found, parts, key=lambda item: item[0])
        there = at < len(found) and found[at][0] == parts
        listed = os.path.lexists(path) and _walked(folder, parts)
        if listed and not there:
            found.insert(at, (parts, _path(path)))
        elif not listed and there:
            del found[at]
    return found


def _walked(folder: str, parts: tuple[str, ...]) -> bool:
    """Whether the folders of parts, under folder, are real ones (a walk does not follow a
    link to a folder: the files it leads to are not listed)."""
    for end in range(1, len(parts)):
        directory = os.path.join(folder, *parts[:end])
        if os.path.islink(directory) or not os.path.isdir(directory):
            return False
    return True


_listings: dict[str, list[tuple[tuple[str, ...], Path]]] = {}  # folder → its last listing
LISTINGS_KEPT = 8  # two languages, a few sites (the tests load several)


MARKDOWN_NAME = re.compile(fnmatch.translate("*.md"))
_paths: dict[str, Path] = {}


def _path(text: str) -> Path:
    """Path(text), made once: a Path costs more to make than the rest of a listing."""
    found = _paths.get(text)
    if found is None:
        if len(_paths) >= KEPT:
            _paths.clear()
        found = _paths[text] = Path(text)
    return found


def relative(file: Path, root: Path) -> str:
    """file.relative_to(root).as_posix() without pathlib's cost, for a file found under root."""
    text, prefix = str(file), str(root) + os.sep
    if os.sep == "/" and text.startswith(prefix) and prefix != "./":
        return text[len(prefix) :]
    return file.relative_to(root).as_posix()
