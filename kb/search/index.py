"""One Whoosh index per language: schema, scoring and building from the Site's entries."""

from __future__ import annotations

import threading
from array import array
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property, lru_cache

from whoosh import formats, scoring
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.filedb.filestore import RamStorage, Storage
from whoosh.index import Index
from whoosh.searching import Searcher

from kb.pagelist import entry_url
from kb.search.analysis import field_analyzer, normalize, word_analyzer
from kb.search.passages import after_lead, sections
from kb.search.searchers import LiveSearcher, Numbered, live_frequency
from kb.search.spelling import by_length
from kb.search.thesaurus import Thesaurus
from kb.taxonomy import AUDIENCES

TITLE_BOOST = 2.0
# Scores are whole multiples of 1/SCALE, kept as integers: the server and the browser add them
# exactly, in any order, and so rank alike. Hundredths keep the exported postings short.
SCALE = 100
SEARCHED = ("title", "body")
Postings = tuple[array, array]  # document numbers, scores


class QuantizedBM25F(scoring.BM25F):
    """Whoosh's BM25F, with each term score rounded to a multiple of 1/SCALE."""

    def scorer(self, searcher, fieldname, text, qf=1):
        return QuantizedScorer(searcher, fieldname, text, self.B, self.K1, qf=qf)


class QuantizedScorer(scoring.BM25FScorer):
    """BM25F ×SCALE, rounded."""

    def _score(self, weight: float, length: int) -> float:
        return float(round(super()._score(weight, length) * SCALE))


def make_schema(lang: str, thesaurus: Thesaurus) -> Schema:
    """Title (boosted) and body searched; the rest stored to show and filter results."""
    analyzer = field_analyzer(lang, thesaurus.phrases())
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=analyzer, phrase=False, stored=True, field_boost=TITLE_BOOST),
        # A term vector with character offsets lets snippets mark words without analyzing again.
        body=TEXT(analyzer=analyzer, phrase=False, stored=True, vector=formats.Characters()),
        # The unstemmed words, for "did you mean" (Whoosh's corrector) and the static word map.
        words=TEXT(analyzer=word_analyzer(lang), phrase=False),
        phase=ID(stored=True),
        audiences=KEYWORD(stored=True, commas=True),
        topics=KEYWORD(stored=True, commas=True),
        url=STORED,
        source=STORED,
        summary=STORED,
        sections=STORED,
    )


@dataclass(frozen=True)
class Doc:
    """What a result shows of an entry, by Whoosh document number."""

    id: str
    title: str
    url: str
    source: str
    phase: str
    audiences: tuple[str, ...]
    topics: tuple[str, ...]
    summary: str
    sections: tuple = ()  # (anchor, heading, text) of the summary and each `##` section

    @classmethod
    def from_stored(cls, fields: dict) -> Doc:
        """From a document's stored fields (see document())."""
        return cls(
            id=fields["id"],
            title=fields["title"],
            url=fields["url"],
            source=fields["source"],
            phase=fields["phase"],
            audiences=_split(fields["audiences"]),
            topics=_split(fields["topics"]),
            summary=fields["summary"],
            sections=tuple(tuple(part) for part in fields.get("sections") or ()),
        )


def _read_docs(reader, known: dict[int, Doc] | None) -> dict[int, Doc]:
    """Each live document's Doc by Whoosh number. known: the Docs of an earlier reader of the
    same index whose numbers still hold (segments added, none merged): those are not read
    again (reading a stored document costs a decompression and an unpickling)."""
    if known is None:
        return {docnum: Doc.from_stored(fields) for docnum, fields in reader.iter_docs()}
    return {
        docnum: known.get(docnum) or Doc.from_stored(reader.stored_fields(docnum))
        for docnum in reader.all_doc_ids()
    }


def _split(value: str) -> tuple[str, ...]:
    return tuple(part for part in value.split(",") if part)


def facet_numbers(docs: list[Doc]) -> tuple[list[tuple], list[int]]:
    """The distinct (phase, audiences) pairs, sorted, and each document's number among them:
    counting hits by a small number is quick."""
    facets = sorted({(doc.phase, doc.audiences) for doc in docs})
    numbers = {pair: number for number, pair in enumerate(facets)}
    return facets, [numbers[doc.phase, doc.audiences] for doc in docs]


def document(lang: str, entry) -> dict[str, str]:
    """The fields an entry is indexed with."""
    title = normalize(entry.title)
    body = after_lead(entry, entry.text)
    return {
        "id": entry.id,
        "title": title,
        "body": body,
        "words": f"{title}\n{body}",
        "phase": entry.phase,
        # In the taxonomy's order, so equal sets are equal strings.
        "audiences": ",".join(a for a in AUDIENCES if a in entry.audiences),
        "topics": ",".join(entry.topics),
        # A catchment page carries its own URL; an entry's follows from its slug.
        "url": getattr(entry, "url", None) or entry_url(lang, entry.slug),
        "source": entry.path,
        "summary": entry.description,
        "sections": sections(entry),
    }


def searchable(site, lang: str, drafts: bool = False) -> list:
    """What one language's index holds: the entries in reading order, then the catchment pages
    (after the entries, so that adding an area never renumbers an entry)."""
    from kb.catchments import search_pages  # its dates are kb.i18n's, the pages' own

    return site.entries_in(lang, drafts=drafts) + search_pages(site.catchment_areas, lang)


