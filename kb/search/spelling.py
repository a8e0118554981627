"""'Did you mean': the rule both runtimes follow (static/search.js repeats it).

Only a word the index does not know after analysis is corrected, and only when the results are
few: the nearest word of the entries by edit distance (a transposition counts one), at most 1
(2 for words over 4 letters), then the most frequent, then the first in alphabetical order.
"""

from __future__ import annotations

MIN_SUGGESTED = 3  # shorter unknown words are rarely typos worth correcting
FEW_RESULTS = 3  # with this many results or more, the query found what it needed


def distance(a: str, b: str, most: int) -> int:
    """Optimal string alignment distance, or most + 1 when it is certainly larger."""
    if abs(len(a) - len(b)) > most:
        return most + 1
    before: list[int] | None = None
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
            if before and i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], before[j - 2] + 1)
        before, previous = previous, row
    return previous[len(b)]


def by_length(frequencies: dict[str, int]) -> dict[int, dict[str, int]]:
    """Words worth suggesting, by length (a word is compared with words of nearby lengths)."""
    found: dict[int, dict[str, int]] = {}
    for word, frequency in frequencies.items():
        if len(word) >= MIN_SUGGESTED:
            found.setdefault(len(word), {})[word] = frequency
    return found


def reach(word: str) -> int:
    return 2 if len(word) > 4 else 1


def nearest(word: str, lengths: dict[int, dict[str, int]]) -> str | None:
    most = reach(word)
    best: tuple | None = None
    for size in range(len(word) - most, len(word) + most + 1):
        for candidate, frequency in lengths.get(size, {}).items():
            if candidate == word:
                continue
            d = distance(word, candidate, most)
            if d <= most and (best is None or (d, -frequency, candidate) < best):
                best = (d, -frequency, candidate)
    return best[2] if best else None
