"""Translation fingerprints: a short hash of what a translation must say the same as."""

from __future__ import annotations

import hashlib
import re

# The front matter key, written by kb only, recording the counterpart's fingerprint at the last
# `kb sync`. Kept here, the one place every module reads it from.
KEY = "synced"
SYNC_COMMAND = "kb sync"
FORMAT = re.compile(r"^[0-9a-f]{12}$")
_SPACE = re.compile(r"\s+")


def fingerprint(title: str, summary: str | None, period: str, body: str) -> str:
    """12 hex digits of sha256 over the texts, whitespace normalised (re-wrapping is no change)."""
    parts = [_SPACE.sub(" ", text or "").strip() for text in (title, summary, period, body)]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:12]


def is_fingerprint(value: object) -> bool:
    return isinstance(value, str) and bool(FORMAT.match(value))
