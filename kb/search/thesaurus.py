"""Acronyms and synonyms: groups of interchangeable terms, and their expansion in a query.

A group lists alternatives in both languages (SSM, Service System Manager, GSS, gestionnaire de
système de services); each alternative is analyzed into index terms of the searched language.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from kb.search.analysis import terms

Alternative = tuple[str, ...]


def site_groups(glossary: Iterable, synonyms: Iterable[Iterable[str]]) -> list[list[str]]:
    """The editors' groups: each glossary item's terms and acronyms, then synonyms.yml."""
    groups = []
    for item in glossary:
        words = [
            item.terms.get("en"),
            item.abbrs.get("en"),
            item.terms.get("fr"),
            item.abbrs.get("fr"),
        ]
        groups.append([word for word in words if word])
    groups.extend(list(group) for group in synonyms)
    return groups


@dataclass(frozen=True)
class WordGroup:
    """Some consecutive query terms and every alternative that may stand for them."""

    span: Alternative
    alternatives: tuple[Alternative, ...]


@dataclass
class Thesaurus:
    """Analyzed synonym groups of one language, and the texts they came from."""

    groups: list[list[Alternative]]
    sources: list[str] = field(default_factory=list)
    _by_alternative: dict[Alternative, list[int]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_alternative = {}
        for number, group in enumerate(self.groups):
            for alternative in group:
                self._by_alternative.setdefault(alternative, []).append(number)
        self.longest = max(map(len, self._by_alternative), default=1)

    @classmethod
    def build(cls, lang: str, raw_groups: Iterable[Iterable[str]]) -> Thesaurus:
        groups, sources = [], []
        for raw in raw_groups:
            texts = list(raw)
            analyzed = {tuple(terms(lang, text)) for text in texts}
            analyzed.discard(())
            if len(analyzed) > 1:
                groups.append(sorted(analyzed))
                sources.extend(texts)
        return cls(groups, sources)

    def phrases(self) -> set[Alternative]:
        """Multi-word alternatives: the indexer adds one token for each."""
        return {alt for alt in self._by_alternative if len(alt) > 1}

    def expand(self, query_terms: list[str]) -> list[WordGroup]:
        """Split query terms into groups, longest known alternative first, and add synonyms."""
        result = []
        start = 0
        while start < len(query_terms):
            size = min(self.longest, len(query_terms) - start)
            while size > 1 and tuple(query_terms[start : start + size]) not in self._by_alternative:
                size -= 1
            span = tuple(query_terms[start : start + size])
            alternatives = {span}
            for number in self._by_alternative.get(span, ()):
                alternatives.update(self.groups[number])
            result.append(WordGroup(span, tuple(sorted(alternatives))))
            start += size
        return result
