"""Lists in pages of bounded size, a page for each section folder, and a sitemap that splits."""

from __future__ import annotations

import json
import re
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import kb.pagelist
from kb.app import create_app
from kb.content import load_site
from kb.freeze import build
from kb.pagelist import Pager
from kb.taxonomy import AUDIENCES, PHASES

from support import ROOT, bench_corpus, crawl, folders_without_a_page, make_site, pair, serve

NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "x": "http://www.w3.org/1999/xhtml",
    "a": "http://www.w3.org/2005/Atom",
}
SITE_URL = "https://kb.example.org"
MAX_PAGE_BYTES = 100_000


@pytest.fixture(scope="module")
def client(synthetic_root, synthetic_site):
    """The 150-entry synthetic site: three pages of all questions at 50 a page."""
    app = create_app(
        {
            "TESTING": True,
            "KB_ROOT": synthetic_root,
            "SITE": synthetic_site,
            "KB_SITE_URL": SITE_URL + "/",
        }
    )
    return app.test_client()


def html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def listed_links(page: str) -> list[str]:
    """The entry links of a list page, in order."""
    lists = re.findall(r'<ul class="entry-list">(.*?)</ul>', page, re.S)
    return [href for block in lists for href in re.findall(r'<a href="([^"]+)"', block)]


def nav(page: str) -> str:
    found = re.search(
        r'<nav class="pagination list-pages" aria-label="([^"]+)">(.*?)</nav>', page, re.S
    )
    assert found, "no pagination"
    return found.group(0)


def head_links(page: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="(prev|next)" href="([^"]+)">', page))


def toggle(page: str) -> str:
    return re.search(r'class="lang-toggle" href="([^"]+)"', page).group(1)


def faq_names(page: str) -> list[str]:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return [q["name"] for q in json.loads(found.group(1))["mainEntity"]] if found else []


def test_pages_of_a_list_show_each_entry_once_in_reading_order(client, synthetic_site):
    for lang in ("en", "fr"):
        expected = [f"/{lang}/questions/{e.slug}/" for e in synthetic_site.entries_in(lang)]
        assert len(expected) == 150
        shown = [listed_links(html(client, f"/{lang}/questions/"))]
        shown += [listed_links(html(client, f"/{lang}/questions/page-{n}/")) for n in (2, 3)]
        assert [len(page) for page in shown] == [50, 50, 50]
        assert [link for page in shown for link in page] == expected
        assert client.get(f"/{lang}/questions/page-4/").status_code == 404
        # Page 1 has one address only: the list's own.
        assert client.get(f"/{lang}/questions/page-1/").status_code == 404


@pytest.mark.parametrize(
    "lang,label,status,previous,following",
    [
        ("en", "Pages of this list", "Page 2 of 3", "Previous page", "Next page"),
        ("fr", "Pages de cette liste", "Page 2 sur 3", "Page précédente", "Page suivante"),
    ],
)
def test_a_middle_page_links_both_ways_in_its_nav_and_head(
    client, lang, label, status, previous, following
):
    page = html(client, f"/{lang}/questions/page-2/")
    links = nav(page)
    assert f'aria-label="{label}"' in links and f"<p>{status}</p>" in links
    assert f'<a rel="prev" href="/{lang}/questions/">{previous}</a>' in links
    assert f'<a rel="next" href="/{lang}/questions/page-3/">{following}</a>' in links
    assert (
        f'<a href="/{lang}/questions/page-2/" aria-label="Page 2" aria-current="page">2</a>'
        in links
    )
    assert links.count("aria-current") == 1
    assert head_links(page) == {
        "prev": f"{SITE_URL}/{lang}/questions/",
        "next": f"{SITE_URL}/{lang}/questions/page-3/",
    }
    assert f'<link rel="canonical" href="{SITE_URL}/{lang}/questions/page-2/">' in page
    # Each page has its own title, and the breadcrumb leads back to page 1.
    title = re.search(r"<title>(.*?)</title>", page).group(1)
    assert title.startswith(
        {"en": "All questions, page 2 of 3", "fr": "Toutes les questions, page 2 sur 3"}[lang]
    )
    breadcrumb = re.search(r'<nav class="breadcrumb.*?</nav>', page, re.S).group(0)
    assert f'href="/{lang}/questions/"' in breadcrumb
    assert f'<span aria-current="page">{status}</span>' in breadcrumb


