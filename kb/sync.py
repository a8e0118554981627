"""`kb sync`: record that a pair says the same thing, rewriting only each file's fingerprint line."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from kb.fingerprint import KEY
from kb.frontmatter import N_, Phrase
from kb.taxonomy import LANGS

if TYPE_CHECKING:
    from kb.content import Site

_LINE = re.compile(rb"^" + re.escape(KEY.encode()) + rb"[ \t]*:")
_FENCE = re.compile(rb"^---[ \t]*$")


class SyncError(Exception):
    """A pair that cannot be synced, said as `path:line: message`."""


def with_fingerprint(data: bytes, value: str) -> bytes:
    """data with its fingerprint line set to value; every other byte (BOM, CRLF, comments) kept."""
    if value.isdigit():  # YAML would read 12 digits as a number: quote them
        value = f'"{value}"'
    lines = data.splitlines(keepends=True)
    bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
    first = lines[0][len(bom) :] if lines else b""
    if not lines or not _FENCE.match(first.rstrip(b"\r\n")):
        raise ValueError(Phrase(N_("missing front matter")))
    ending = first[len(first.rstrip(b"\r\n")) :] or b"\n"
    for index in range(1, len(lines)):
        text = lines[index].rstrip(b"\r\n")
        eol = lines[index][len(text) :]
        if _LINE.match(text):
            end = index + 1  # a hand-edited value may run on over indented lines: they go too
            while end < len(lines) and lines[end][:1] in (b" ", b"\t"):
                end += 1
            lines[index:end] = [f"{KEY}: {value}".encode() + (eol or ending)]
            return b"".join(lines)
        if _FENCE.match(text):
            if index > 0 and not lines[index - 1].endswith((b"\n", b"\r")):
                lines[index - 1] += ending
            lines.insert(index, f"{KEY}: {value}".encode() + ending)
            return b"".join(lines)
    raise ValueError(Phrase(N_("front matter is not closed")))


def write_atomically(path: Path, data: bytes) -> None:
    """Replace path's bytes in one step (a temporary file in the same folder), keeping its mode."""
    mode = path.stat().st_mode & 0o7777
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def sync(site: Site, ids: list[str]) -> list[str]:
    """Mark each pair of ids in line; return the files changed. Checks every id before writing."""
    planned: list[tuple[Path, bytes]] = []
    for id in ids:
        pair = {lang: site.get(lang, id) for lang in LANGS}
        if not any(pair.values()):
            raise SyncError(
                Phrase(
                    N_("no entry has the id '%(id)s' (or its files have errors: run kb check)"),
                    id=id,
                )
            )
        present = [entry for entry in pair.values() if entry is not None]
        if len(present) == 1:
            raise SyncError(
                Phrase(
                    N_(
                        "%(path)s:1: entry '%(id)s' has no translation to sync "
                        "with (or it has errors: run kb check)"
                    ),
                    path=present[0].path,
                    id=id,
                )
            )
        for lang, entry in pair.items():
            other = pair[LANGS[1 - LANGS.index(lang)]]
            path = site.root / entry.path
            data = path.read_bytes()
            try:
                new = with_fingerprint(data, other.fingerprint)
            except ValueError as error:  # the file changed since it was read
                raise SyncError(
                    Phrase(
                        N_("%(path)s:1: %(error)s: run kb check"),
                        path=entry.path,
                        error=error.args[0],
                    )
                ) from None
            if new != data:
                planned.append((path, new))
    for path, data in planned:
        write_atomically(path, data)
    return [path.relative_to(site.root).as_posix() for path, _ in planned]
