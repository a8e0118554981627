"""The search page of `kb serve` (Flask test client), in both languages."""

from __future__ import annotations

import json
import re

import pytest


def hit_ids(html: str) -> list[str]:
    return re.findall(r'<li data-id="([^"]+)"', html)


def get(client, url: str, **params) -> str:
    response = client.get(url, query_string=params or None)
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize(
    "url, query, summary",
    [
        ("/en/search/", "transition period", "results for “transition period”"),
        (
            "/fr/recherche/",
            "periode de transition",
            "résultats pour «\u00a0periode de transition\u00a0»",
        ),
    ],
)
def test_results_with_highlighted_snippets(client, url, query, summary):
    html = get(client, url, q=query)
    assert summary in html
    assert "phase-2-transition-period" in hit_ids(html)[:3]
    assert "<mark>" in html
    assert 'id="browse-section" aria-labelledby="browse" hidden' in html


def test_an_english_acronym_finds_french_answers(client):
    html = get(client, "/fr/recherche/", q="ODSP")
    assert "<mark>POSPH</mark>" in html
    assert hit_ids(html)


def test_filters_link_with_counts_and_narrow_the_results(client):
    html = get(client, "/en/search/", q="SSM")
    match = re.search(
        r'href="([^"]*audience=social-assistance[^"]*)">Social assistance offices '
        r'<span class="count">\((\d+)\)</span>',
        html,
    )
    assert match, "a link to the social assistance filter, with its count"
    link, count = match.group(1).replace("&amp;", "&"), int(match.group(2))
    filtered = get(client, link)
    assert f"{count} result" in filtered
    assert len(hit_ids(filtered)) == min(count, 10)
    assert 'aria-current="true">Social assistance offices' in filtered
    by_phase = get(client, "/en/search/", q="SSM", phase="phase-3")
    assert hit_ids(by_phase)
    assert by_phase.count('<p class="meta">Phase 3 · ') == len(hit_ids(by_phase))
    assert 'aria-current="true">Phase 3 <span class="count">' in by_phase


def test_did_you_mean_links_to_the_corrected_search(client):
    html = get(client, "/en/search/", q="transtion")
    assert 'Did you mean <a href="/en/search/?q=transition">transition</a>?' in html
    html = get(client, "/fr/recherche/", q="transtion")
    assert 'Vouliez-vous dire <a href="/fr/recherche/?q=transition">transition</a>?' in html


def test_no_results_suggests_browsing(client):
    html = get(client, "/en/search/", q="zebra giraffe")
    assert "No question matches “zebra giraffe”." in html
    assert "browse the questions by audience, phase or topic" in html
    assert 'id="browse-section" aria-labelledby="browse">' in html  # not hidden
    html = get(client, "/fr/recherche/", q="zèbre")
    assert "Aucune question ne correspond à «\u00a0zèbre\u00a0»." in html


def test_pages_of_ten_results(client):
    first = get(client, "/en/search/", q="service")
    assert len(hit_ids(first)) == 10
    assert "Page 1 of " in first and 'rel="next"' in first
    second = get(client, "/en/search/", q="service", page=2)
    assert hit_ids(second) and not set(hit_ids(second)) & set(hit_ids(first))
    assert 'rel="prev"' in second and '<ol class="search-hits" start="11">' in second
    french = get(client, "/fr/recherche/", q="service")
    assert "Page 1 sur " in french and "Suivante" in french


def test_without_a_query_the_page_offers_browsing(client):
    html = get(client, "/en/search/")
    assert "data-rendered" not in html and "search-summary" not in html
    assert 'id="browse-section" aria-labelledby="browse">' in html
    assert "/en/audiences/service-providers/" in html


def test_the_script_gets_the_index_location_and_french_strings(client):
    html = get(client, "/fr/recherche/")
    assert 'data-index="/search/fr/" data-root="/"' in html
    assert "search.js" in html
    config = re.search(
        r'<script type="application/json" id="search-config">(.*?)</script>', html
    ).group(1)
    assert "<" not in config
    strings = json.loads(config)["strings"]
    assert strings["results"] == [
        "{count} résultat pour «\u00a0{query}\u00a0»",
        "{count} résultats pour «\u00a0{query}\u00a0»",
    ]


@pytest.mark.parametrize(
    "query",
    [
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "title:x AND (y OR z*) ~2 ^3",
        "\x00\x1f",
        "a" * 10_000,
    ],
)
def test_any_query_is_answered_and_never_reflected_as_markup(client, query):
    html = get(client, "/en/search/", q=query)
    assert "<script>alert" not in html and "<img src=x" not in html


def test_invalid_utf8_in_the_url_is_answered(client):
    for url in ("/en/search/?q=%ff%fe", "/fr/recherche/?q=%C3%28&page=%ff", "/en/search/?page=x"):
        assert client.get(url).status_code == 200