def test_first_and_last_pages_link_one_way(client):
    first, last = html(client, "/en/questions/"), html(client, "/en/questions/page-3/")
    assert head_links(first) == {"next": f"{SITE_URL}/en/questions/page-2/"}
    assert 'rel="prev"' not in nav(first)
    assert head_links(last) == {"prev": f"{SITE_URL}/en/questions/page-2/"}
    assert 'rel="next"' not in nav(last)


def test_a_list_of_one_page_has_no_pagination(client):
    page = html(client, "/en/phases/phase-1/")
    assert "list-pages" not in page and 'rel="prev"' not in page and 'rel="next"' not in page


def audience_with_pages(client, synthetic_site) -> tuple:
    for audience in AUDIENCES.values():
        listed = kb.pagelist.listed(synthetic_site, "en", "pages.audience", audience.id)
        if len(listed) > kb.pagelist.PER_PAGE:
            return audience, listed
    pytest.fail("no audience of the synthetic site has two pages")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_toggle_and_alternates_of_a_page_go_to_the_same_page_in_the_other_language(
    client, synthetic_site, lang
):
    audience, _ = audience_with_pages(client, synthetic_site)
    other = "fr" if lang == "en" else "en"
    section = {"en": "audiences", "fr": "publics"}
    here = f"/{lang}/{section[lang]}/{audience.slug(lang)}/page-2/"
    there = f"/{other}/{section[other]}/{audience.slug(other)}/page-2/"
    page = html(client, here)
    assert toggle(page) == there
    assert f'hreflang="{other}-CA" href="{SITE_URL}{there}"' in page
    assert toggle(html(client, there)) == here
    assert toggle(html(client, f"/{lang}/questions/page-3/")) == f"/{other}/questions/page-3/"


def test_the_summary_and_key_dates_open_page_1_only(monkeypatch):
    # The real content has the summary entries and timeline events; 5 a page gives it pages.
    monkeypatch.setattr(kb.pagelist, "PER_PAGE", 5)
    site = load_site(ROOT)
    client = create_app({"TESTING": True, "KB_ROOT": ROOT, "SITE": site}).test_client()
    first = html(client, "/en/audiences/service-providers/")
    assert 'id="what-changes"' in first and 'id="key-dates"' in first
    second = html(client, "/en/audiences/service-providers/page-2/")
    assert 'id="what-changes"' not in second and 'id="key-dates"' not in second
    assert len(listed_links(second)) == 5
    phase = html(client, "/fr/phases/phase-2/")
    assert 'id="key-dates"' in phase
    assert 'id="key-dates"' not in html(client, "/fr/phases/phase-2/page-2/")
    # A long list shows a few numbers, not all of them, and says which page it is.
    links = nav(html(client, "/en/questions/page-2/"))
    assert re.findall(r'aria-label="Page (\d+)"', links) == ["1", "2", "3", "6"]
    assert '<li aria-hidden="true">…</li>' in links


def test_structured_data_lists_only_the_questions_the_page_shows(client, synthetic_site):
    page = html(client, "/en/questions/page-2/")
    shown = synthetic_site.entries_in("en")[50:100]
    assert faq_names(page) == [e.title for e in shown]


@pytest.mark.parametrize(
    "number,pages,window",
    [
        (1, 1, [1]),
        (1, 3, [1, 2, 3]),
        (2, 3, [1, 2, 3]),
        (1, 7, [1, 2, None, 7]),
        (4, 7, [1, 2, 3, 4, 5, 6, 7]),
        (5, 10, [1, None, 4, 5, 6, None, 10]),
        (10, 10, [1, None, 9, 10]),
    ],
)
def test_pager_window_shows_ends_and_neighbours(number, pages, window):
    assert Pager(number, pages, str).window() == window


