"""Highlighted snippets: Whoosh's pinpoint highlighting, whole words, HTML-escaped but <mark>."""

from __future__ import annotations

import html
from collections.abc import Iterable

from whoosh import highlight
from whoosh.analysis import Token
from whoosh.searching import Searcher

ELLIPSIS = "…"


class WordFragmenter(highlight.PinpointFragmenter):
    """Fragments around matches (from stored character offsets), cut between words."""

    @staticmethod
    def _autotrim(fragment: highlight.Fragment) -> None:
        text, start, end = fragment.text, fragment.startchar, fragment.endchar
        if start > 0 and not text[start - 1].isspace():
            space = text.find(" ", start, end)
            start = space + 1 if space >= 0 else start
        if end < len(text) and not text[end].isspace():
            space = text.rfind(" ", start, end)
            end = space if space >= 0 else end
        if fragment.matches:
            start = min(start, fragment.matches[0].startchar)
            end = max(end, fragment.matches[-1].endchar)
        fragment.startchar, fragment.endchar = start, end


class MarkFormatter(highlight.Formatter):
    """Escapes the text, wraps matched words in <mark> and shows cuts with '…'."""

    def _text(self, text: str) -> str:
        return html.escape(text, quote=False)

    def format_token(self, text: str, token, replace: bool = False) -> str:
        return f"<mark>{self._text(highlight.get_text(text, token, replace))}</mark>"

    def format(self, fragments: list, replace: bool = False) -> str:
        if not fragments:
            return ""
        joined = f" {ELLIPSIS} ".join(self.format_fragment(f, replace).strip() for f in fragments)
        before = f"{ELLIPSIS} " if fragments[0].startchar > 0 else ""
        after = f" {ELLIPSIS}" if fragments[-1].endchar < len(fragments[-1].text) else ""
        return before + joined + after


FRAGMENTER = WordFragmenter(maxchars=200, surround=60, autotrim=True)
FORMATTER = MarkFormatter()


def snippets(searcher: Searcher, docnums: Iterable[int], terms: Iterable[str]) -> dict[int, str]:
    """Highlighted passages of each entry's text, for documents found outside a Whoosh query:
    the body's term vector gives the character offsets of the query's terms (pinpoint)."""
    wanted = sorted(set(terms))
    reader = searcher.reader()
    passages = {}
    for docnum in docnums:
        vector = reader.vector(docnum, "body")
        tokens = []
        for term in wanted:
            vector.skip_to(term)
            if not vector.is_active():
                break
            if vector.id() == term:
                tokens.extend(
                    Token(text=term, pos=pos, startchar=start, endchar=end, matched=True)
                    for pos, start, end in vector.value_as("characters")
                )
        if tokens:
            passages[docnum] = _passage(searcher.stored_fields(docnum)["body"], tokens)
    return passages


def _passage(text: str, tokens: list[Token]) -> str:
    tokens.sort(key=lambda t: (t.startchar, t.startchar - t.endchar))
    fragments = FRAGMENTER.fragment_matches(text, tokens)
    best = highlight.top_fragments(fragments, 2, highlight.BasicFragmentScorer(), highlight.FIRST)
    return FORMATTER.format(best)
