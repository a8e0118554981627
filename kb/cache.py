"""What reading and rendering entries produce, kept in .kb-cache/ by content digest.

One pack file holds every record, each pickled on its own: a record pickled by the worker that
made it is written as those bytes, never pickled again. The pack is read whole and written whole
(atomically), and opens only when its checksum matches: a truncated or corrupt file is ignored,
as is a missing one or one of an older format.
Keys are digests of everything a record depends on (the bytes read, kb's code and version, the
data the reading used), so a record is never used for input it was not made from. Deleting the
folder only costs the time to read the content again.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import tempfile
import threading
from importlib import metadata
from pathlib import Path
from typing import Any

CACHE_DIR = ".kb-cache"
MAGIC = b"kb-cache 2\n"  # 2: a dict of each record's own pickle
KB_PACKAGE = Path(__file__).resolve().parent


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """kb's version and the bytes of its code: a new kb reads everything again."""
    digest = hashlib.sha256()
    try:
        digest.update(metadata.version("kb").encode())
    except metadata.PackageNotFoundError:
        pass
    for file in sorted(KB_PACKAGE.rglob("*.py")):
        digest.update(file.relative_to(KB_PACKAGE).as_posix().encode() + b"\0")
        digest.update(file.read_bytes())
    return digest.hexdigest()


def digest(*parts: Any) -> str:
    """A key from bytes and strings (others by repr), none running into the next."""
    found = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass")
        found.update(len(data).to_bytes(8, "little") + data)
    return found.hexdigest()


class Store:
    """The records of one site's cache, in memory; save() writes back the ones used."""

    def __init__(self, root: Path, records: dict[str, Any] | None = None):
        self.file = root / CACHE_DIR / "entries.pickle"
        self.records: dict[str, Any] = records or {}
        self.pickled: dict[str, bytes] = {}  # key → its record's pickle, where already made
        self.used: set[str] = set()
        self.added = 0
        # path → (lstat signature, key): the preview's way to skip unchanged files unread.
        self.stats: dict[str, tuple[tuple, str]] = {}
        self.delay: float | None = None  # the preview's: save() writes after this quiet time
        self._pending: tuple[dict, dict] | None = None  # records a deferred save has yet to write
        self._timer: threading.Timer | None = None
        self._writing = threading.Lock()  # one write at a time, and flush() waits for it
        self._handing = threading.Lock()  # guards _pending: save() never waits for a write

    @classmethod
    def open(cls, root: Path) -> Store:
        """The cache of the site at root; empty when the file is missing, truncated or corrupt."""
        store = cls(root)
        try:
            data = store.file.read_bytes()
        except OSError:
            return store
        # Views, not slices: a slice would copy the payload (tens of MB on a large site).
        view = memoryview(data)
        head, check, payload = (
            view[: len(MAGIC)],
            view[len(MAGIC) : len(MAGIC) + 32],
            view[len(MAGIC) + 32 :],
        )
        if head != MAGIC or hashlib.sha256(payload).digest() != check:
            return store
        try:
            pickled = pickle.loads(payload)
            records = {key: pickle.loads(blob) for key, blob in pickled.items()}
        except Exception:  # noqa: BLE001 (a checksum collision or an old format: start afresh)
            return store
        store.records, store.pickled = records, pickled
        return store

    def get(self, key: str) -> Any:
        record = self.records.get(key)
        if record is not None:
            self.used.add(key)
        return record

    def put(self, key: str, record: Any, pickled: bytes | None = None) -> None:
        """Keep record under key; pickled: its pickle, when the caller has it (a worker's)."""
        self.records[key] = record
        if pickled is not None:
            self.pickled[key] = pickled
        else:
            self.pickled.pop(key, None)
        self.used.add(key)
        self.added += 1

    def begin(self) -> None:
        """Start counting what one load uses (the rest is dropped at save())."""
        self.used = set()
        self.added = 0

    def save(self) -> None:
        """Keep the records this load used; written only when that changed anything.

        With a delay (the preview), the write happens in a thread once no load has saved for
        that long, so an edit is shown without waiting for the pack to be written: pickling
        holds the interpreter for as long as it takes (0.1 s at 1,000 entries).
        """
        if not self.added and self.used == self.records.keys():
            return
        self.records = {key: self.records[key] for key in self.used}
        self.pickled = {key: blob for key, blob in self.pickled.items() if key in self.records}
        self.added = 0
        if self.delay is None:
            self._write(self._pickles(self.records, self.pickled))
            return
        with self._handing:  # the next load adds to self.records: the thread writes a copy
            self._pending = (dict(self.records), dict(self.pickled))
        if self._timer is not None:
            self._timer.cancel()
        self._timer = threading.Timer(self.delay, self.flush)
        self._timer.daemon = True  # an exit does not wait for it: flush() is called then
        self._timer.start()

    def flush(self) -> None:
        """Write what a deferred save left to write, now (at exit, or from its timer)."""
        with self._writing:
            with self._handing:
                records, self._pending = self._pending, None
            if records is not None:
                self._write(self._pickles(*records))

    @staticmethod
    def _pickles(records: dict[str, Any], pickled: dict[str, bytes]) -> dict[str, bytes]:
        """Each record's pickle: the one it came with, else made now."""
        return {
            key: pickled[key] if key in pickled else dumps(record)
            for key, record in records.items()
        }

    def _write(self, pickles: dict[str, bytes]) -> None:
        payload = pickle.dumps(pickles, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self.file.parent.mkdir(exist_ok=True)
            ignore = self.file.parent / ".gitignore"
            if not ignore.exists():
                ignore.write_text("*\n", encoding="utf-8")  # never committed, wherever it is
            handle, name = tempfile.mkstemp(prefix=".tmp-", dir=self.file.parent)
            with os.fdopen(handle, "wb") as out:
                for part in (MAGIC, hashlib.sha256(payload).digest(), payload):
                    out.write(part)  # one by one: joined, they would be one more copy
            os.replace(name, self.file)
        except OSError:  # a read-only site folder: the cache is only a saving
            pass


def dumps(record: Any) -> bytes:
    """A record's pickle, as the pack keeps it."""
    return pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)
