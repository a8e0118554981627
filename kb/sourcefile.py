"""Reading a source file safely: a regular file under its folder, of a bounded size."""

from __future__ import annotations

import fnmatch
import os
import stat
from pathlib import Path

from kb.amount import Amount
from kb.frontmatter import N_, Phrase, SourceError

LINK_OUT = N_(
    "is a symbolic link to %(target)s, outside %(folder)s/: copy the file into %(folder)s/ instead"
)


def read_source(file: Path, limit: int, inside: Path, advice: str) -> bytes:
    """The bytes of a regular file under inside, at most limit bytes; SourceError otherwise.

    A named pipe or a device is never opened (reading it would wait forever), and a symbolic
    link that leads out of inside is not followed (it would publish a file from elsewhere).
    """
    data = _read_plainly(file, limit, inside)
    if data is not None:
        return data
    try:
        target = file.resolve()
        # A real path under inside as written is under inside resolved (its folders are no
        # links): resolving inside, a few system calls, only when that quick test fails.
        if not target.is_relative_to(inside) and not target.is_relative_to(inside.resolve()):
            raise SourceError(
                1,
                Phrase(LINK_OUT, target=str(target), folder=inside.name),
            )
        info = file.stat()
        if stat.S_ISDIR(info.st_mode):
            raise SourceError(1, Phrase(N_("cannot read the file: Is a directory")))
        if stat.S_ISFIFO(info.st_mode):
            raise SourceError(
                1, Phrase(N_("is a named pipe, not a file: remove it or replace it with a file"))
            )
        if not stat.S_ISREG(info.st_mode):
            raise SourceError(1, Phrase(N_("is a device or a socket, not a file: remove it")))
        if info.st_size > limit:
            raise SourceError(
                1,
                Phrase(
                    N_("file is %(mb)s MB: %(advice)s"),
                    mb=Amount(info.st_size / 1e6),
                    advice=advice,
                ),
            )
        # O_NONBLOCK: were the file swapped for a named pipe since the check, opening returns.
        descriptor = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(descriptor, "rb") as source:
            data = source.read(limit + 1)
    except OSError as error:  # a loop of links, or a file removed while an editor saves it
        raise SourceError(
            1, Phrase(N_("cannot read the file: %(reason)s"), reason=str(error.strerror or error))
        ) from None
    if len(data) > limit:
        raise SourceError(
            1,
            Phrase(N_("file is over %(mb)s MB: %(advice)s"), mb=Amount(limit / 1e6), advice=advice),
        )
    return data


def _read_plainly(file: Path, limit: int, inside: Path) -> bytes | None:
    """The bytes of file when it is a regular file of at most limit bytes whose real path is under
    inside's, found in a few system calls (the kernel names the opened file and folder); else
    None, and read_source looks at the file step by step to say what is wrong.

    Resolving the paths instead costs a system call and some Python for each folder of them.
    """
    try:
        if not stat.S_ISREG(os.stat(file).st_mode):
            return None  # a pipe or a device is never opened
        descriptor = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        real = os.readlink(f"/proc/self/fd/{descriptor}")  # Linux; elsewhere, step by step
        if not real.startswith(os.path.join(_real_folder(inside), "")):
            return None
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        # Its size and one byte: a read of limit bytes would make a buffer of that size first.
        # (A read may give less than asked for, on some file systems: read on to the end.)
        chunks, size = [], 0
        while size <= info.st_size and (chunk := os.read(descriptor, info.st_size + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
        data = b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(descriptor)
    return data if len(data) <= info.st_size else None  # it grew as it was read


def _real_folder(folder: Path) -> str:
    descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        return os.readlink(f"/proc/self/fd/{descriptor}")
    finally:
        os.close(descriptor)


STATIC_IGNORED = ("*.tmp",)  # what a build never copies of static/ (kb.freeze)
LINKED_FOLDER = N_(
    "is a symbolic link to the folder %(target)s: the build does not copy a linked folder, so "
    "the site would lack its files; put them in a real folder instead"
)
LINKED_FOLDER_OUT = N_(
    "is a symbolic link to the folder %(target)s, outside %(folder)s/: copy the files you need "
    "into a real folder under %(folder)s/ instead"
)


def leads_out(folder: Path, path: str | Path) -> str | None:
    """Where path really is when a symbolic link leads it out of folder (publishing it would
    publish a file from elsewhere on the machine); None when it stays inside."""
    real = os.path.realpath(path)
    return None if real.startswith(os.path.join(os.path.realpath(folder), "")) else real


def links_out(folder: Path, skip: tuple[str, ...] = ()) -> list[tuple[Path, str, bool, bool]]:
    """Each symbolic link under folder that the build cannot publish as the preview serves it:
    (the link, where it really is, whether it is a folder, whether it leads out of folder). A file
    is kept when it leads out (leads_out), a folder always (Frozen-Flask walks static/ without
    entering linked folders). skip: the name patterns never published."""
    if not folder.is_dir():
        return []
    found = []
    for directory, folders, names in os.walk(folder):
        for name, is_folder in [*((n, False) for n in names), *((n, True) for n in folders)]:
            path = os.path.join(directory, name)
            if any(fnmatch.fnmatch(name, pattern) for pattern in skip) or not os.path.islink(path):
                continue
            out = leads_out(folder, path)
            if is_folder or out:
                found.append((Path(path), out or os.path.realpath(path), is_folder, bool(out)))
    return sorted(found)


def published(folder: Path, name: str) -> bool:
    """Whether name, a path under folder, is what a build publishes from it: no linked folder on
    the way, no link out of folder (links_out), so that the preview serves what the build does."""
    path = os.path.join(folder, name)
    if leads_out(folder, path):
        return False
    parent = os.path.dirname(path)
    while len(parent) > len(os.fspath(folder)):
        if os.path.islink(parent):
            return False
        parent = os.path.dirname(parent)
    return True
