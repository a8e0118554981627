"""The index of `kb search`, cached on disk: reading 5,000 entries and indexing them takes a
minute, opening the cached index a fraction of a second.

The cache lives in the user's cache folder, keyed by the site folder, the content files (path,
size, time) and kb's code, so any change to either builds a fresh index.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from whoosh.filedb.filestore import FileStorage

from kb.search.engine import SearchEngine
from kb.search.index import LanguageIndex
from kb.search.thesaurus import Thesaurus
from kb.taxonomy import LANGS

# The search code and what it reads entries with (content, Markdown): any change reindexes.
CODE = Path(__file__).resolve().parent.parent


def cache_home() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kb" / "search"


def stamp(root: Path) -> str:
    """A digest of everything the index depends on."""
    digest = hashlib.sha256()
    for file in sorted(CODE.rglob("*.py")):
        digest.update(file.read_bytes())
    content = root / "content"
    for file in sorted(content.rglob("*")):
        if file.is_file():
            info = file.stat()
            digest.update(
                f"{file.relative_to(content)}\0{info.st_size}\0{info.st_mtime_ns}\n".encode()
            )
    return digest.hexdigest()[:24]


def cached_engine(root: Path, load_site) -> SearchEngine:
    """Open the cached engine of the site at root, or build it with load_site(root) and cache it."""
    site_key = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:12]
    base = cache_home() / site_key
    folder = base / stamp(root)
    if not (folder / "thesaurus.json").exists():
        try:
            _build(root, load_site, base, folder)
        except OSError:  # no writable cache folder: index in memory for this run
            return SearchEngine.from_site(load_site(root))
    saved = json.loads((folder / "thesaurus.json").read_text(encoding="utf-8"))
    return SearchEngine(
        {
            lang: LanguageIndex(
                lang,
                FileStorage(str(folder / lang)).open_index(),
                Thesaurus(
                    [[tuple(alt) for alt in group] for group in saved[lang]["groups"]],
                    saved[lang]["sources"],
                ),
            )
            for lang in LANGS
        }
    )


def _build(root: Path, load_site, base: Path, folder: Path) -> None:
    base.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".tmp-", dir=base))
    try:
        for lang in LANGS:
            (staging / lang).mkdir()
        engine = SearchEngine.from_site(
            load_site(root), storage=lambda lang: FileStorage(str(staging / lang))
        )
        saved = {
            lang: {"groups": index.thesaurus.groups, "sources": index.thesaurus.sources}
            for lang, index in engine.indexes.items()
        }
        # Written last: its presence marks a complete cache folder.
        (staging / "thesaurus.json").write_text(json.dumps(saved), encoding="utf-8")
        for old in base.iterdir():
            if old.name != folder.name and not old.name.startswith(".tmp-"):
                shutil.rmtree(old, ignore_errors=True)
        staging.rename(folder)
    except OSError:
        if not (folder / "thesaurus.json").exists():  # another run cached it first: fine
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
