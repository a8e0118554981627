"""The static search index: the server's index as small JSON files that static/search.js reads.

Per language, under search/<lang>/:
- meta.json: synonym groups, each entry's (phase, audiences), shard counts (the page preloads
  it; static/stem.js analyzes the query as the server does, so no word map is needed);
- terms/N.json: term → its postings, document number (as a difference from the previous one)
  and score pairs from Whoosh's BM25F scorer, so the browser ranks as the server does;
- docs/N.json: id, title, URL, summary and sections (for snippets and sub-results) of
  DOCS_PER_SHARD entries;
- spell/L.json: the words of L letters and their frequency, for "did you mean".
Terms go to shard fnv1a(term) % count: a query downloads its terms' shards, then its hits' docs.
"""

from __future__ import annotations

import json
import math
import shutil
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kb.search.bm25 import ScoredIndex, scored_indexes
from kb.search.index import SCALE, LanguageIndex, Postings
from kb.search.passages import BEFORE, MAX_SECTIONS, SNIPPET_CHARS
from kb.search.query import MAX_GROUPS
from kb.search.spelling import FEW_RESULTS, MIN_SUGGESTED, by_length

FORMAT = 2
DOCS_PER_SHARD = 2
# Average shard size aimed at: small, since a query reads several terms' shards for one word
# (its synonyms), and each shard's other terms are bytes the browser does not need.
SHARD_BYTES = {"terms": 2_000}
# Postings as text: each number in base 32, low digits first; a digit from the second half of
# the alphabet means more digits follow. Deltas take one character, scores two or three.
DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"


def fnv1a(text: str) -> int:
    """32-bit FNV-1a of the UTF-8 bytes (search.js computes the same)."""
    value = 0x811C9DC5
    for byte in text.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


@lru_cache(maxsize=65_536)  # postings repeat the same small deltas and scores
def varint(value: int) -> str:
    """A non-negative integer in DIGITS (search.js decodes it)."""
    digits = []
    while value >= 32:
        digits.append(DIGITS[32 + (value & 31)])
        value >>= 5
    digits.append(DIGITS[value])
    return "".join(digits)


_VARINTS = tuple(varint(value) for value in range(1 << 14))  # the numbers postings hold most


def shard_count(total_bytes: int, target: int) -> int:
    """A power of two giving shards of about target bytes."""
    return 1 << max(0, math.ceil(math.log2(max(total_bytes, 1) / target)))


@dataclass
class ExportReport:
    """How many files and bytes an export wrote."""

    files: int = 0
    bytes: int = 0


class Writer:
    """Writes compact JSON files and counts them."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.report = ExportReport()

    def write(self, name: str, value) -> None:
        data = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        path = self.folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.report.files += 1
        self.report.bytes += len(data)

    def sharded(self, kind: str, items: dict[str, object]) -> int:
        """Write items into hashed shards; return the number of shards."""
        sizes = sum(len(key) + len(json.dumps(value)) for key, value in items.items())
        count = shard_count(sizes, SHARD_BYTES[kind])
        shards: dict[int, dict] = defaultdict(dict)
        for key, value in items.items():
            shards[fnv1a(key) % count][key] = value
        for number in range(count):
            self.write(f"{kind}/{number}.json", shards.get(number, {}))
        return count


Index = LanguageIndex | ScoredIndex  # a Whoosh index, or the same scores computed directly


def export_site(site, output: Path) -> ExportReport:
    """Score the Site's published entries and export them under output."""
    return export_index(scored_indexes(site), output)


def export_index(indexes: dict[str, Index], output: Path) -> ExportReport:
    """Write search/<lang>/ under output for every language; return what was written."""
    total = ExportReport()
    for lang, index in indexes.items():
        folder = output / "search" / lang
        shutil.rmtree(folder, ignore_errors=True)
        report = export_language(index, folder)
        total.files += report.files
        total.bytes += report.bytes
    return total


def export_language(index: Index, folder: Path) -> ExportReport:
    """Write one language's meta.json and its term, entry and spelling files."""
    writer = Writer(folder)
    terms = {term: _term_entry(postings) for term, postings in index.table().items()}
    meta = {
        "format": FORMAT,
        "lang": index.lang,
        "scale": SCALE,
        "maxGroups": MAX_GROUPS,
        "minSuggested": MIN_SUGGESTED,
        "fewResults": FEW_RESULTS,
        "snippet": [SNIPPET_CHARS, BEFORE, MAX_SECTIONS],
        "synonyms": [[list(alt) for alt in group] for group in index.thesaurus.groups],
        # Alternatives this language never uses (an English term on the French site): no need
        # to download a shard to learn that they match nothing.
        "absent": sorted(
            {" ".join(alt) for group in index.thesaurus.groups for alt in group} - set(terms)
        ),
        "facets": [[phase, list(audiences)] for phase, audiences in index.facets],
        # Each entry's pair, one character each: chr(48 + its number in "facets").
        "facetOf": "".join(chr(48 + number) for number in index.facet_of),
        "docs": len(index.docs),
        "docsPerShard": DOCS_PER_SHARD,
        "terms": writer.sharded("terms", terms),
    }
    for start in range(0, len(index.docs), DOCS_PER_SHARD):
        shard = [
            [d.id, d.title, d.url, d.summary, [list(part) for part in d.sections]]
            for d in index.docs[start : start + DOCS_PER_SHARD]
        ]
        writer.write(f"docs/{start // DOCS_PER_SHARD}.json", shard)
    meta["spell"] = _write_spelling(writer, index.word_frequencies())
    writer.write("meta.json", meta)
    return writer.report


def _write_spelling(writer: Writer, frequencies: dict[str, int]) -> list[int]:
    """One file of words (and their frequency) per length; return the lengths."""
    lengths = by_length(frequencies)
    for size, words in lengths.items():
        writer.write(f"spell/{size}.json", words)
    return sorted(lengths)


def _term_entry(postings: Postings) -> str:
    """The term's delta-coded postings."""
    docnums, scores = postings[0].tolist(), postings[1].tolist()
    coded = _VARINTS  # the numbers already coded: no call per number (both are unsigned)
    try:
        return "".join(
            [
                coded[n - before] + coded[score]
                for n, before, score in zip(docnums, [0, *docnums], scores)
            ]
        )
    except IndexError:  # a number past the table
        deltas = map(int.__sub__, docnums, [0, *docnums])
        return "".join(varint(delta) + varint(score) for delta, score in zip(deltas, scores))
