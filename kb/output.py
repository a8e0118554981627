"""The output folder: kb's alone, marked, replaced whole by an atomic swap, recovered if killed."""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # not on Windows: builds there are not guarded against each other
    fcntl = None

import kb
from kb.frontmatter import N_, Phrase

MARKER = ".kb-build"
MARKER_TEXT = (
    "kb build wrote this folder. The next kb build replaces it whole:\nkeep nothing else here.\n"
)
# The project's own folders: never the output, never inside it, never holding it.
SOURCES = ("content", "templates", "static", "kb")
RENAME_EXCHANGE = 2  # linux/fs.h


class OutputError(Exception):
    """The output folder is not kb's to replace; nothing was written."""


def claim(root: Path, output: Path) -> Path:
    """The output folder, resolved, if kb may replace it; OutputError otherwise.

    Leftovers of killed builds are recovered first, so a folder left missing by a kill between
    two renames is put back before it is judged.
    """
    output = output.resolve()
    _refuse_sources(root.resolve(), output)
    recover(output)
    if output.is_symlink() or (output.exists() and not output.is_dir()):
        raise OutputError(
            Phrase(
                N_("%(output)s is not a folder: choose a folder for the site with --output"),
                output=str(output),
            )
        )
    if output.is_dir() and not owned(output):
        raise OutputError(
            Phrase(
                N_(
                    "refusing to replace %(output)s: it holds files kb did not write (it has no "
                    "%(marker)s marker). Move them away, or choose another folder with --output "
                    "(e.g. build/)."
                ),
                output=str(output),
                marker=MARKER,
            )
        )
    return output


def _refuse_sources(root: Path, output: Path) -> None:
    if root.is_relative_to(output):
        raise OutputError(
            _refusal(output, Phrase(N_("it holds the project folder %(folder)s"), folder=str(root)))
        )
    protected = {
        root / name: Phrase(
            N_("%(folder)s is the site's %(name)s/ folder"), folder=str(root / name), name=name
        )
        for name in SOURCES
    }
    code = Path(kb.__file__).resolve().parent
    protected[code] = Phrase(N_("%(folder)s is kb's own code"), folder=str(code))
    for folder, what in protected.items():
        if output == folder or output.is_relative_to(folder) or folder.is_relative_to(output):
            raise OutputError(_refusal(output, what))


def _refusal(output: Path, why: Phrase) -> Phrase:
    return Phrase(
        N_(
            "refusing to write the site into %(output)s: %(why)s, and a build replaces its "
            "output folder whole. Choose a folder of its own with --output (the default is "
            "build/)."
        ),
        output=str(output),
        why=why,
    )


def owned(folder: Path) -> bool:
    """A folder kb may replace: empty, or carrying kb's marker."""
    marker = folder / MARKER
    if marker.is_file() and not marker.is_symlink():
        text = marker.read_text(encoding="utf-8", errors="replace")
        if text.startswith(MARKER_TEXT[:16]):
            return True
        # A marker cut short by a kill as it was written, in a folder that holds nothing else.
        return MARKER_TEXT.startswith(text) and all(c.name == MARKER for c in folder.iterdir())
    return not any(folder.iterdir())


def _leftovers(output: Path) -> Iterator[tuple[str, str, Path]]:
    """(kind, token, path) of each staging (tmp) and previous (old) folder of this output."""
    prefix = f".{output.name}."
    for path in output.parent.glob(f"{prefix}*-*"):
        kind, _, token = path.name[len(prefix) :].partition("-")
        if kind in ("tmp", "old") and path.is_dir() and not path.is_symlink() and owned(path):
            yield kind, token, path


def recover(output: Path) -> None:
    """Finish or undo a swap a kill interrupted, then remove every leftover of a finished build.

    Only folders with kb's names and marker (or empty) are touched, and none a running build holds.
    """
    if not output.parent.is_dir():
        return
    with _locked(output.parent), contextlib.ExitStack() as held:
        found = [
            (kind, token, path)
            for kind, token, path in _leftovers(output)
            if held.enter_context(_try_lock(path))
        ]
        if not output.exists():
            staged = {token: path for kind, token, path in found if kind == "tmp"}
            # A previous build moved aside means the kill came between the two renames:
            # its staging folder is complete, so the swap is finished; else undone.
            for kind, token, path in sorted(found):
                if kind == "old":
                    os.rename(staged.get(token, path), output)
                    break
        for _, _, path in found:
            if path.exists():
                remove(path)


def stage(output: Path) -> tuple[Path, int]:
    """A new, marked, empty staging folder next to output (modes from the umask), and a lock on it
    that tells other builds it is in use."""
    output.parent.mkdir(parents=True, exist_ok=True)
    with _locked(output.parent):  # no other build's recovery sees it before it is locked
        while True:
            staging = output.with_name(f".{output.name}.tmp-{secrets.token_hex(4)}")
            try:
                staging.mkdir()  # not mkdtemp: its 0700 would shut out a web server's user
                break
            except FileExistsError:
                continue
        lock = os.open(staging, os.O_RDONLY)
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)
    mark(staging)
    return staging, lock


def mark(folder: Path) -> None:
    (folder / MARKER).write_text(MARKER_TEXT, encoding="utf-8")


def swap(staging: Path, output: Path) -> None:
    """Put staging in output's place: one atomic exchange where the system has it, else two
    renames that `recover` finishes after a kill; the previous build is then removed."""
    with _locked(output.parent):
        if not output.exists():
            _rename(staging, output)
            return
        if _exchange(staging, output):
            old = staging  # now holds the previous build
        else:
            old = staging.with_name(staging.name.replace(".tmp-", ".old-"))
            _rename(output, old)
            try:
                _rename(staging, output)
            except BaseException:  # an error or a signal: the previous build goes back
                if not output.exists():
                    _rename(old, output)
                raise
    discard(old)  # a leftover if this fails, which the next build removes


def remove(tree: Path) -> None:
    """Remove a folder of kb's, its marker last, so that a kill midway leaves it recognisable."""
    for child in tree.iterdir():
        if child.name != MARKER:
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
    (tree / MARKER).unlink(missing_ok=True)
    tree.rmdir()


def discard(staging: Path) -> None:
    """Remove a staging or previous folder if it can be; else the next build does."""
    with contextlib.suppress(OSError):
        remove(staging)


def _rename(source: Path, target: Path) -> None:
    os.rename(source, target)


def _libc_renameat2():
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return None
    function.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    return function


_renameat2 = _libc_renameat2()
AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders' names in one step (Linux renameat2); False where it is not available."""
    if _renameat2 is None:
        return False
    if (
        _renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE)
        == 0
    ):
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):  # e.g. a file system without it
        return False
    raise OSError(code, os.strerror(code), str(first), None, str(second))


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold the folder's lock: one build at a time swaps or recovers there."""
    if fcntl is None:
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


@contextlib.contextmanager
def _try_lock(folder: Path) -> Iterator[bool]:
    """True, with the lock held, unless a running build holds the folder."""
    if fcntl is None:
        yield True
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        yield False
        return
    try:
        yield True
    finally:
        os.close(fd)
