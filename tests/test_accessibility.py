"""WCAG 2.2 AA in a real browser, on every page of the frozen site listed by its sitemap.

One pass opens each page once (one Chromium page, axe-core injected at each load) and records what
the tests below check: axe's violations at 1280 px and, the same page narrowed, at 320 px; the
language attributes, the requests and their bytes, and the width of the document at 320 px.
A second pass runs axe at 200 % text zoom (the root font size doubled by an injected style, as a
browser's text-only zoom does) on one page of each template kind, to keep the suite fast.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import pytest

from support import ROOT, describe

pytestmark = pytest.mark.browser

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}
ENTRY_BUDGET = 60 * 1024  # an entry page with all it loads
PAGE_BUDGET = 100 * 1024  # lists carry every question's summary, so they get more room
ARTIFACTS = ROOT / "test-artifacts"

PAGE_FACTS = """() => {
  const toggle = document.querySelector('a.lang-toggle');
  const unmarked = [];  // text with French letters outside any lang="fr" element
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node; (node = walker.nextNode()); ) {
    const parent = node.parentElement;
    if (!/[àâçéèêëîïôûùüÿœ]/i.test(node.data) || parent.closest('script, style')) continue;
    const marked = parent.closest('[lang]');
    if (!marked || !marked.lang.startsWith('fr')) unmarked.push(node.data.trim());
  }
  return {
    lang: document.documentElement.lang,
    h1: (document.querySelector('h1') || {}).textContent || '',
    toggle: toggle && {lang: toggle.getAttribute('lang'), hreflang: toggle.getAttribute('hreflang'),
                       href: toggle.href, text: toggle.textContent.trim()},
    unmarked,
  };
}"""


@dataclass
class Visit:
    path: str
    violations: list[str]  # at 1280 px
    violations_320: list[str]
    facts: dict
    loads: list[tuple[str, str, int, int]]  # (url, resource type, status, body bytes)
    width_320: tuple[int, int]  # (scroll width, client width)

    @property
    def lang(self) -> str:
        return self.path.split("/")[1] if self.path[:4] in ("/en/", "/fr/") else "en"


@pytest.fixture(scope="module")
def pages(frozen) -> dict[str, dict[str, str]]:
    """Every page of the sitemap (and the splash it names), as path → {lang: counterpart path}."""
    tree = ET.parse(frozen / "sitemap.xml")
    found: dict[str, dict[str, str]] = {}
    for url in tree.findall("s:url", NS):
        links = {el.get("hreflang"): el.get("href") for el in url.findall("x:link", NS)}
        alternates = {k[:2]: urlsplit(v).path for k, v in links.items() if k != "x-default"}
        found[urlsplit(url.find("s:loc", NS).text).path] = alternates
        found.setdefault(urlsplit(links["x-default"]).path, {})
    found["/404.html"] = {}  # served for unknown paths; not in the sitemap by design
    return found


def status_and_size(request) -> tuple[int, int]:
    """The response's status and body bytes (0, 0 for a request that got no response)."""
    response = request.response()
    return (response.status, request.sizes()["responseBodySize"]) if response else (0, 0)


@pytest.fixture(scope="module")
def visits(browser, frozen_server, pages) -> dict[str, Visit]:
    """Each page opened once: axe-core's verdict, then the facts the other tests check."""
    from axe_playwright_python.base import AXE_FILE_PATH

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(path=str(AXE_FILE_PATH))
    page = context.new_page()
    cdp = context.new_cdp_session(page)  # no HTTP cache: each page pays for all it loads
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    requests: list = []
    page.on("request", lambda request: requests.append(request))
    found = {}
    for path in pages:
        requests.clear()
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(frozen_server + path)
        result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
        facts = page.evaluate(PAGE_FACTS)
        page.set_viewport_size({"width": 320, "height": 800})
        narrow = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
        width = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
        loads = [(r.url, r.resource_type, *status_and_size(r)) for r in requests]
        found[path] = Visit(
            path,
            [describe(v) for v in result["violations"]],
            [describe(v) for v in narrow["violations"]],
            facts,
            loads,
            tuple(width),
        )
    context.close()
    return found