@pytest.mark.parametrize(
    "url,title,links",
    [
        ("/en/phases/", "Phases", [f"/en/phases/{p.slug('en')}/" for p in PHASES.values()]),
        ("/fr/phases/", "Phases", [f"/fr/phases/{p.slug('fr')}/" for p in PHASES.values()]),
        (
            "/en/audiences/",
            "Audiences",
            [f"/en/audiences/{a.slug('en')}/" for a in AUDIENCES.values()],
        ),
        ("/fr/publics/", "Publics", [f"/fr/publics/{a.slug('fr')}/" for a in AUDIENCES.values()]),
    ],
)
def test_section_folders_list_their_pages_with_counts(client, synthetic_site, url, title, links):
    page = html(client, url)
    main = page[page.index("<main") : page.index("</main>")]
    assert f"<h1>{title}</h1>" in main
    assert re.findall(r'<li><a href="([^"]+)">', main) == links
    lang = url[1:3]
    endpoint = "pages.phase" if "phases" in url else "pages.audience"
    terms = PHASES if "phases" in url else AUDIENCES
    counts = [len(kb.pagelist.listed(synthetic_site, lang, endpoint, id)) for id in terms]
    assert re.findall(r'<p class="meta">(\d+) questions?</p>', page) == [str(c) for c in counts]
    other = {
        "/en/phases/": "/fr/phases/",
        "/fr/phases/": "/en/phases/",
        "/en/audiences/": "/fr/publics/",
        "/fr/publics/": "/en/audiences/",
    }[url]
    assert toggle(page) == other


def test_term_pages_lead_back_to_their_section_page(client):
    breadcrumb = re.search(
        r'<nav class="breadcrumb.*?</nav>',
        html(client, "/fr/publics/bureaux-d-aide-sociale/"),
        re.S,
    ).group(0)
    assert '<a href="/fr/publics/">Publics</a>' in breadcrumb
    breadcrumb = re.search(
        r'<nav class="breadcrumb.*?</nav>', html(client, "/en/phases/phase-3/"), re.S
    ).group(0)
    assert '<a href="/en/phases/">Phases</a>' in breadcrumb


def test_an_entry_file_named_like_a_page_of_a_list_is_an_error(tmp_path):
    files = pair()
    files["content/en/page-2.md"] = files.pop("content/en/phase-2/planning.md")
    problems = [str(p) for p in load_site(make_site(tmp_path, files)).problems]
    assert any(
        "content/en/page-2.md:1: file name 'page-2.md' is taken by the pages" in p for p in problems
    ), problems


def sitemap_locs(path: Path) -> list[str]:
    return [el.text for el in ET.parse(path).findall("s:url/s:loc", NS)]


