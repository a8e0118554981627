"""The frozen search page: the exported index, and static/search.js in headless Chromium giving
the same entries in the same order as the server's search."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import pytest

from kb.freeze import build
from kb.search import engine_for

from support import ROOT, serve

PAGES = {"en": "/en/search/", "fr": "/fr/recherche/"}
# Plain words of the entries and of the synonym groups, as readers type them.
QUERIES = {
    "en": [
        "transition period",
        "planning period",
        "IES delivery period",
        "funding targets",
        "SSM",
        "GSS",
        "Service System Manager",
        "ODSP",
        "POSPH",
        "IES",
        "SEI",
        "apprenticeship",
        "contract",
        "agreement",
        "dispute",
        "complaint",
        "Toronto",
        "North",
        "Northwest",
        "prototype",
        "pilot",
        "results",
        "caseworker",
        "Kingston-Pembroke",
        "York Halton",
        "market sounding",
        "vendor",
        "consortium",
        "social assistance",
        "welfare",
        "Ontario Works",
        "employment action plan",
        "literacy basic skills",
        "phase 2",
        "phase 3 Toronto",
        "service provider network",
        "Common Assessment Tool",
        "ministry",
        "system steward",
        "smaller agencies",
        "onboarding",
        "francophone",
        "newcomers",
        "quarterly reporting",
        "catchment area",
        "Transition Phase Outcomes",
        "call for proposals",
        "Youth Job Connection",
        "Ottawa",
        "who is the SSM in London",
        "Fedcap",
        "zebra",
        "transition zebra",
    ],
    "fr": [
        "période de transition",
        "periode de transition",
        "période de planification",
        "prestation des SEI",
        "financement cibles",
        "GSS",
        "SSM",
        "gestionnaire de système de services",
        "POSPH",
        "ODSP",
        "SEI",
        "IES",
        "apprentissage",
        "contrat",
        "entente",
        "différends",
        "differends",
        "plainte",
        "Toronto",
        "Nord",
        "Nord-Ouest",
        "prototypes",
        "projet pilote",
        "résultats",
        "chargé de cas",
        "Kingston-Pembroke",
        "York Halton",
        "consultation du marché",
        "proposants potentiels",
        "consortium",
        "aide sociale",
        "bien-être social",
        "Ontario au travail",
        "plan d'action pour l'emploi",
        "alphabétisation formation de base",
        "phase 2",
        "phase 3 Toronto",
        "réseau de fournisseurs",
        "outil d'évaluation commun",
        "ministère",
        "gérance du système",
        "petits organismes",
        "rencontres",
        "francophones",
        "nouveaux arrivants",
        "rapports trimestriels",
        "zone desservie",
        "appel de propositions",
        "accès à l'emploi pour les jeunes",
        "GSS de Windsor",
        "Ottawa",
        "région désignée",
        "zèbre",
        "transition zèbre",
    ],
}
# Filters and pages go through the same code on both sides.
WITH_OPTIONS = [
    ("en", {"q": "SSM", "audience": "social-assistance"}),
    ("en", {"q": "service", "phase": "phase-2"}),
    ("en", {"q": "service", "page": "2"}),
    ("fr", {"q": "GSS", "audience": "ssms", "phase": "phase-3"}),
    ("fr", {"q": "services", "page": "2"}),
    ("en", {"q": "SSM", "phase": "phase-2", "page": "2"}),
]

pytestmark = pytest.mark.browser


def static_ids(page, url: str) -> tuple[list[str], str]:
    page.goto(url)
    page.wait_for_selector("#search-results[data-done]")
    assert page.get_attribute("#search-results", "data-done") == "true"
    ids = page.eval_on_selector_all(".search-hits > li", "items => items.map(i => i.dataset.id)")
    return ids, page.inner_text(".search-summary")


def server_ids(site, lang: str, params: dict) -> list[str]:
    options = {
        "page": int(params.get("page", 1)),
        "audience": params.get("audience"),
        "phase": params.get("phase"),
    }
    return [hit.doc.id for hit in engine_for(site).search(lang, params["q"], **options).hits]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_static_search_ranks_like_the_server(site, frozen_server, page, lang):
    cases = [(lang, {"q": q}) for q in QUERIES[lang]] + [c for c in WITH_OPTIONS if c[0] == lang]
    assert len(QUERIES[lang]) >= 40
    mismatches = []
    for _, params in cases:
        ids, summary = static_ids(page, f"{frozen_server}{PAGES[lang]}?{urlencode(params)}")
        expected = server_ids(site, lang, params)
        if ids != expected:
            mismatches.append(f"{params}: static {ids} != server {expected}")
        total = (
            engine_for(site)
            .search(lang, params["q"], audience=params.get("audience"), phase=params.get("phase"))
            .total
        )
        assert (str(total) in summary) == bool(total), (params, summary)
    assert not mismatches, "\n".join(mismatches)


def test_static_page_marks_words_offers_corrections_and_hides_browsing(frozen_server, page):
    page.goto(f"{frozen_server}/fr/recherche/?q=ODSP")
    page.wait_for_selector("#search-results[data-done]")
    assert page.locator(".search-hits mark", has_text="POSPH").count() > 0
    assert page.locator("#browse-section").is_hidden()
    assert page.input_value("#search-q") == "ODSP"
    page.goto(f"{frozen_server}/en/search/?q=transtion")
    page.wait_for_selector("#search-results[data-spelled]")
    link = page.locator(".search-suggestion a")
    assert link.inner_text() == "transition"
    assert link.get_attribute("href") == "/en/search/?q=transition"
    # Known after the count was announced: the status says both (WCAG 4.1.3).
    status = page.inner_text("#search-status")
    assert status.startswith("No question matches") and "Did you mean transition?" in status
    assert page.locator("#browse-section").is_visible()


def test_query_markup_stays_text(frozen_server, page):
    query = '<img src=x onerror="window.hacked=1">transition'
    page.goto(f"{frozen_server}/en/search/?{urlencode({'q': query})}")
    page.wait_for_selector("#search-results[data-done]")
    assert page.evaluate("window.hacked") is None
    assert page.locator("#search-results img").count() == 0
    assert query in page.inner_text(".search-summary")


def test_without_javascript_the_page_offers_browsing(frozen_server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{frozen_server}/en/search/?q=transition")
    assert page.locator("#browse-section").is_visible()
    assert page.locator("#browse-section a[href='/en/audiences/service-providers/']").count() == 1
    context.close()


def test_a_query_downloads_only_its_shards_in_two_rounds(frozen, frozen_server, page):
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(f"{frozen_server}/en/search/?q=transition+period")
    page.wait_for_selector("#search-results[data-spelled]")
    index = [url.split("/search/en/")[1] for url in fetched if "/search/en/" in url]
    assert "meta.json" in index
    assert not [i for i in index if i.startswith("words/")]  # stem.js stems the query
    assert 0 < len([i for i in index if i.startswith("terms/")]) <= 4
    assert [i for i in index if i.startswith("docs/")]
    assert not [i for i in index if i.startswith("spell/")]  # results are good: no spelling


@pytest.fixture(scope="module")
def sub_path_server(tmp_path_factory):
    """The site built for https://example.org/kb/ and served under /kb/."""
    served = tmp_path_factory.mktemp("host")
    build(ROOT, served / "kb", base_url="https://example.org/kb/")
    with serve(served) as url:
        yield url