def test_axe_finds_no_wcag_22_aa_violation_on_any_page_at_1280px(visits):
    assert len(visits) > 100
    failures = {path: v.violations for path, v in visits.items() if v.violations}
    assert failures == {}


def test_axe_finds_no_wcag_22_aa_violation_on_any_page_at_320px(visits):
    failures = {path: v.violations_320 for path, v in visits.items() if v.violations_320}
    assert failures == {}


ZOOM_200 = "html { font-size: 200% !important; }"


def test_axe_finds_no_violation_at_200_percent_text_zoom(browser, frozen_server, pages):
    """Text twice as large (the root font size doubled) on one page of each template kind."""
    from axe_playwright_python.base import AXE_FILE_PATH

    chosen: dict[tuple, str] = {}
    for path in pages:
        chosen.setdefault((path[:4],) + page_kind(path), path)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(path=str(AXE_FILE_PATH))
    page = context.new_page()
    failures, wide = {}, {}
    for path in chosen.values():
        page.goto(frozen_server + path)
        page.add_style_tag(content=ZOOM_200)
        assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "32px"
        result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
        if result["violations"]:
            failures[path] = [describe(v) for v in result["violations"]]
        scroll, client = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
        if scroll > client:
            wide[path] = (scroll, client)
    context.close()
    assert len(chosen) > 10
    assert failures == {} and wide == {}


def test_html_lang_is_the_page_language_and_the_toggle_says_where_it_goes(
    visits, pages, frozen_server
):
    for path, visit in visits.items():
        assert visit.facts["lang"] == visit.lang, path
        assert visit.facts["h1"].strip(), f"{path}: no h1"
        if not pages[path]:  # the splash and 404 pages are bilingual and have no toggle
            continue
        other = "fr" if visit.lang == "en" else "en"
        toggle = visit.facts["toggle"]
        assert toggle["lang"] == toggle["hreflang"] == other, path
        assert toggle["text"] == {"en": "English", "fr": "Français"}[other], path
        assert toggle["href"] == frozen_server + pages[path][other], path


def test_french_passages_in_english_pages_are_marked(visits):
    unmarked = {
        path: v.facts["unmarked"]
        for path, v in visits.items()
        if v.facts["lang"] == "en" and v.facts["unmarked"]
    }
    assert unmarked == {}, 'wrap French text of English pages in an element with lang="fr"'


def test_every_request_stays_on_the_site_and_succeeds(visits, frozen_server):
    """No external fonts, scripts, images or analytics; nothing missing either."""
    outside = {
        path: [url for url, *_ in v.loads if not url.startswith(frozen_server + "/")]
        for path, v in visits.items()
    }
    assert {path: urls for path, urls in outside.items() if urls} == {}
    failed = {
        path: [(url, status) for url, _, status, _ in v.loads if status != 200]
        for path, v in visits.items()
    }
    assert {path: loads for path, loads in failed.items() if loads} == {}


def test_pages_stay_light(visits):
    """An entry page with everything it loads stays under 60 KB; the search index is excepted."""
    heavy = {}
    for path, visit in visits.items():
        loads = visit.loads
        if path.endswith(("/search/", "/recherche/")):
            # The index files its script fetches have their own budget (see the search tests).
            loads = [load for load in loads if load[1] not in ("fetch", "xhr")]
        total = sum(size for *_, size in loads)
        budget = ENTRY_BUDGET if re.match(r"^/(en|fr)/questions/.+/$", path) else PAGE_BUDGET
        if total > budget:
            heavy[path] = f"{total / 1024:.1f} KB > {budget // 1024} KB"
    assert heavy == {}


def test_no_page_scrolls_sideways_at_320px(visits):
    wide = {path: v.width_320 for path, v in visits.items() if v.width_320[0] > v.width_320[1]}
    assert wide == {}


