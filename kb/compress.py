"""Precompressed copies of a build's text files, for servers that serve them (nginx gzip_static)."""

from __future__ import annotations

import gzip
from pathlib import Path

TEXT_SUFFIXES = {".html", ".css", ".js", ".json", ".xml", ".txt", ".svg"}


def compress_tree(folder: Path) -> int:
    """Write file.gz next to each text file under folder that gzip makes smaller (a server sends
    the .gz copy whenever it exists: one larger than the file would only cost bytes); return how
    many were written.

    The same input gives the same bytes: no time or file name in the gzip header.
    """
    files = sorted(p for p in folder.rglob("*") if p.suffix in TEXT_SUFFIXES and p.is_file())
    written = 0
    for path in files:
        original = path.read_bytes()
        data = gzip.compress(original, compresslevel=9, mtime=0)
        if len(data) < len(original):
            path.with_name(path.name + ".gz").write_bytes(data)
            written += 1
    return written
