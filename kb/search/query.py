"""Querying one language index: plain words, ranked by how many of them an entry has (see
kb.search.ranking), synonyms OR'ed within a group.

No query syntax reaches Whoosh: input is cut to MAX_QUERY_CHARS, split into words by the
analyzer and matched against per-term scores from Whoosh's BM25F scorer, so any string costs a
bounded, predictable amount. static/search.js evaluates the exported scores the same way.
"""

from __future__ import annotations

import heapq
import html
import re
from collections import Counter
from dataclasses import dataclass, field

from kb.search.analysis import normalize, term_analyzer, word_analyzer
from kb.search.index import SCALE, Doc, LanguageIndex
from kb.search.passages import snippet, sub_results
from kb.search.ranking import match, order
from kb.search.spelling import FEW_RESULTS, MIN_SUGGESTED, nearest
from kb.search.thesaurus import WordGroup

MAX_QUERY_CHARS = 200
MAX_GROUPS = 12
PER_PAGE = 10
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Word:
    """A query word: as typed (folded), where it is in the query, and its index term."""

    text: str
    start: int
    end: int
    term: str


@dataclass
class Plan:
    """A query made safe: its text, its words and the word groups the search requires."""

    text: str
    words: list[Word]
    groups: list[WordGroup]

    def terms(self) -> set[str]:
        """Every index term the query looks up (for highlighting)."""
        found = {" ".join(alt) for group in self.groups for alt in group.alternatives}
        return found | {term for group in self.groups for term in group.span}

    def alternatives(self) -> list[list[tuple[str, ...]]]:
        """Each group's alternatives, for snippets: a phrase is marked only whole."""
        return [list(group.alternatives) for group in self.groups]


def clean(raw: str) -> str:
    """Compose accents, blank out control characters, cut to MAX_QUERY_CHARS."""
    return CONTROL.sub(" ", normalize(raw))[:MAX_QUERY_CHARS].strip()


def make_plan(index: LanguageIndex, raw: str) -> Plan:
    text = clean(raw)
    typed = word_analyzer(index.lang)(text, chars=True)
    stemmed = term_analyzer(index.lang)(text)
    words = [Word(w.text, w.startchar, w.endchar, t.text) for w, t in zip(typed, stemmed)]
    groups = index.thesaurus.expand([word.term for word in words])[:MAX_GROUPS]
    return Plan(text, words, groups)


@dataclass
class Hit:
    """One result, as the page and `kb search --json` show it."""

    doc: Doc
    number: int  # Whoosh document number
    lang: str
    score: float
    snippet: str  # HTML: escaped text with <mark> around matched words
    sections: list = field(default_factory=list)  # (anchor, heading) of matching sections

    def as_json(self) -> dict:
        doc = self.doc
        return {
            "id": doc.id,
            "lang": self.lang,
            "title": doc.title,
            "url": doc.url,
            "source": doc.source,
            "phase": doc.phase,
            "audiences": list(doc.audiences),
            "topics": list(doc.topics),
            "score": self.score,
            "snippet": self.snippet,
            "sections": [
                {"title": heading, "url": f"{doc.url}#{anchor}"}
                for anchor, heading in self.sections
            ],
        }

    @property
    def snippet_text(self) -> str:
        return html.unescape(re.sub(r"</?mark>", "", self.snippet))


@dataclass
class Results:
    """A page of hits, with what the search page shows around them."""

    query: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 0
    counts: dict[str, Counter] = field(
        default_factory=lambda: {"phase": Counter(), "audience": Counter()}
    )
    suggestion: str | None = None
    relaxed: bool = False  # no entry has every word: hits have some of them
    highlight: str = ""  # the terms an entry page highlights on arrival (static/highlight.js)


def search(
    index: LanguageIndex,
    raw: str,
    *,
    limit: int = PER_PAGE,
    page: int = 1,
    audience: str | None = None,
    phase: str | None = None,
) -> Results:
    """Search one language; hits are ordered by score, then reading order."""
    plan = make_plan(index, raw)
    results = Results(query=plan.text)
    if not plan.groups:
        return results
    scores, matched, results.relaxed = match(index.postings, plan.groups)
    docs = index.docs
    pairs = Counter(map(index.facet_of.__getitem__, scores))
    results.counts = facet_counts({index.facets[k]: n for k, n in pairs.items()}, audience, phase)
    allowed = (
        [n for n in scores if _passes(docs[n], audience, phase)]
        if audience or phase
        else list(scores)
    )
    results.total = len(allowed)
    results.pages = -(-results.total // limit)
    results.page = min(max(page, 1), max(results.pages, 1))
    shown = heapq.nsmallest(results.page * limit, allowed, key=order(scores, matched))
    shown = shown[(results.page - 1) * limit :]
    alternatives = plan.alternatives()
    results.highlight = ",".join(sorted(plan.terms()))
    results.hits = [
        Hit(
            docs[n],
            n,
            index.lang,
            scores[n] / SCALE,
            snippet(index.lang, list(docs[n].sections), alternatives, docs[n].summary),
            sub_results(index.lang, list(docs[n].sections), alternatives),
        )
        for n in shown
    ]
    if results.total < FEW_RESULTS:
        results.suggestion = suggest(index, plan)
    return results


def _passes(doc: Doc, audience: str | None, phase: str | None) -> bool:
    return (audience is None or audience in doc.audiences) and (phase is None or doc.phase == phase)


def facet_counts(
    pairs: dict[tuple, int], audience: str | None, phase: str | None
) -> dict[str, Counter]:
    """Hits per phase (within the chosen audience) and per audience (within the chosen phase),
    from the hits counted by (phase, audiences): few pairs, so this is quick for any corpus."""
    counts: dict[str, Counter] = {"phase": Counter(), "audience": Counter()}
    for (doc_phase, doc_audiences), count in pairs.items():
        if audience is None or audience in doc_audiences:
            counts["phase"][doc_phase] += count
        if phase is None or doc_phase == phase:
            for name in doc_audiences:
                counts["audience"][name] += count
    return counts


def suggest(index: LanguageIndex, plan: Plan) -> str | None:
    """The query with each word the index does not know replaced by the nearest word of the
    entries (kb.search.spelling), if any."""
    unknown = {
        term
        for group in plan.groups
        if not any(index.postings(" ".join(alternative)) for alternative in group.alternatives)
        for term in group.span
    }
    text, changed = plan.text, False
    for word in reversed(plan.words):
        if word.term not in unknown or len(word.text) < MIN_SUGGESTED:
            continue
        found = nearest(word.text, index.spelling)
        if found:
            text, changed = text[: word.start] + found + text[word.end :], True
    return text if changed else None
