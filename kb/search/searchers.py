"""Whoosh searchers as kb's index uses them: statistics without deleted documents, and documents
numbered in reading order."""

from __future__ import annotations

from whoosh.searching import Searcher


def live_frequency(reader, name: str, term: str) -> float:
    """How often a term occurs in the documents not deleted (Whoosh counts deleted ones too)."""
    if (name, term) not in reader:
        return 0
    if not reader.has_deletions():
        return reader.frequency(name, term)
    return sum(weight for _, weight in reader.postings(name, term).items_as("weight"))


class LiveSearcher(Searcher):
    """A searcher whose statistics leave deleted documents out, as an index built afresh has
    none: the document count, each term's document frequency and each field's total length."""

    def __init__(self, reader, dead: dict[str, int], **options):
        super().__init__(reader, **options)
        self._dead = dead
        self._doccount = reader.doc_count()
        self.doc_count_all = reader.doc_count
        self.doc_frequency = self._live_doc_frequency
        self.frequency = lambda name, term: live_frequency(reader, name, term)
        self.corrector = self._live_corrector

    def _subsearcher(self, reader):
        # A segment's searcher asks this one (its parent) for the statistics.
        return Searcher(reader, fromindex=self._ix, weighting=self.weighting, parent=self)

    def _live_doc_frequency(self, name: str, term: str) -> int:
        if (name, term) not in self.ixreader:
            return 0
        if not self.ixreader.has_deletions():  # only the totals need correcting
            return self.ixreader.doc_frequency(name, term)
        return sum(1 for _ in self.ixreader.postings(name, term).all_ids())

    def field_length(self, fieldname: str) -> int:
        return self.ixreader.field_length(fieldname) - self._dead.get(fieldname, 0)

    def _live_corrector(self, fieldname: str):
        from whoosh.spelling import ReaderCorrector

        return ReaderCorrector(_LiveTerms(self.ixreader), fieldname, self.schema[fieldname])


class _LiveTerms:
    """A reader for Whoosh's corrector that offers only words of documents not deleted."""

    def __init__(self, reader):
        self._reader = reader
        self.schema = reader.schema

    def frequency(self, name: str, term: str) -> float:
        return live_frequency(self._reader, name, term)

    def terms_within(self, name: str, text: str, maxdist: int, prefix: int = 0):
        for term in self._reader.terms_within(name, text, maxdist, prefix=prefix):
            if live_frequency(self._reader, name, term):
                yield term


class Numbered:
    """The searcher as snippets and suggestions use it, with documents numbered in reading order."""

    def __init__(self, searcher: Searcher, whoosh: list[int]):
        self._searcher = searcher
        self._whoosh = whoosh

    def reader(self):
        return _NumberedReader(self._searcher.reader(), self._whoosh)

    def stored_fields(self, number: int) -> dict:
        return self._searcher.stored_fields(self._whoosh[number])

    def __getattr__(self, name: str):
        return getattr(self._searcher, name)


class _NumberedReader:
    def __init__(self, reader, whoosh: list[int]):
        self._reader = reader
        self._whoosh = whoosh

    def vector(self, number: int, fieldname: str, format_=None):
        return self._reader.vector(self._whoosh[number], fieldname, format_)

    def __getattr__(self, name: str):
        return getattr(self._reader, name)
