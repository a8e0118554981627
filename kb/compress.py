"""Precompressed copies of a build's text files, for servers that serve them (nginx gzip_static)."""

from __future__ import annotations

import gzip
from pathlib import Path

TEXT_SUFFIXES = {".html", ".css", ".js", ".json", ".xml", ".txt", ".svg"}


def compress_tree(folder: Path) -> int:
    """Write file.gz next to each text file under folder; return how many were written.

    The same input gives the same bytes: no time or file name in the gzip header.
    """
    files = sorted(p for p in folder.rglob("*") if p.suffix in TEXT_SUFFIXES and p.is_file())
    for path in files:
        data = gzip.compress(path.read_bytes(), compresslevel=9, mtime=0)
        path.with_name(path.name + ".gz").write_bytes(data)
    return len(files)
