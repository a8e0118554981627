"""Text analysis per language: tokens, case and accent folding, stop words, stemming, phrases.

static/search.js repeats the first three steps (TOKEN, fold, stop words) exactly; it learns the
stems from the exported word map instead of stemming.
"""

from __future__ import annotations

import re
import unicodedata
from collections import deque
from collections.abc import Iterable, Iterator
from functools import cache, lru_cache

from whoosh.analysis import Filter, RegexTokenizer, StemFilter, StopFilter, Token
from whoosh.lang import porter, stemmer_for_language
from whoosh.lang.stopwords import stoplists

# Whoosh's default token pattern without its ambiguous `\.?`: words, with inner dots ("e.g").
TOKEN = re.compile(r"\w+(?:\.\w+)*")
LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})

_EXTRA_STOPS = {
    # Contraction pieces ("I'm", "we'll") and question words readers add to whole questions.
    "en": {"m", "ll", "ve", "re", "d", "also", "would", "could", "let", "us", "get", "got"},
    # Elisions and question words ("qu'est-ce que", "comment", "quand").
    "fr": {
        "les",
        "leurs",
        "cette",
        "cet",
        "ils",
        "elles",
        "quel",
        "quelle",
        "quels",
        "quelles",
        "comment",
        "quand",
        "pourquoi",
        "où",
        "dont",
        "si",
        "ceux",
        "celle",
        "celui",
        "ça",
        "cela",
        "ceci",
        "lorsque",
    },
}


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lower-case and strip accents: 'Période' → 'periode' (the form readers may type)."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(LIGATURES))
    # Drop every mark (category M*), as search.js does with /\p{M}/gu.
    return "".join(ch for ch in decomposed if not unicodedata.category(ch).startswith("M"))


def normalize(text: str) -> str:
    """Compose accents first, so 'é' typed as e + U+0301 stays inside one word."""
    return unicodedata.normalize("NFC", text)


STOP_WORDS: dict[str, frozenset[str]] = {
    lang: frozenset(fold(word) for word in set(stoplists[lang]) | _EXTRA_STOPS[lang])
    for lang in ("en", "fr")
}


class FoldFilter(Filter):
    """Lower-cases and accent-folds each token (see fold())."""

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        for token in tokens:
            token.text = fold(token.text)
            yield token


class PhraseFilter(Filter):
    """Adds one token for each known multi-word term (glossary, synonyms) found in the text.

    'Service System Manager' also yields the token 'servic system manag', so a synonym that
    stands for a whole phrase matches that phrase, not its words scattered over the entry.
    """

    is_morph = True

    def __init__(self, phrases: Iterable[tuple[str, ...]]):
        self.phrases = frozenset(p for p in phrases if len(p) > 1)
        # Phrases by their last word, longest first: most tokens end no phrase at all.
        by_last: dict[str, list[tuple[str, ...]]] = {}
        for phrase in sorted(self.phrases, key=len, reverse=True):
            by_last.setdefault(phrase[-1], []).append(phrase)
        self.by_last = {last: tuple(found) for last, found in by_last.items()}
        # The words that come before each last word in a phrase: most words that end a phrase
        # (« emploi », "program") follow another word in the text.
        self.before_last = {
            last: frozenset(phrase[-2] for phrase in found) for last, found in by_last.items()
        }
        self.longest = max(map(len, self.phrases), default=0)

    def found(self, terms: list[str]) -> list[str]:
        """The phrase tokens this filter adds to a stream of these index terms, as text."""
        by_last = self.by_last
        if by_last.keys().isdisjoint(terms):  # most texts end no phrase
            return []
        before_last = self.before_last
        added = []
        for end in [end for end, term in enumerate(terms, start=1) if term in by_last]:
            if end < 2 or terms[end - 2] not in before_last[terms[end - 1]]:
                continue  # every phrase has two words or more
            for phrase in by_last[terms[end - 1]]:
                if end >= len(phrase) and tuple(terms[end - len(phrase) : end]) == phrase:
                    added.append(" ".join(phrase))
        return added

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        # (text, pos, startchar) of the last tokens: enough to start a phrase token.
        window: deque[tuple[str, int | None, int | None]] = deque(maxlen=self.longest or 1)
        for token in tokens:
            yield token
            if not self.longest or token.stopped:
                continue
            window.append(
                (token.text, getattr(token, "pos", None), getattr(token, "startchar", None))
            )
            for phrase in self.by_last.get(token.text, ()):
                size = len(phrase)
                if len(window) >= size and all(
                    window[i - size][0] == word for i, word in enumerate(phrase)
                ):
                    yield _span(token, phrase, window[-size])


def _span(last: Token, phrase: tuple[str, ...], first: tuple) -> Token:
    """A token for the whole phrase: from the first word's start to the last word's end."""
    span = last.copy()
    span.text = " ".join(phrase)
    _, pos, startchar = first
    if pos is not None:
        span.pos = pos
    if startchar is not None:
        span.startchar = startchar
    return span


_french_stem = stemmer_for_language("fr")


@lru_cache(maxsize=100_000)
def stem_en(word: str) -> str:
    """Porter: it also maps 'SSMs' to 'ssm'."""
    return porter.stem(word)


@lru_cache(maxsize=100_000)
def stem_fr(word: str) -> str:
    """Snowball French (on folded words, so accents never change the stem)."""
    return _french_stem(word)


def stemmer(lang: str):
    return stem_en if lang == "en" else stem_fr


@cache
def word_analyzer(lang: str):
    """Words as readers type them: folded, stop words removed, not stemmed (spelling, word map)."""
    return RegexTokenizer(TOKEN) | FoldFilter() | StopFilter(stoplist=STOP_WORDS[lang], minsize=1)


@cache
def term_analyzer(lang: str):
    """Index terms of queries and synonyms: words, then stemmed."""
    # The module's own thread-safe caches, rather than StemFilter's.
    return word_analyzer(lang) | StemFilter(stemfn=stemmer(lang), cachesize=0)


def field_analyzer(lang: str, phrases: Iterable[tuple[str, ...]] = ()):
    """Index terms of entries: stemmed words plus one token per known phrase."""
    return term_analyzer(lang) | PhraseFilter(phrases)


def words(lang: str, text: str) -> list[str]:
    """word_analyzer's tokens as plain strings: the same steps without a Token per word."""
    stop = STOP_WORDS[lang]
    if text.isascii():  # folding ASCII is lower-casing it, the same word by word or whole
        return [word for word in TOKEN.findall(text.lower()) if word not in stop]
    return [word for word in map(fold, TOKEN.findall(text)) if word and word not in stop]


def index_terms(lang: str, words: list[str], phrases: PhraseFilter) -> list[str]:
    """field_analyzer's tokens as plain strings, from the text's words(): stems, then phrases."""
    stems = list(map(stemmer(lang), words))
    return stems + phrases.found(stems)


def terms(lang: str, text: str) -> list[str]:
    """The index terms of a text, in order: 'Périodes de transition' → ['period', 'transit']."""
    return [token.text for token in term_analyzer(lang)(normalize(text))]
