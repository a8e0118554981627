"""Every term's BM25F scores computed straight from the entries, for the static export.

The export needs the score of every term in every entry. Writing a Whoosh index and reading each
posting list back costs about eight times as much as computing the scores: the same analysis
(each text's words found once, as plain strings), the same statistics (document frequencies,
field lengths kept as Whoosh keeps them) and Whoosh's `bm25` formula give the numbers a
Whoosh searcher gives. tests/test_search_scores.py compares the two term by term, and the
exported files byte by byte.
"""

from __future__ import annotations

from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable
from math import log

from whoosh.util.numeric import byte_to_length, length_to_byte

from kb.search.analysis import PhraseFilter, index_terms, words
from kb.search.index import (
    SCALE,
    SEARCHED,
    TITLE_BOOST,
    Doc,
    Postings,
    QuantizedBM25F,
    document,
    facet_numbers,
    searchable,
)
from kb.search.thesaurus import Thesaurus, site_groups
from kb.taxonomy import LANGS

BOOSTS = {"title": TITLE_BOOST, "body": 1.0}


class ScoredIndex:
    """What the export reads of a language's index (see LanguageIndex), without Whoosh's index."""

    def __init__(self, lang: str, entries: Iterable, thesaurus: Thesaurus):
        self.lang = lang
        self.thesaurus = thesaurus
        phrases = PhraseFilter(thesaurus.phrases())
        self.docs: list[Doc] = []
        # Per searched field, per document: term → occurrences.
        counts: dict[str, list[Counter]] = {name: [] for name in SEARCHED}
        frequencies: Counter = Counter()
        for entry in entries:
            fields = document(lang, entry)
            self.docs.append(Doc.from_stored(fields))
            # The "words" field is the title and the body: their words, analyzed once.
            for name in SEARCHED:
                found = words(lang, fields[name])
                frequencies.update(found)
                counts[name].append(Counter(index_terms(lang, found, phrases)))
        self.facets, self.facet_of = facet_numbers(self.docs)
        self._frequencies = dict(sorted(frequencies.items()))
        self._table = _score(counts, len(self.docs))

    def word_frequencies(self) -> dict[str, int]:
        """Every word of the entries (folded, not stemmed) and how often it occurs, sorted."""
        return self._frequencies

    def table(self) -> dict[str, Postings]:
        """Every term's document numbers and scores, sorted by term."""
        return self._table


def _score(counts: dict[str, list[Counter]], doc_count: int) -> dict[str, Postings]:
    """BM25F ×SCALE per term and document, title and body added, as scored_postings() does."""
    model = QuantizedBM25F()
    scores: dict[str, dict[int, int]] = defaultdict(dict)
    for name, per_doc in counts.items():
        lengths = [sum(found.values()) for found in per_doc]
        # Whoosh: total length over the document count, and 1 for an empty field.
        average = (sum(lengths) / (doc_count or 1)) or 1
        frequency = Counter(term for found in per_doc for term in found)
        idf = {term: log(doc_count / (n + 1)) + 1 for term, n in frequency.items()}
        boost, b, k1 = BOOSTS[name], model.B, model.K1
        for docnum, found in enumerate(per_doc):
            # Whoosh keeps a field's length in one byte: an approximation above 8 or so.
            length = byte_to_length(length_to_byte(lengths[docnum]))
            # whoosh.scoring.bm25 term by term, its length part computed once per document and
            # its frequency part once per frequency (the same operations in the same order: the
            # same floats).
            norm = k1 * ((1 - b) + b * length / average)
            parts: dict[int, float] = {}
            for term, tf in found.items():
                part = parts.get(tf)
                if part is None:
                    weight = tf * boost
                    part = parts[tf] = (weight * (k1 + 1)) / (weight + norm)
                postings = scores[term]
                postings[docnum] = postings.get(docnum, 0) + round(idf[term] * part * SCALE)
    table = {}
    for term in sorted(scores):
        postings = sorted(scores[term].items())
        table[term] = (array("I", [n for n, _ in postings]), array("I", [s for _, s in postings]))
    return table


def scored_indexes(site, drafts: bool = False) -> dict[str, ScoredIndex]:
    """Both languages' scores for the Site's entries and catchment pages (what
    SearchEngine.from_site indexes)."""
    groups = site_groups(site.glossary, site.synonyms)
    return {
        lang: ScoredIndex(
            lang, searchable(site, lang, drafts=drafts), Thesaurus.build(lang, groups)
        )
        for lang in LANGS
    }