class LanguageIndex:
    """The index of one language, with one long-lived searcher and per-term scores.

    preload: read every term's scores into memory now (a running server, the export), rather
    than on first use (a one-off `kb search`, which only needs its query's terms).
    order: the documents' ids in reading order, for an index updated in place (kb.search.persist)
    whose document numbers no longer follow it; dead: the field lengths of its deleted documents;
    dead_words: how often each word occurs in them (None: counted from the postings);
    known: the Docs of an earlier LanguageIndex of the same index, by Whoosh number, when those
    numbers still hold.
    Results number documents by reading order and score with the live documents' statistics,
    so such an index answers exactly as one built afresh.
    """

    def __init__(
        self,
        lang: str,
        ix: Index,
        thesaurus: Thesaurus,
        preload: bool = False,
        order: list[str] | None = None,
        dead: dict[str, int] | None = None,
        dead_words: dict[str, int] | None = None,
        known: dict[int, Doc] | None = None,
    ):
        self.lang = lang
        self._dead_words = dead_words
        self.ix = ix
        self.thesaurus = thesaurus
        reader = ix.reader()
        # Deleted documents, or totals a merge rounded (kb.search.persist): corrected.
        live = reader.has_deletions() or any((dead or {}).values())
        self._searcher = (
            LiveSearcher(reader, dead or {}, weighting=QuantizedBM25F())
            if live
            else Searcher(reader, weighting=QuantizedBM25F())
        )
        self._lock = threading.RLock()  # Whoosh readers are not safe across threads
        self.by_number = _read_docs(reader, known)
        if order is not None:
            numbers = {doc.id: docnum for docnum, doc in self.by_number.items()}
            self._whoosh = [numbers[id] for id in order]
        else:
            self._whoosh = sorted(self.by_number)
        self._numbered = self._whoosh != list(range(len(self._whoosh)))
        self._reading = {docnum: n for n, docnum in enumerate(self._whoosh)}
        self.docs = [self.by_number[docnum] for docnum in self._whoosh]
        self.facets, self.facet_of = facet_numbers(self.docs)
        self._table: dict[str, Postings] | None = None
        if preload:
            self._table = self.table()
        self.postings: Callable[[str], dict[int, int]] = lru_cache(maxsize=4096)(self._postings)

    @contextmanager
    def searcher(self) -> Iterator[Searcher]:
        """The searcher, numbering documents in reading order."""
        with self._lock:
            yield Numbered(self._searcher, self._whoosh) if self._numbered else self._searcher

    def _scores(self, term: str) -> dict[int, int]:
        found = scored_postings(self._searcher, term)
        if not self._numbered:
            return found
        return {self._reading[docnum]: score for docnum, score in found.items()}

    def _postings(self, term: str) -> dict[int, int]:
        if self._table is not None:
            return dict(zip(*self._table.get(term, ((), ()))))
        with self._lock:
            return self._scores(term)

    @cached_property
    def spelling(self) -> dict[int, dict[str, int]]:
        """The entries' words by length, for "did you mean"."""
        return by_length(self.word_frequencies())

    def terms(self) -> list[str]:
        """Every index term of the searched fields (of live documents)."""
        with self._lock:
            reader = self._searcher.reader()
            found = {term for name in SEARCHED for term in reader.field_terms(name)}
            if reader.has_deletions():
                found = {
                    term
                    for term in found
                    if any(live_frequency(reader, name, term) for name in SEARCHED)
                }
            return sorted(found)

    def word_frequencies(self) -> dict[str, int]:
        """Every word of the entries (folded, not stemmed) and how often it occurs, sorted."""
        with self._lock:
            reader = self._searcher.reader()
            if reader.has_deletions() and self._dead_words is not None:
                # Whoosh's totals less the deleted documents' words: the same counts as
                # reading every posting (seconds after an edit at 1,000 entries).
                dead = self._dead_words
                found = {
                    word: int(reader.frequency("words", word)) - dead.get(word, 0)
                    for word in reader.field_terms("words")
                }
            else:
                found = {
                    word: int(live_frequency(reader, "words", word))
                    for word in reader.field_terms("words")
                }
            return {word: count for word, count in found.items() if count}

    def table(self) -> dict[str, Postings]:
        """Every term's document numbers and scores, in compact arrays (8 bytes a posting)."""
        if self._table is not None:
            return self._table
        table = {}
        with self._lock:
            for term in self.terms():
                scores = sorted(self._scores(term).items())
                table[term] = (
                    array("I", (n for n, _ in scores)),
                    array("I", (s for _, s in scores)),
                )
        return table


def scored_postings(searcher: Searcher, term: str) -> dict[int, int]:
    """Document number → the term's BM25F score ×SCALE, title and body added (as a query would)."""
    scores: dict[int, int] = {}
    reader = searcher.reader()
    for name in SEARCHED:
        if (name, term) not in reader:
            continue
        matcher = searcher.postings(name, term)
        while matcher.is_active():
            docnum = matcher.id()
            scores[docnum] = scores.get(docnum, 0) + int(matcher.score())
            matcher.next()
    return scores


class PrivateRamStorage(RamStorage):
    """RAM storage with a private scratch folder: Whoosh names a writer's folder after the index
    ('MAIN.tmp' in the system's temporary folder), so two processes indexing at the same time
    would delete each other's files."""

    def temp_storage(self, name: str | None = None) -> Storage:
        return super().temp_storage(None)  # a random name


def build_index(
    lang: str, entries: Iterable, thesaurus: Thesaurus, storage: Storage | None = None
) -> LanguageIndex:
    """Index entries (in reading order: document numbers break score ties) in one commit."""
    storage = storage or PrivateRamStorage()
    ix = storage.create_index(make_schema(lang, thesaurus))
    writer = ix.writer()
    for entry in entries:
        writer.add_document(**document(lang, entry))
    writer.commit()
    return LanguageIndex(lang, ix, thesaurus, preload=isinstance(storage, RamStorage))
