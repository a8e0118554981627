"""An answer's sections (from its `##` headings) and the passage, snippet and sub-results a query
picks from them: the rules static/search.js repeats on the same exported sections."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from kb.markdown import H2, text_and_parts
from kb.search.analysis import STOP_WORDS, TOKEN, fold, normalize, stemmer

SENTENCE = re.compile(r"(?<=[.!?…])\s+")
SNIPPET_CHARS = 240  # longer passages are cut around their first mark
BEFORE = 60  # characters kept before the first mark of a cut passage
MAX_SECTIONS = 3
ELLIPSIS = "…"

Section = tuple[str, str, str]  # anchor ("" for the text before the first heading), heading, text


def lead(entry) -> str:
    """The summary that comes before the answer's text in the index and its snippets, ending in
    a stop: a catchment area's has none of its own, and would run on into the text."""
    summary = normalize(getattr(entry, "summary", "") or "")
    return summary if not summary or summary.endswith((".", "!", "?", "…")) else f"{summary}."


def after_lead(entry, text: str) -> str:
    """The summary (lead) then text, as one run of words."""
    return " ".join(f"{lead(entry)} {normalize(text)}".split())


def sections(entry) -> list[Section]:
    """The summary and the answer's text, cut at its `##` headings (whose ids Markdown's toc
    extension gives)."""
    source = getattr(entry, "html", "") or ""
    if not H2.search(source):
        return [("", "", after_lead(entry, entry.text))]
    parts = getattr(entry, "parts", None) or text_and_parts(source)[1]  # made with the HTML
    before, cut = parts
    found = [("", "", after_lead(entry, before))]
    for anchor, heading, body in cut:
        found.append((anchor, normalize(heading).rstrip("."), normalize(body)))
    return found


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    group: int


def marks(lang: str, text: str, alternatives: list[list[tuple[str, ...]]]) -> list[Mark]:
    """Where the query's groups occur in a text: each alternative as consecutive terms (a phrase
    marked whole), longest first, never overlapping."""
    stop, stem = STOP_WORDS[lang], stemmer(lang)
    tokens = [
        (m.start(), m.end(), stem(w))
        for m in TOKEN.finditer(text)
        if (w := fold(m.group())) and w not in stop
    ]
    terms = [t for _, _, t in tokens]
    found = []
    for number, group in enumerate(alternatives):
        for alternative in group:
            size = len(alternative)
            for i in range(len(terms) - size + 1):
                if tuple(terms[i : i + size]) == alternative:
                    found.append(Mark(tokens[i][0], tokens[i + size - 1][1], number))
    found.sort(key=lambda m: (m.start, -m.end, m.group))
    kept: list[Mark] = []
    for mark in found:
        if not kept or mark.start >= kept[-1].end:
            kept.append(mark)
    return kept


def _rank(found: list[Mark]) -> tuple[int, int]:
    return len({m.group for m in found}), len(found)


def snippet(lang: str, parts: list[Section], alternatives, fallback: str) -> str:
    """The best-matching sentence of the answer (most of the query's groups, then most marks,
    then the first), cut around its first mark, as HTML with <mark>; else the summary."""
    best, best_rank = None, (0, 0)
    for _, _, text in parts:
        for sentence in SENTENCE.split(text):
            found = marks(lang, sentence, alternatives)
            rank = _rank(found)
            if rank > best_rank:
                best, best_rank = (sentence, found), rank
    if best is None:
        return html.escape(fallback, quote=False)
    return _format(*best)


def _format(text: str, found: list[Mark]) -> str:
    start, end = 0, len(text)
    if len(text) > SNIPPET_CHARS:
        start = max(0, found[0].start - BEFORE)
        if start:
            space = text.find(" ", start, found[0].start)
            start = space + 1 if space >= 0 else found[0].start
        end = min(len(text), start + SNIPPET_CHARS)
        if end < len(text):
            space = text.rfind(" ", found[0].end, end)
            end = space if space >= 0 else max(end, found[0].end)
    out, last = [], start
    for mark in found:
        if mark.start < start or mark.end > end:
            continue
        out += [
            html.escape(text[last : mark.start], quote=False),
            "<mark>",
            html.escape(text[mark.start : mark.end], quote=False),
            "</mark>",
        ]
        last = mark.end
    out.append(html.escape(text[last:end], quote=False))
    return (
        (ELLIPSIS + " " if start else "")
        + "".join(out)
        + (" " + ELLIPSIS if end < len(text) else "")
    )


def sub_results(lang: str, parts: list[Section], alternatives) -> list[tuple[str, str]]:
    """Up to MAX_SECTIONS (anchor, heading) of sections that match, best first (most groups,
    then most marks, then reading order)."""
    ranked = []
    for number, (anchor, heading, text) in enumerate(parts):
        if not anchor:
            continue
        rank = _rank(marks(lang, f"{heading}. {text}", alternatives))
        if rank[0]:
            ranked.append((-rank[0], -rank[1], number, anchor, heading))
    return [(anchor, heading) for *_, anchor, heading in sorted(ranked)[:MAX_SECTIONS]]
