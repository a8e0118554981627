"""The preview's and `kb search`'s Whoosh indexes, kept in .kb-cache/search/ and updated
document by document: an edit re-indexes one entry, not the site.

Each language's folder holds the index and a manifest: the digest of what its schema and
analysis depend on (kb's code, the synonyms and glossary), the index generation it describes,
each document's digest, and the lengths of the deleted documents' fields. A manifest that does
not match the index, or an index that will not open, is rebuilt from the Site.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import tempfile
import warnings
from pathlib import Path

from whoosh.filedb.filestore import FileStorage

from kb.cache import code_digest, digest
from kb.content import Entry
from kb.memo import KEPT
from kb.search.engine import SearchEngine
from kb.search.index import SEARCHED, LanguageIndex, document, make_schema, searchable
from kb.search.thesaurus import Thesaurus, site_groups
from kb.taxonomy import LANGS

MANIFEST = "manifest.json"
LENGTHS = (*SEARCHED, "words")
MAX_SEGMENTS = 32  # one segment per commit: searching many of them slows down


def persisted_engine(site, folder: Path, drafts: bool = False) -> SearchEngine:
    """The engine of the Site from the indexes under folder, updated for what changed; in
    memory when the folder cannot be written."""
    groups = site_groups(site.glossary, site.synonyms)
    indexes = {}
    for lang in LANGS:
        thesaurus = Thesaurus.build(lang, groups)
        entries = searchable(site, lang, drafts=drafts)
        where = folder / ("drafts" if drafts else "published") / lang
        try:
            indexes[lang] = update_index(where, lang, entries, thesaurus)
        except OSError:
            return SearchEngine.from_site(site, drafts=drafts)
    return SearchEngine(indexes)


def _doc_digest(fields: dict[str, str]) -> str:
    return digest(*(f"{name}={fields[name]}" for name in sorted(fields)))


def _indexed(lang: str, entry) -> tuple[dict[str, str], str]:
    """An entry's fields and their digest; for an Entry, once per content (an edit after
    another gives the same strings for every entry it did not change)."""
    if type(entry) is not Entry:  # a catchment page: its fields follow from other data
        fields = document(lang, entry)
        return fields, _doc_digest(fields)
    key = (
        lang,
        entry.id,
        entry.title,
        entry.summary,
        entry.text,
        entry.html,
        entry.phase,
        tuple(entry.audiences),
        tuple(entry.topics),
        entry.slug,
        entry.path,
    )  # all it reads
    found = _fields.get(key)
    if found is None:
        fields = document(lang, entry)
        if len(_fields) >= KEPT:
            _fields.clear()
        found = _fields[key] = (fields, _doc_digest(fields))
    return found


_fields: dict[tuple, tuple[dict[str, str], str]] = {}  # shared, never changed


def update_index(where: Path, lang: str, entries: list, thesaurus: Thesaurus) -> LanguageIndex:
    """The index in `where` brought to hold exactly `entries`, in their reading order."""
    schema_key = digest(code_digest(), lang, thesaurus.groups, thesaurus.sources)
    indexed = {entry.id: _indexed(lang, entry) for entry in entries}
    documents = {id: fields for id, (fields, _) in indexed.items()}
    wanted = {id: found for id, (_, found) in indexed.items()}
    manifest, ix = _open(where, schema_key)
    if ix is None:
        shutil.rmtree(where, ignore_errors=True)
        where.mkdir(parents=True)
        ix = FileStorage(str(where)).create_index(make_schema(lang, thesaurus))
        manifest = {
            "schema": schema_key,
            "docs": {},
            "dead": dict.fromkeys(LENGTHS, 0),
            "dead_words": {},
        }
    known: dict[str, str] = manifest["docs"]
    changed = [id for id, value in wanted.items() if known.get(id) != value]
    removed = [id for id in known if id not in wanted]
    # The last index opened here, when it read the generation the files now hold: its
    # documents keep their numbers unless the commit below merges segments.
    last = _opened.get(where)
    if last is not None and (last[0], last[1]) != (schema_key, manifest.get("generation")):
        last = None
    order = [entry.id for entry in entries]
    if changed or removed or "generation" not in manifest:
        merged = _write(
            ix, documents, changed, removed, known, manifest["dead"], manifest["dead_words"]
        )
        manifest["docs"] = wanted
        manifest["generation"] = ix.latest_generation()
        _save(where, manifest)
        if merged:
            last = None
    elif last is not None and last[2] == order:
        return last[3]  # nothing changed: the same index, already read
    index = LanguageIndex(
        lang,
        ix,
        thesaurus,
        order=order,
        dead=manifest["dead"],
        dead_words=manifest["dead_words"],
        known=last[3].by_number if last is not None else None,
    )
    _opened.pop(where, None)
    if len(_opened) >= OPENED_KEPT:  # the oldest goes: its files stay open while it is kept
        del _opened[next(iter(_opened))]
    _opened[where] = (schema_key, manifest["generation"], order, index)
    return index


# Where → (schema key, generation, order, LanguageIndex): the index last opened there.
_opened: dict[Path, tuple[str, int, list[str], LanguageIndex]] = {}
OPENED_KEPT = 4  # both languages, published and drafts, of one site


def _open(where: Path, schema_key: str):
    try:
        manifest = json.loads((where / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("schema") != schema_key or "dead_words" not in manifest:
            return None, None
        ix = FileStorage(str(where)).open_index()
        if ix.latest_generation() != manifest["generation"]:
            return None, None  # stopped between the commit and the manifest: rebuild
        with ix.reader() as reader:
            if reader.doc_count() != len(manifest["docs"]):
                return None, None
        return manifest, ix
    except Exception:  # noqa: BLE001 (a missing, truncated or corrupt index is rebuilt)
        with warnings.catch_warnings():  # the files Whoosh left open on a damaged segment
            warnings.simplefilter("ignore", ResourceWarning)
            gc.collect()
        return None, None


def _write(
    ix,
    documents: dict,
    changed: list[str],
    removed: list[str],
    known: dict,
    dead: dict[str, int],
    dead_words: dict[str, int],
) -> bool:
    """Deletes and update_document in one commit; the replaced documents' field lengths are
    counted in `dead`, and their words in `dead_words`, so that scores and spelling can leave
    them out (see LanguageIndex). True when the segments were merged: documents renumbered."""
    writer = ix.writer()
    try:
        with ix.searcher() as searcher:
            for id in [*removed, *(id for id in changed if id in known)]:
                stored = searcher.document(id=id)
                if stored is None:
                    continue
                for name, length in _lengths(ix.schema, stored).items():
                    dead[name] += length
                words = ix.schema["words"]
                for term, _, weight, _ in words.index(f"{stored['title']}\n{stored['body']}"):
                    word = words.from_bytes(term)
                    dead_words[word] = dead_words.get(word, 0) + int(weight)
        for id in removed:
            writer.delete_by_term("id", id)
        for id in changed:
            writer.update_document(**documents[id])
        with ix.reader() as reader:
            segments = len(reader.leaf_readers())
            totals = {name: reader.field_length(name) for name in LENGTHS}
        if segments < MAX_SEGMENTS:
            writer.commit(merge=False)  # merging would rewrite every document: seconds, not ms
            return False
        # Now and then, one segment again: no deleted documents left to leave out. A merge
        # adds up each document's length as Whoosh stores it, in one byte (rounded): `dead`
        # then holds what the new totals differ by from the exact ones.
        for id in changed:
            for name, length in _lengths(ix.schema, documents[id]).items():
                totals[name] += length
        live = {name: totals[name] - dead[name] for name in LENGTHS}
        writer.commit(optimize=True)
        with ix.reader() as reader:
            dead.update({name: reader.field_length(name) - live[name] for name in LENGTHS})
        dead_words.clear()
        return True
    except BaseException:
        writer.cancel()
        raise


def _lengths(schema, fields: dict) -> dict[str, int]:
    """The exact length of each searched field of a document, as Whoosh counts it."""
    return {
        name: sum(freq for _, freq, _, _ in schema[name].index(value))
        for name, value in (
            ("title", fields["title"]),
            ("body", fields["body"]),
            ("words", f"{fields['title']}\n{fields['body']}"),
        )
    }


def _save(where: Path, manifest: dict) -> None:
    handle, name = tempfile.mkstemp(prefix=".tmp-", dir=where)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(manifest, out)
    os.replace(name, where / MANIFEST)