def test_glossary_other_language_terms_are_marked(frozen_server, page, site):
    for lang, other in (("en", "fr"), ("fr", "en")):
        page.goto(f"{frozen_server}/{lang}/{'glossary' if lang == 'en' else 'glossaire'}/")
        marked = page.locator(f'main [lang="{other}"]').all_inner_texts()
        for item in site.glossary:
            assert any(item.terms[other] in text for text in marked), (lang, item.terms[other])


@pytest.mark.parametrize("path", ["/", "/404.html"])
def test_bilingual_pages_mark_each_language(frozen_server, page, path):
    page.goto(frozen_server + path)
    assert page.locator("html").get_attribute("lang") == "en"
    sections = page.locator("main section")
    assert [sections.nth(i).get_attribute("lang") for i in range(sections.count())] == ["en", "fr"]
    for lang in ("en", "fr"):
        for link in page.locator(f'main section[lang="{lang}"] a').all():
            assert link.get_attribute("hreflang") == lang


# Keyboard -------------------------------------------------------------------------------------

FOCUSABLES = """() => {
  const all = [...document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, [tabindex]')];
  const shown = all.filter(el => el.tabIndex >= 0 && !el.disabled && el.getClientRects().length
                                 && getComputedStyle(el).visibility !== 'hidden');
  shown.forEach((el, i) => el.dataset.kbStop = i);
  return shown.length;
}"""
FOCUS_RING = """() => {
  const el = document.activeElement, style = getComputedStyle(el);
  let background = 'rgb(255, 255, 255)';
  for (let e = el.parentElement; e; e = e.parentElement) {
    const color = getComputedStyle(e).backgroundColor;
    if (color !== 'rgba(0, 0, 0, 0)' && color !== 'transparent') { background = color; break; }
  }
  return {stop: el.dataset.kbStop, text: (el.textContent || el.name || '').trim(),
          outline: style.outlineStyle === 'none' ? null : [style.outlineColor, style.outlineWidth],
          shadow: style.boxShadow, background};
}"""


def luminance(color: str) -> float:
    channels = [int(c) / 255 for c in re.findall(r"\d+", color)[:3]]
    r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def rings(focus: dict) -> list[tuple[str, float]]:
    """The focus indicator's rings as (color, width in px): the outline and box-shadow spreads."""
    found = []
    if focus["outline"]:
        found.append((focus["outline"][0], float(focus["outline"][1].removesuffix("px"))))
    for color, spread in re.findall(
        r"(rgba?\([^)]*\))[^,]*?(\d+(?:\.\d+)?)px(?:,|$)", focus["shadow"] or ""
    ):
        found.append((color, float(spread)))
    return found


def keyboard_pages(site) -> list[str]:
    """The home pages and an entry page, in English and French."""
    en = site.get("en", "phase-2-planning-period")
    fr = site.translation(en)
    return ["/en/", "/fr/", f"/en/questions/{en.slug}/", f"/fr/questions/{fr.slug}/"]


@pytest.mark.parametrize("which", range(4), ids=["home-en", "home-fr", "entry-en", "entry-fr"])
def test_keyboard_reaches_everything_in_order_with_a_visible_focus_ring(
    frozen_server, page, site, which
):
    page.goto(frozen_server + keyboard_pages(site)[which])
    count = page.evaluate(FOCUSABLES)
    stops = []
    for _ in range(count):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_RING)
        # WCAG 2.4.7 and 1.4.11: a ring at least 2 px wide, 3:1 against what surrounds it.
        assert any(
            width >= 2 and contrast(color, focus["background"]) >= 3
            for color, width in rings(focus)
        ), focus
        stops.append(focus["stop"])
    assert stops == [str(i) for i in range(count)], "Tab must visit every control in page order"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_skip_link_comes_first_and_moves_focus_to_the_main_content(frozen_server, page, lang):
    page.goto(f"{frozen_server}/{lang}/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.get_attribute("href") == "#main"
    box = skip.bounding_box()
    assert box and box["y"] >= 0 and box["x"] >= 0, "the skip link shows when focused"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


def tab_to(page, selector: str, limit: int = 20) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


@pytest.mark.parametrize("lang, query", [("en", "contract"), ("fr", "contrat")])
def test_search_form_works_by_keyboard_alone(frozen_server, page, lang, query):
    page.goto(f"{frozen_server}/{lang}/")
    action = urlsplit(urljoin(page.url, page.locator(".search-form").get_attribute("action"))).path
    tab_to(page, "#site-search")
    page.keyboard.type(query)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: urlsplit(url).path == action and f"q={query}" in url)
    assert page.locator("html").get_attribute("lang") == lang


