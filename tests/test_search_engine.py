"""Search engine on tiny indexes: synonyms across languages, AND/OR, filters, snippets, typos."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from kb.search.index import LanguageIndex, build_index
from kb.search.query import MAX_QUERY_CHARS, search
from kb.search.thesaurus import Thesaurus

GROUPS = [
    ["Service System Manager", "SSM", "gestionnaire de système de services", "GSS"],
    [
        "Ontario Disability Support Program",
        "ODSP",
        "Programme ontarien de soutien aux personnes handicapées",
        "POSPH",
    ],
    ["Integrated Employment Services", "IES", "services d'emploi intégrés", "SEI"],
    ["contract", "agreement", "contrat", "entente"],
]


@dataclass
class Entry:
    id: str
    title: str
    text: str
    lang: str = "en"
    phase: str = "phase-2"
    audiences: tuple[str, ...] = ("service-providers",)
    topics: tuple[str, ...] = ("roles",)
    summary: str | None = None

    @property
    def slug(self) -> str:
        return self.id

    @property
    def path(self) -> str:
        return f"content/{self.lang}/{self.phase}/{self.id}.md"

    @property
    def description(self) -> str:
        return self.summary or self.text[:200]


def index(lang: str, *entries: Entry) -> LanguageIndex:
    return build_index(lang, entries, Thesaurus.build(lang, GROUPS))


def ids(results) -> list[str]:
    return [hit.doc.id for hit in results.hits]


@pytest.fixture(scope="module")
def french() -> LanguageIndex:
    return index(
        "fr",
        Entry("gss", "Le rôle du GSS", "Le GSS gère les fournisseurs de la zone.", "fr"),
        Entry(
            "posph",
            "Soutien de l'emploi du POSPH",
            "Le programme du POSPH est intégré.",
            "fr",
            audiences=("social-assistance",),
        ),
        Entry(
            "sei",
            "Période de prestation des SEI",
            "Les SEI commencent en 2024.",
            "fr",
            phase="phase-3",
        ),
        Entry(
            "nord",
            "Régions du Nord",
            "Les régions du Nord-Est et du Nord-Ouest.",
            "fr",
            phase="phase-3",
            audiences=("ssms",),
        ),
        Entry(
            "transition",
            "La période de transition",
            "Pendant la période de transition, le GSS ne change pas le financement.",
            "fr",
        ),
    )


@pytest.fixture(scope="module")
def english() -> LanguageIndex:
    return index(
        "en",
        Entry("ssm", "What does an SSM do?", "The SSM manages service providers."),
        Entry("manager", "Who is the Service System Manager?", "An organization that plans."),
        Entry(
            "odsp",
            "ODSP Employment Supports",
            "The ODSP program joins Employment Ontario.",
            audiences=("social-assistance",),
        ),
        Entry(
            "contracts",
            "Who holds the contract?",
            "Providers keep their agreement.",
            phase="phase-1",
        ),
        Entry(
            "transition",
            "The transition period",
            "During the transition period, funding "
            "stays the same. Use <script>alert(1)</script> nowhere.",
        ),
        Entry("body-only", "Funding questions", "Anything about the transition of funding."),
    )


def test_french_without_accents_finds_accented_entries(french):
    assert ids(search(french, "periode de transition"))[0] == "transition"
    assert ids(search(french, "regions du nord")) == ["nord"]


@pytest.mark.parametrize(
    "query, expected",
    [("SSM", "gss"), ("ODSP", "posph"), ("IES", "sei"), ("Service System Manager", "gss")],
)
def test_english_acronym_on_the_french_site_finds_the_french_answer(french, query, expected):
    assert ids(search(french, query))[0] == expected


@pytest.mark.parametrize(
    "query, expected",
    [("GSS", {"ssm", "manager"}), ("POSPH", {"odsp"}), ("entente", {"contracts"})],
)
def test_french_acronym_on_the_english_site_finds_the_english_answer(english, query, expected):
    assert set(ids(search(english, query))) == expected


def test_a_phrase_synonym_matches_the_phrase_not_scattered_words(english):
    assert set(ids(search(english, "SSM"))) == {"ssm", "manager"}


def test_every_word_is_required(english):
    assert set(ids(search(english, "transition funding"))) == {"transition", "body-only"}
    assert not search(english, "transition funding").relaxed


def test_synonyms_within_a_word_are_alternatives(english):
    assert ids(search(english, "agreement")) == ["contracts"]


def test_without_an_entry_having_every_word_any_word_counts(english):
    results = search(english, "contract zebra")
    assert results.relaxed and ids(results) == ["contracts"]


def test_title_matches_rank_above_body_matches(english):
    assert ids(search(english, "funding"))[0] == "body-only"
    assert ids(search(english, "transition"))[0] == "transition"


def test_filters_and_their_counts(english):
    results = search(english, "ODSP SSM program", audience="social-assistance")
    assert results.relaxed
    assert ids(results) == ["odsp"]
    # Only the entries with as many of the words as the best one count (two of three here).
    assert results.counts["audience"] == {"social-assistance": 1}
    assert results.counts["phase"] == {"phase-2": 1}
    assert ids(search(english, "who", phase="phase-1")) == []
    assert ids(search(english, "holds contract", phase="phase-1")) == ["contracts"]
    assert ids(search(english, "holds contract", phase="phase-2")) == []


def test_did_you_mean_replaces_the_unknown_word(english, french):
    assert search(english, "transtion period").suggestion == "transition period"
    assert search(french, "Période de transtion").suggestion == "Période de transition"
    assert search(english, "transition period").suggestion is None


def test_entries_with_more_of_the_words_rank_first(english):
    # "zebra" is in no entry: the entries with the other two words come first, then fewer.
    results = search(english, "transition funding zebra")
    assert results.relaxed and ids(results)[:2] in (
        ["transition", "body-only"],
        ["body-only", "transition"],
    )


def test_snippets_mark_matches_and_escape_the_rest(english):
    [hit] = search(english, "nowhere").hits
    assert "<mark>nowhere</mark>" in hit.snippet
    assert "&lt;script&gt;" in hit.snippet and "<script>" not in hit.snippet
    assert hit.snippet_text.endswith("<script>alert(1)</script> nowhere.")


def test_snippets_mark_synonyms_and_phrases(french):
    [hit] = search(french, "ODSP").hits
    assert "<mark>POSPH</mark>" in hit.snippet


def test_a_summary_without_a_stop_does_not_run_into_the_text():
    """A catchment area's summary (« GSS : à communiquer ») has no stop of its own: the index and
    the snippets end it with one before the answer's text; a summary with its own keeps it."""
    from kb.search.index import document

    nord = Entry(
        "nord", "Nord-Ouest", "Nord-Ouest est une région.", "fr", summary="GSS : à communiquer"
    )
    sud = Entry("sud", "Sud", "Le Sud est une région.", "fr", summary="Une région désignée.")
    assert document("fr", nord)["body"] == "GSS : à communiquer. Nord-Ouest est une région."
    assert document("fr", sud)["body"] == "Une région désignée. Le Sud est une région."
    [hit] = search(index("fr", nord, sud), "communiquer").hits
    assert hit.snippet_text == "GSS : à communiquer."  # its own sentence, not run into the next


def test_query_syntax_is_read_as_plain_words(english):
    results = search(english, 'title:transition AND (period) OR "x*" ~2 ^3')
    assert results.relaxed and ids(results)[0] == "transition"
    assert search(english, "*").total == 0


def test_long_queries_are_cut(english):
    results = search(english, "transition " * 1000)
    assert len(results.query) <= MAX_QUERY_CHARS
    assert ids(results)[0] == "transition"


def test_pages_of_results(english):
    first = search(english, "transition funding service", limit=1, page=1)
    second = search(english, "transition funding service", limit=1, page=2)
    assert first.pages == second.pages == first.total
    assert ids(first) != ids(second)
    assert (
        search(english, "transition", limit=1, page=99).page == search(english, "transition").total
    )


def test_equal_scores_keep_reading_order():
    twins = index(
        "en", Entry("b", "Twin title", "Twin text."), Entry("a", "Twin title", "Twin text.")
    )
    assert ids(search(twins, "twin")) == ["b", "a"]
