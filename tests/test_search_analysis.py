"""Search analysis: folding, stop words, stemming per language, and the phrase tokens."""

from __future__ import annotations

from kb.datafiles import GlossaryItem
from kb.search.analysis import (
    PhraseFilter,
    field_analyzer,
    fold,
    index_terms,
    normalize,
    term_analyzer,
    terms,
    word_analyzer,
    words,
)
from kb.search.thesaurus import Thesaurus, site_groups


def test_fold_lowercases_and_strips_accents_and_ligatures():
    assert fold("Période RÉGIONS Nord-Est") == "periode regions nord-est"
    assert fold("œuvre Æ ß") == "oeuvre ae ss"


def test_french_terms_are_the_same_with_or_without_accents():
    assert terms("fr", "période de transition") == terms("fr", "periode de transition")
    assert terms("fr", "régions du Nord") == terms("fr", "regions du nord")
    assert terms("fr", "Périodes") == terms("fr", "période")


def test_french_stemming_joins_plurals_and_drops_elisions():
    assert terms("fr", "les fournisseurs") == terms("fr", "fournisseur")
    assert terms("fr", "l'aide d'emploi") == terms("fr", "aide emploi")
    assert terms("fr", "Qu'est-ce que la phase 2?") == terms("fr", "phase 2")


def test_english_stemming_joins_inflections():
    assert terms("en", "disputes") == terms("en", "dispute")
    assert terms("en", "SSMs") == terms("en", "SSM")
    assert terms("en", "What is the transition period?") == terms("en", "transitions periods")


def test_digits_survive_and_stop_words_go():
    assert terms("en", "Phase 1") == ["phase", "1"]
    assert terms("en", "the of and") == []


def test_combining_accents_stay_inside_one_word():
    assert terms("fr", "pe\u0301riode") == terms("fr", "période")


def test_word_analyzer_keeps_words_as_typed_but_folded():
    assert [t.text for t in word_analyzer("fr")("Les Périodes")] == ["periodes"]


def test_phrase_tokens_span_the_whole_phrase():
    analyzer = field_analyzer("en", [("servic", "system", "manag")])
    tokens = [
        (t.text, t.startchar, t.endchar)
        for t in analyzer("A Service System Manager.", chars=True, positions=True)
    ]
    assert ("servic system manag", 2, 24) in tokens
    assert ("servic", 2, 9) in tokens


def test_glossary_item_is_one_group_across_languages():
    item = GlossaryItem(
        id="ssm",
        terms={"en": "Service System Manager", "fr": "gestionnaire de système de services"},
        abbrs={"en": "SSM", "fr": "GSS"},
        definitions={},
        entry=None,
        line=1,
    )
    groups = site_groups([item], [["contract", "entente"]])
    assert groups == [
        ["Service System Manager", "SSM", "gestionnaire de système de services", "GSS"],
        ["contract", "entente"],
    ]
    thesaurus = Thesaurus.build("fr", groups)
    [group] = thesaurus.expand(terms("fr", "SSM"))
    assert ("gss",) in group.alternatives
    assert ("gestionnair", "system", "servic") in group.alternatives


def test_expansion_prefers_the_longest_known_phrase():
    thesaurus = Thesaurus.build("en", [["transition period", "période de transition"]])
    groups = thesaurus.expand(terms("en", "phase 2 transition period"))
    assert [g.span for g in groups] == [("phase",), ("2",), ("transit", "period")]
    assert groups[2].span == ("transit", "period")
    assert ("transit", "period") in groups[2].alternatives


TRICKY = [
    "Service System Manager (SSM) — les gestionnaires de systèmes de services (GSS), e.g. Nord-Est",
    "Œuvre, cœur, Straße; 37 % et 63 200 $; l’aide d’emploi; « guillemets »; e\u0301te\u0301",
    "a.b.c. 1.5 x_y __init__ ...dots... — and the the THE a I",
    "",
]


def test_plain_string_analysis_matches_whooshs_analyzers(site):
    """The export analyzes with words() and index_terms(); the server with Whoosh's analyzers."""
    texts = TRICKY + [f"{e.title}\n{e.text}" for e in site.entries.values()]
    for lang in ("en", "fr"):
        thesaurus = Thesaurus.build(lang, site_groups(site.glossary, site.synonyms))
        phrases = PhraseFilter(thesaurus.phrases())
        assert phrases.phrases  # the site has multi-word terms to find
        for text in texts:
            text = normalize(text)
            found = words(lang, text)
            assert found == [t.text for t in word_analyzer(lang)(text)], text
            expected = [t.text for t in field_analyzer(lang, thesaurus.phrases())(text)]
            assert sorted(index_terms(lang, found, phrases)) == sorted(expected), text


def test_phrases_are_found_in_plain_terms():
    phrases = PhraseFilter([("servic", "system", "manag"), ("system", "manag")])
    assert phrases.found(["the", "servic", "system", "manag", "system"]) == [
        "servic system manag",
        "system manag",
    ]
    assert phrases.found(["system"]) == []
    # A phrase's last word first, or after a word that comes before it in no phrase: none.
    assert phrases.found(["manag", "the", "manag", "servic", "manag"]) == []
    assert phrases.found(["system", "manag", "servic", "system", "manag"]) == [
        "system manag",
        "servic system manag",
        "system manag",
    ]


def test_words_are_the_word_analyzers_tokens():
    """words() folds an ASCII text whole and any other word by word: both give the analyzer's
    tokens, as do index_terms() and its phrases."""
    texts = [
        ("en", "The SSM's Service-System MANAGER, e.g. IES_2 and EO.ca, 2023-24; x.y.z 37 %."),
        ("en", "Ontario Works (OW) and ODSP: what THE offices DO."),
        ("fr", "Les Périodes de transition : l’œuvre des GSS, 63 200 $ et 37 %."),
        ("fr", "Qu'est-ce que le Programme d'accès à l'emploi pour les jeunes ?"),
        ("en", ""),
    ]
    phrases = PhraseFilter([("servic", "system", "manag"), ("ontario", "work")])
    for lang, text in texts:
        expected = [token.text for token in word_analyzer(lang)(text)]
        assert words(lang, text) == expected, text
        with_phrases = [token.text for token in (term_analyzer(lang) | phrases)(text)]
        assert sorted(index_terms(lang, words(lang, text), phrases)) == sorted(with_phrases)
    assert "servic system manag" in index_terms("en", words("en", texts[0][1]), phrases)
