"""static/stem.js analyzes words exactly as kb/search/analysis.py does with Whoosh's stemmers:
folding, stop words and stems, word for word, over the content's vocabulary, a 5,000-entry
synthetic site's and inflections that no entry contains. Run in headless Chromium."""

from __future__ import annotations

import re

import pytest

from kb.search.analysis import STOP_WORDS, TOKEN, fold, stemmer

from support import ROOT, bench_corpus

pytestmark = pytest.mark.browser

# Inflections the entries do not use: the static page must stem them as the server does.
INFLECTIONS = {
    "en": "offered offering offers consulting consulted consults agency agencies staying stayed "
    "pilots piloting piloted complaining complained complaints happily hopping hoped caresses "
    "ponies relational conditional rational valenci hesitanci digitizer conformabli radicalli "
    "differentli vileli analogousli vietnamization predication operator feudalism decisiveness "
    "hopefulness callousness formaliti sensitiviti sensibiliti triplicate formative formalize "
    "electriciti electrical hopeful goodness revival allowance inference airliner gyroscopic "
    "adjustable defensible irritant replacement adjustment dependent adoption homologou "
    "communism activate angulariti homologous effective bowdlerize probate rate cease controll "
    "roll yelling yearly eyeing skies dying agreed feed bled sized filing failing fizzed "
    "providers managers stewards reimbursements onboarded transitioning",
    "fr": "soutiens soutenus soutenir maintenus maintiendra plaignons plaintes porterons "
    "portaient consultations consultatives organismes organisationnelle gestionnaires "
    "prestataires financements financées financerait continuellement nationalités "
    "questionnements cherchèrent majestueusement vivement abusivement rapidement heureusement "
    "paresseuses chanteuses généreuses amoureux châteaux chevaux travaux finissions "
    "finissaient grandissement éblouissements inquiétudes cœurs œuvres évaluations "
    "accompagnatrices créateurs biologies conclusions résolutions différences capacités "
    "fidélités possibilités relatives actives explicatif publicités atténuation aimerions "
    "aimâmes parlèrent parlasse mangeâmes appelleraient chantions équipées nommés "
    "aiguë ambiguë guérisons taquineries paysannes payions essayer yeux Noël",
}


def _vocabulary(lang: str) -> list[str]:
    """Every token (as written) of the content, of 5,000 synthetic entries and INFLECTIONS."""
    texts = [path.read_text("utf-8") for path in (ROOT / "content" / lang).rglob("*.md")]
    texts += [
        (ROOT / "content" / name).read_text("utf-8") for name in ("synonyms.yml", "glossary.yml")
    ]
    for pair in bench_corpus().entries(5000, seed=1):
        texts.append(pair.body[lang])
    texts.append(INFLECTIONS[lang])
    return sorted({token for text in texts for token in TOKEN.findall(text)})


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_stem_js_analyzes_every_word_as_whoosh(page, lang):
    tokens = _vocabulary(lang)
    assert len(tokens) > 1500
    page.set_content("<!doctype html><title>stem</title>")
    page.add_script_tag(path=str(ROOT / "static" / "stem.js"))
    found = page.evaluate(
        """([lang, tokens]) => tokens.map((token) => {
             const word = kbAnalysis.fold(token);
             return [word, kbAnalysis.stop[lang].has(word), kbAnalysis.stem[lang](word)];
           })""",
        [lang, tokens],
    )
    stem = stemmer(lang)
    expected = [[fold(t), fold(t) in STOP_WORDS[lang], stem(fold(t))] for t in tokens]
    wrong = [f"{t}: js {f} != python {e}" for t, f, e in zip(tokens, found, expected) if f != e]
    assert not wrong, f"{len(wrong)} of {len(tokens)} differ:\n" + "\n".join(wrong[:40])
    # Every inflection is stemmed, not just the corpus's words.
    assert set(re.findall(r"\S+", INFLECTIONS[lang])) <= set(tokens)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_stem_js_has_the_stop_words(page, lang):
    page.set_content("<!doctype html><title>stem</title>")
    page.add_script_tag(path=str(ROOT / "static" / "stem.js"))
    assert set(page.evaluate("lang => [...kbAnalysis.stop[lang]]", lang)) == STOP_WORDS[lang]
