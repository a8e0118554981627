"""Hosting and sharing: sitemap, feeds, robots, structured data and audience/phase pages."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from kb.taxonomy import AUDIENCES, PHASES

from support import SITE_URL as BASE_URL

SITE_URL = BASE_URL.rstrip("/")
NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "x": "http://www.w3.org/1999/xhtml",
    "a": "http://www.w3.org/2005/Atom",
}


def local_file(frozen: Path, url: str) -> Path:
    path = urlsplit(url).path
    return frozen / (path.lstrip("/") + ("index.html" if path.endswith("/") else ""))


def test_sitemap_lists_every_page_and_only_pages_that_exist(frozen):
    tree = ET.parse(frozen / "sitemap.xml")
    locs = [el.text for el in tree.findall("s:url/s:loc", NS)]
    assert len(locs) == len(set(locs))
    for loc in locs:
        assert loc.startswith(SITE_URL) and local_file(frozen, loc).exists(), loc
    pages = {
        f"{SITE_URL}/{p.relative_to(frozen).as_posix()}".removesuffix("index.html")
        for p in frozen.glob("[ef][nr]/**/index.html")
    }
    assert pages == set(locs)


def test_sitemap_gives_each_page_its_alternates(frozen):
    tree = ET.parse(frozen / "sitemap.xml")
    for url in tree.findall("s:url", NS):
        loc = url.find("s:loc", NS).text
        links = {el.get("hreflang"): el.get("href") for el in url.findall("x:link", NS)}
        assert set(links) == {"en-CA", "fr-CA", "x-default"}
        assert loc in (links["en-CA"], links["fr-CA"])
        assert all(local_file(frozen, href).exists() for href in links.values())


def test_every_page_head_has_canonical_and_hreflang_alternates(frozen):
    for page in frozen.glob("[ef][nr]/**/index.html"):
        html = page.read_text(encoding="utf-8")
        canonical = re.search(r'<link rel="canonical" href="([^"]+)">', html).group(1)
        assert local_file(frozen, canonical) == page
        hreflangs = re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html)
        assert {lang for lang, _ in hreflangs} == {"en-CA", "fr-CA", "x-default"}
        assert 'property="og:title"' in html and 'property="og:description"' in html


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_feed_lists_entries_by_date_modified(frozen, site, lang):
    tree = ET.parse(frozen / lang / "feed.xml")
    entries = tree.findall("a:entry", NS)
    assert len(entries) == len(site.entries_in(lang))
    dates = [e.find("a:updated", NS).text for e in entries]
    assert dates == sorted(dates, reverse=True)
    for entry in entries:
        assert local_file(frozen, entry.find("a:link", NS).get("href")).exists()
    assert tree.getroot().get("{http://www.w3.org/XML/1998/namespace}lang") == f"{lang}-CA"


def test_a_feed_lists_the_latest_entries_only(synthetic_site):
    from kb.app import create_app
    from kb.hosting import FEED_ENTRIES

    client = create_app(
        {"KB_ROOT": synthetic_site.root, "SITE": synthetic_site, "KB_SITE_URL": BASE_URL}
    ).test_client()
    tree = ET.fromstring(client.get("/fr/feed.xml").data)
    dates = [e.find("a:updated", NS).text for e in tree.findall("a:entry", NS)]
    assert len(dates) == FEED_ENTRIES < len(synthetic_site.entries_in("fr"))
    newest = max(e.updated for e in synthetic_site.entries_in("fr")).isoformat()
    assert dates[0].startswith(newest) and dates == sorted(dates, reverse=True)


def test_robots_points_to_the_sitemap(frozen):
    assert f"Sitemap: {SITE_URL}/sitemap.xml" in (frozen / "robots.txt").read_text()


def json_ld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_faq_structured_data_has_every_question_with_the_answer_the_page_shows(client, site):
    for lang, path in (("en", "/en/phases/phase-2/"), ("fr", "/fr/phases/phase-2/")):
        data = json_ld(client.get(path).get_data(as_text=True))
        assert data["@context"] == "https://schema.org" and data["@type"] == "FAQPage"
        questions = {q["name"]: q["acceptedAnswer"]["text"] for q in data["mainEntity"]}
        expected = [e for e in site.entries_in(lang) if e.phase == "phase-2"]
        assert set(questions) == {e.title for e in expected}
        for entry in expected:
            # A list page shows each answer's summary, so that is the answer it declares.
            assert questions[entry.title] == entry.description and entry.description
            assert all(q["@type"] == "Question" for q in data["mainEntity"])


def test_entry_page_structured_data_is_its_own_question(client, site):
    entry = site.get("fr", "prototype-results")
    data = json_ld(client.get(f"/fr/questions/{entry.slug}/").get_data(as_text=True))
    assert [q["name"] for q in data["mainEntity"]] == [entry.title]
    assert "63\u00a0200" in data["mainEntity"][0]["acceptedAnswer"]["text"]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_entry_is_on_its_audience_pages_and_its_phase_page(client, site, lang):
    pages = {}
    for term in list(AUDIENCES.values()):
        pages[term.id] = client.get(
            f"/{lang}/{'audiences' if lang == 'en' else 'publics'}/{term.slug(lang)}/"
        ).get_data(as_text=True)
    for term in PHASES.values():
        pages[term.id] = client.get(f"/{lang}/phases/{term.slug(lang)}/").get_data(as_text=True)
    for entry in site.entries_in(lang):
        link = f'href="/{lang}/questions/{entry.slug}/"'
        assert link in pages[entry.phase], (entry.id, entry.phase)
        for audience in entry.audiences:
            assert link in pages[audience], (entry.id, audience)


def test_audience_page_opens_with_what_changes_and_key_dates(client):
    html = client.get("/en/audiences/service-providers/").get_data(as_text=True)
    assert "Key dates" in html
    assert "April 30, 2023" in html or "March 31, 2024" in html


def test_home_page_answers_where_to_start(client):
    html = client.get("/fr/").get_data(as_text=True)
    for audience in AUDIENCES.values():
        assert f'href="/fr/publics/{audience.slug("fr")}/"' in html
    for phase in PHASES.values():
        assert f'href="/fr/phases/{phase.slug("fr")}/"' in html
    assert 'role="search"' in html and "Mises à jour récentes" in html
