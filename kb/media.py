"""Images and attachments in content/media/: where a reference points, and an image's size.

Sizes are read from the file's header with the standard library (PNG, GIF, JPEG, WebP, SVG):
a few bytes each, not worth an imaging library as a dependency.
"""

from __future__ import annotations

import hashlib
import os
import re
import struct
from functools import lru_cache
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

from flask import Blueprint, abort, current_app, send_from_directory
from werkzeug.security import safe_join

from kb.sourcefile import leads_out
from kb.watching import file_version

FOLDER = "media"  # content/media/
URL_FROM_ENTRY = "../../../media/"  # an entry page is /<lang>/<section>/<slug>/
WARN_BYTES = 500_000  # larger files are slow for readers on a phone
MAX_BYTES = 5_000_000  # refused: a file this large does not belong on a question-and-answer page
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg")
DECORATIVE = "decorative"  # the alt text that marks an image as decorative (alt="" on the page)
SVG_LENGTH = re.compile(r"^\s*([0-9.]+)\s*(px)?\s*$")

bp = Blueprint("media", __name__)


def stamp(folder: Path) -> list[tuple]:
    """Name and version (kb.watching.file_version) of each file of content/media/: an image's
    size is on the page, and an image copied over another with its size and time kept is new."""
    found = []
    for file in sorted(folder.rglob("*")) if folder.is_dir() else []:
        try:
            info = file.stat()
        except OSError:
            continue
        found.append((file.relative_to(folder).as_posix(), *file_version(info)))
    return found


def shown(folder: Path) -> list[tuple[str, tuple[int, int] | None]]:
    """What an answer's HTML shows of content/media/: each file's name, and an image's width
    and height (a key that a chmod or a sync client touching the files leaves as it is)."""
    # Every file's: an answer may show any of them as an image (a size is read for what it can).
    return [(name, dimensions(folder / name, tuple(version))) for name, *version in stamp(folder)]


def media_name(content: Path, entry_path: str, target: str) -> str | None:
    """The name under content/media/ that target, relative to the entry's file, points to."""
    if not target or "://" in target or target.startswith(("#", "/", "entry:", "mailto:")):
        return None
    base = PurePosixPath(entry_path).parent.relative_to("content")
    parts: list[str] = []
    for part in (base / target.split("#")[0].split("?")[0]).parts:
        if part == "..":
            if not parts:
                return None
            parts.pop()
        elif part != ".":
            parts.append(part)
    if len(parts) < 2 or parts[0] != FOLDER:
        return None
    return "/".join(parts[1:])


@lru_cache(maxsize=1024)
def dimensions(file: Path, version: tuple = ()) -> tuple[int, int] | None:
    """(width, height) of a PNG, GIF, JPEG, WebP or SVG image; None when it cannot be read.
    version: the file's (kb.watching.file_version), for the cache: a new one reads it again."""
    try:
        head = file.read_bytes()[:65536] if file.suffix.lower() != ".svg" else file.read_bytes()
    except OSError:
        return None
    if head[:8] == b"\x89PNG\r\n\x1a\n" and len(head) >= 24:
        return struct.unpack(">II", head[16:24])
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return struct.unpack("<HH", head[6:10])
    if head[:2] == b"\xff\xd8":
        return _jpeg(head)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return _webp(head)
    if file.suffix.lower() == ".svg":
        return _svg(head)
    return None


def _jpeg(data: bytes) -> tuple[int, int] | None:
    index = 2
    while index + 9 < len(data):
        if data[index] != 0xFF:
            return None
        marker = data[index + 1]
        length = struct.unpack(">H", data[index + 2 : index + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # a start of frame
            height, width = struct.unpack(">HH", data[index + 5 : index + 9])
            return width, height
        index += 2 + length
    return None


def _webp(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8 " and len(data) >= 30:
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and len(data) >= 25:
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X" and len(data) >= 30:
        return int.from_bytes(data[24:27], "little") + 1, int.from_bytes(data[27:30], "little") + 1
    return None


def _svg(data: bytes) -> tuple[int, int] | None:
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        return None  # entities can expand without bound: not read
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        return None
    width, height = (SVG_LENGTH.match(root.get(k, "")) for k in ("width", "height"))
    if width and height:
        return round(float(width.group(1))), round(float(height.group(1)))
    box = root.get("viewBox", "").replace(",", " ").split()
    if len(box) == 4:
        try:
            return round(float(box[2])), round(float(box[3]))
        except ValueError:
            return None
    return None


@bp.route("/media/<path:name>")
def file(name: str):
    """A file of content/media/, as the build copies it."""
    folder = Path(current_app.config["KB_ROOT"]) / "content" / FOLDER
    # Werkzeug's ETag is the file's time and size: the preview would answer "not modified" for
    # an image copied over another with both kept. Its version (a digest: no inode shown) tells.
    etag: str | bool = True
    path = safe_join(str(folder), name)
    if path is not None:
        if leads_out(folder, path):
            abort(404)  # kb check reports the link
        try:
            version = file_version(os.stat(path))
        except OSError:
            pass  # send_from_directory answers 404
        else:
            etag = hashlib.sha256(repr(version).encode()).hexdigest()[:20]
    return send_from_directory(folder, name, etag=etag)