def test_language_toggle_works_by_keyboard_alone(frozen_server, page, site):
    en, fr = keyboard_pages(site)[2:]
    page.goto(frozen_server + en)
    for target, lang in ((fr, "fr"), (en, "en")):
        tab_to(page, "a.lang-toggle")
        page.keyboard.press("Enter")
        page.wait_for_url(frozen_server + target)
        assert page.locator("html").get_attribute("lang") == lang


# Small screens, and no JavaScript -------------------------------------------------------------


@pytest.mark.parametrize("width", [360, 1280])
def test_screenshots_of_home_and_entry_pages_in_both_languages(frozen_server, browser, site, width):
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    for name, path in zip(["home-en", "home-fr", "entry-en", "entry-fr"], keyboard_pages(site)):
        page.goto(frozen_server + path)
        scroll, client = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
        assert scroll <= client, f"{path} scrolls sideways at {width}px"
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
    context.close()


def page_kind(path: str) -> tuple:
    """Pages made from the same template: same language section, same depth."""
    parts = path.strip("/").split("/")
    return len(parts), parts[1] if len(parts) > 2 else parts[-1]


def test_every_page_renders_and_navigates_without_javascript(browser, frozen, frozen_server, pages):
    """Every page shows its content styled; every link leads to a page; a click on each kind."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    targets, clicked = set(), set()
    for path, alternates in pages.items():
        page.goto(frozen_server + path)
        assert page.locator("h1").first.inner_text().strip(), path
        width = page.evaluate("getComputedStyle(document.querySelector('main')).maxWidth")
        assert width != "none", f"{path}: the stylesheet did not apply"
        hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        targets.update(urlsplit(h).path for h in hrefs if h.startswith(frozen_server + "/"))
        if page_kind(path) in clicked:
            continue
        clicked.add(page_kind(path))
        link = page.locator("a.lang-toggle" if alternates else "main a").first
        href = urlsplit(link.evaluate("a => a.href")).path
        link.click()
        page.wait_for_url(frozen_server + href)
        assert page.locator("h1").first.inner_text().strip(), href
    context.close()
    missing = [
        t
        for t in targets
        if not (frozen / t.lstrip("/") / ("index.html" if t.endswith("/") else "")).exists()
    ]
    assert missing == []


# WCAG 2.2 cases axe cannot settle alone ---------------------------------------------------------

LONG_WORD = "a" * 100


@pytest.mark.parametrize("lang, section", [("en", "search"), ("fr", "recherche")])
@pytest.mark.parametrize("script", [True, False], ids=["js", "no-js"])
def test_search_page_with_a_100_character_word_does_not_scroll_sideways_at_320px(
    browser, frozen_server, lang, section, script
):
    context = browser.new_context(
        viewport={"width": 320, "height": 700}, java_script_enabled=script
    )
    page = context.new_page()
    page.goto(f"{frozen_server}/{lang}/{section}/?q={LONG_WORD}")
    if script:
        page.wait_for_selector("#search-results[data-done]")
        assert LONG_WORD in page.locator(".search-summary").inner_text()
    scroll, client = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
    context.close()
    assert scroll <= client


def test_search_live_region_announces_the_count_only(frozen_server, page):
    page.goto(f"{frozen_server}/en/search/?q=contract")
    page.wait_for_selector("#search-results[data-done]")
    live = page.locator("[aria-live], [role=status]")
    assert live.count() == 1
    assert re.fullmatch(r"\d+ results? for “contract”", live.inner_text().strip())
    assert page.locator("#search-results").get_attribute("aria-live") is None


def table_pages(site) -> list[str]:
    return [
        f"/{e.lang}/questions/{e.slug}/"
        for lang in ("en", "fr")
        for e in site.entries_in(lang)
        if "<table" in e.html
    ]


def test_tables_scroll_in_a_focusable_labelled_region(frozen_server, browser, site):
    paths = table_pages(site)
    assert paths, "the content has tables (the phase 1 overview)"
    context = browser.new_context(viewport={"width": 320, "height": 700})
    page = context.new_page()
    for path in paths:
        page.goto(frozen_server + path)
        regions = page.locator(".answer table").evaluate_all(
            "tables => tables.map(t => { const box = t.parentElement; return {"
            "tabindex: box.getAttribute('tabindex'), role: box.getAttribute('role'),"
            "label: box.getAttribute('aria-label'), scrolls: box.scrollWidth > box.clientWidth}; })"
        )
        for region in regions:
            assert region["tabindex"] == "0" and region["role"] == "region", path
            assert region["label"] and region["label"].strip(), path
        assert any(r["scrolls"] for r in regions), (
            f"{path}: a wide table scrolls in its box at 320px"
        )
        box = page.locator(".table-scroll").first
        box.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function("document.querySelector('.table-scroll').scrollLeft > 0")
    context.close()


TARGETS = """() => [...document.querySelectorAll(
    '.site-header a, .site-nav a, .site-footer a, button, input:not([type=hidden]), .breadcrumb a')]
  .filter(el => el.getClientRects().length)
  .map(el => { const r = el.getBoundingClientRect();
               return [el.outerHTML.slice(0, 80), r.width, r.height]; })"""


@pytest.mark.parametrize("width", [320, 1280])
def test_furniture_targets_are_at_least_24_by_24_css_px(browser, frozen_server, site, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    small = []
    for path in keyboard_pages(site) + ["/en/search/", "/fr/accessibilite/"]:
        page.goto(frozen_server + path)
        small += [(path, *t) for t in page.evaluate(TARGETS) if t[1] < 24 or t[2] < 24]
    context.close()
    assert small == []


FORCED = """() => {
  const link = document.querySelector('main a[href]'), style = getComputedStyle(link);
  return {forced: matchMedia('(forced-colors: active)').matches,
          decoration: style.textDecorationLine, color: style.color,
          body: getComputedStyle(document.body).color};
}"""


@pytest.mark.parametrize("which", range(4), ids=["home-en", "home-fr", "entry-en", "entry-fr"])
def test_forced_colours_keep_focus_and_links_visible(browser, frozen_server, site, which):
    context = browser.new_context(forced_colors="active")
    page = context.new_page()
    page.goto(frozen_server + keyboard_pages(site)[which])
    facts = page.evaluate(FORCED)
    assert facts["forced"]
    # Links are told apart from text by their underline and the system's link colour.
    assert "underline" in facts["decoration"] and facts["color"] != facts["body"]
    for _ in range(6):
        page.keyboard.press("Tab")
        style = page.evaluate(
            "(s => [s.outlineStyle, s.outlineWidth])(getComputedStyle(document.activeElement))"
        )
        assert style[0] != "none" and float(style[1].removesuffix("px")) >= 2, style
    context.close()


def test_nothing_moves_for_readers_who_ask_for_reduced_motion(browser, frozen_server, site):
    context = browser.new_context(reduced_motion="reduce")
    page = context.new_page()
    for path in keyboard_pages(site):
        page.goto(frozen_server + path)
        page.keyboard.press("Tab")
        assert page.evaluate("document.getAnimations().length") == 0, path
        assert page.evaluate("getComputedStyle(document.activeElement).transitionDuration") == "0s"
    context.close()