def test_static_search_works_under_a_sub_path(site, sub_path_server, page):
    ids, _ = static_ids(page, f"{sub_path_server}/kb/fr/recherche/?q=periode+de+transition")
    assert ids == server_ids(site, "fr", {"q": "periode de transition"})
    first = page.locator(".search-hits a").first.get_attribute("href")
    assert first.startswith("/kb/fr/questions/")
    assert Path(first).name and page.goto(f"{sub_path_server}{first}").ok


@pytest.mark.parametrize(
    "lang,query,path",
    [
        ("en", "Ottawa", "/en/catchment-areas/ottawa/"),
        ("en", "who is the SSM in London", "/en/catchment-areas/london/"),
        ("fr", "GSS de Windsor", "/fr/regions-designees/windsor-sarnia/"),
    ],
)
def test_static_search_finds_the_catchment_page_and_links_to_it(
    frozen_server, page, lang, query, path
):
    page.goto(f"{frozen_server}{PAGES[lang]}?{urlencode({'q': query})}")
    page.wait_for_selector("#search-results[data-done]")
    first = page.locator(".search-hits > li").first
    assert first.get_attribute("data-id").startswith("catchment-area:")
    assert first.locator("h3 a").get_attribute("href").split("?")[0] == path
    first.locator("h3 a").click()
    page.wait_for_load_state()
    assert page.url.split("?")[0] == f"{frozen_server}{path}"
    assert page.locator("h1").count() == 1


def decode_postings(text: str) -> list[tuple[int, int]]:
    """The delta-coded postings, read back as static/search.js reads them."""
    from kb.search.export import DIGITS

    numbers, value, shift = [], 0, 0
    for char in text:
        digit = DIGITS.index(char)
        if digit >= 32:
            value, shift = value + ((digit - 32) << shift), shift + 5
        else:
            numbers.append(value + (digit << shift))
            value, shift = 0, 0
    docnums, previous = [], 0
    for delta in numbers[::2]:
        previous += delta
        docnums.append(previous)
    return list(zip(docnums, numbers[1::2]))


@pytest.mark.parametrize(
    "postings",
    [[(0, 0)], [(3, 31), (4, 32), (70, 1023)], [(5, 16383), (16389, 7)], [(1, 2**20), (2**21, 1)]],
)
def test_postings_are_coded_whatever_their_numbers(postings):
    """Small numbers are taken from a table, larger ones coded one by one: both read back."""
    from array import array

    from kb.search.export import _term_entry

    coded = _term_entry(
        (array("I", [n for n, _ in postings]), array("I", [s for _, s in postings]))
    )
    assert decode_postings(coded) == postings
