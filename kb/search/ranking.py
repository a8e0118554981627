"""Which entries match a query and with what score: the rules static/search.js repeats.

A query is a list of word groups. A group matches an entry if any of its alternatives does (a
multi-word span also matches when all its words occur), and scores the best of them: synonyms
stand for one idea, which should not count twice. Entries are ranked by how many of the query's
groups they match, then by score (the sum of their groups' scores), then reading order; an entry
is a result if it matches at least two thirds of the groups, or as many as the best entry does
when none matches that many: an extra word neither empties nor floods the results. Scores are
integers (BM25F ×SCALE), so sums and maxima are exact in any order and in any language.
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


def needed(groups: int) -> int:
    """How many groups an entry must match: two thirds of them, rounded up."""
    return -(-2 * groups // 3)


def match(
    postings: Callable[[str], Scores], groups: list[WordGroup]
) -> tuple[Scores, Scores, bool]:
    """(scores of the results, how many groups each matches, whether none matches them all)."""
    maps = [group_scores(postings, group) for group in groups]
    matched: Scores = {}
    for scores in maps:
        for n in scores:
            matched[n] = matched.get(n, 0) + 1
    best = max(matched.values(), default=0)
    least = min(needed(len(maps)), best)
    kept = {n: count for n, count in matched.items() if count >= least}
    return (
        any_of([{n: s for n, s in scores.items() if n in kept} for scores in maps]),
        kept,
        (best < len(maps)),
    )


def order(scores: Scores, matched: Scores):
    """The sort key of a result: most groups, then best score, then reading order."""
    return lambda n: (-matched[n], -scores[n], n)