def test_past_the_limit_the_sitemap_is_an_index_of_parts(tmp_path, monkeypatch):
    root = make_site(tmp_path / "site", pair())
    whole = tmp_path / "whole"
    build(root, whole, base_url=SITE_URL + "/")
    every = sitemap_locs(whole / "sitemap.xml")
    assert not (whole / "sitemap-1.xml").exists()
    monkeypatch.setattr(kb.pagelist, "SITEMAP_URLS", 7)
    split = tmp_path / "split"
    build(root, split, base_url=SITE_URL + "/")
    index = ET.parse(split / "sitemap.xml").getroot()
    assert index.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    parts = [el.text for el in index.findall("s:sitemap/s:loc", NS)]
    count = -(-len(every) // 7)
    assert parts == [f"{SITE_URL}/sitemap-{n}.xml" for n in range(1, count + 1)]
    found = []
    for n in range(1, count + 1):
        locs = sitemap_locs(split / f"sitemap-{n}.xml")
        assert 0 < len(locs) <= 7
        found += locs
    assert found == every
    assert not (split / f"sitemap-{count + 1}.xml").exists()


@pytest.fixture(scope="module")
def synthetic_build(synthetic_root, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("paged") / "build"
    build(synthetic_root, out, base_url=SITE_URL + "/")
    return out


def test_the_build_has_every_page_of_every_list_and_the_sitemap_lists_them(synthetic_build):
    for lang in ("en", "fr"):
        assert (synthetic_build / lang / "questions" / "page-3" / "index.html").exists()
        assert not (synthetic_build / lang / "questions" / "page-4").exists()
    locs = set(sitemap_locs(synthetic_build / "sitemap.xml"))
    assert {
        f"{SITE_URL}/en/questions/page-3/",
        f"{SITE_URL}/fr/questions/page-2/",
        f"{SITE_URL}/en/phases/",
        f"{SITE_URL}/fr/publics/",
    } <= locs
    pages = {
        f"{SITE_URL}/{p.relative_to(synthetic_build).as_posix()}".removesuffix("index.html")
        for p in synthetic_build.glob("[ef][nr]/**/index.html")
    }
    assert pages == locs
    seen, broken, _ = crawl(synthetic_build)
    assert broken == []
    assert {f"/en/questions/page-{n}/" for n in (2, 3)} <= seen


def test_every_folder_of_a_paginated_build_has_a_page(synthetic_build):
    assert folders_without_a_page(synthetic_build) == []


@pytest.fixture(scope="module")
def paged_server(synthetic_build):
    with serve(synthetic_build) as url:
        yield url


@pytest.mark.browser
@pytest.mark.parametrize(
    "path", ["/en/questions/page-2/", "/fr/questions/page-3/", "/en/audiences/", "/fr/publics/"]
)
def test_pages_and_section_pages_pass_axe_and_fit_a_phone(page, paged_server, path):
    from axe_playwright_python.base import AXE_FILE_PATH

    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(paged_server + path)
    page.add_script_tag(path=str(AXE_FILE_PATH))
    result = page.evaluate(
        "options => axe.run(document, options)",
        {
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
            "resultTypes": ["violations"],
        },
    )
    assert [v["id"] for v in result["violations"]] == []
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")


@pytest.mark.browser
def test_next_page_is_reached_by_keyboard(page, paged_server):
    page.goto(paged_server + "/fr/questions/")
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('rel')") == "next":
            break
    else:
        pytest.fail("Tab never reached the next-page link")
    assert page.evaluate("document.activeElement.textContent") == "Page suivante"
    page.keyboard.press("Enter")
    page.wait_for_url(paged_server + "/fr/questions/page-2/")
    assert page.locator('.list-pages [aria-current="page"]').text_content() == "2"


@pytest.mark.slow
def test_a_site_of_5000_entries_per_language_has_pages_of_bounded_size(tmp_path):
    root = tmp_path / "site"
    bench_corpus().generate(root, 5000, seed=11)
    out = tmp_path / "build"
    started = time.monotonic()
    build(root, out, base_url=SITE_URL + "/")
    elapsed = time.monotonic() - started
    sizes = {p.relative_to(out).as_posix(): p.stat().st_size for p in out.rglob("*.html")}
    too_big = {path: size for path, size in sizes.items() if size > MAX_PAGE_BYTES}
    assert too_big == {}, f"pages over {MAX_PAGE_BYTES} bytes"
    assert (out / "en/questions/page-100/index.html").exists()
    assert not (out / "en/questions/page-101").exists()
    locs = sitemap_locs(out / "sitemap.xml")  # parses: well-formed XML
    assert len(locs) == len(set(locs)) and f"{SITE_URL}/fr/questions/page-100/" in locs
    assert len(locs) == sum(1 for _ in out.glob("[ef][nr]/**/index.html"))
    for lang in ("en", "fr"):
        feed = ET.parse(out / lang / "feed.xml")
        assert len(feed.findall("a:entry", NS)) == 50
    assert folders_without_a_page(out) == []
    # French counts take a no-break space between thousands: "3 312 questions".
    assert re.search(
        r'<p class="meta">\d\xa0\d{3} questions</p>',
        (out / "fr/publics/index.html").read_text(encoding="utf-8"),
    )
    assert re.search(
        r'<p class="meta">\d,\d{3} questions</p>',
        (out / "en/audiences/index.html").read_text(encoding="utf-8"),
    )
    print(
        f"built 5,000 entries per language in {elapsed:.0f} s; largest page "
        f"{max(sizes.values()):,} bytes"
    )
