"""Which entries match a query and with what score: the rules static/search.js repeats.

A query is a list of word groups. A group matches an entry if any of its alternatives does (a
multi-word span also matches when all its words occur), and scores the best of them: synonyms
stand for one idea, which should not count twice. The query needs every group, or, when no entry
has them all, any group; the entry's score is the sum of its groups' scores. Scores are integers
(BM25F ×SCALE), so sums and maxima are exact in any order and in any language.
"""

from __future__ import annotations

from collections.abc import Callable

from kb.search.thesaurus import WordGroup

Scores = dict[int, int]  # document number → score


def all_of(maps: list[Scores]) -> Scores:
    """Entries in every map, scores added."""
    if not maps:
        return {}
    ordered = sorted(maps, key=len)
    found = dict(ordered[0])
    for scores in ordered[1:]:
        found = {n: score + scores[n] for n, score in found.items() if n in scores}
    return found


def any_of(maps: list[Scores]) -> Scores:
    """Entries in any map, scores added."""
    ordered = sorted(maps, key=len, reverse=True)
    found = dict(ordered[0]) if ordered else {}
    for scores in ordered[1:]:
        for n, score in scores.items():
            found[n] = found.get(n, 0) + score
    return found


def best_of(maps: list[Scores]) -> Scores:
    """Entries in any map, with their best score."""
    best: Scores = {}
    for scores in maps:
        for n, score in scores.items():
            if score > best.get(n, 0):
                best[n] = score
    return best


def group_scores(postings: Callable[[str], Scores], group: WordGroup) -> Scores:
    maps = [postings(" ".join(alternative)) for alternative in group.alternatives]
    if len(group.span) > 1:
        maps.append(all_of([postings(term) for term in group.span]))
    return best_of(maps)


def match(postings: Callable[[str], Scores], groups: list[WordGroup]) -> tuple[Scores, bool]:
    """(scores of matching entries, whether the query had to be relaxed to 'any group')."""
    maps = [group_scores(postings, group) for group in groups]
    found = all_of(maps)
    if not found and len(maps) > 1:
        return any_of(maps), True
    return found, False
