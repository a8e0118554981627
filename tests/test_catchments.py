"""Catchment areas and sources: the registries, their checks, their pages and their search."""

from __future__ import annotations

import re
from html import unescape

import pytest

from kb.content import load_site
from kb.search import engine_for
from kb.taxonomy import PHASES

from support import EN, FR, ROOT, make_site, pair, toggle_href

SOURCES = """\
faq:
  published: "2023-01"
  en: {title: The FAQ}
  fr: {title: La FAQ}
table:
  published: "2023"
  en: {title: The table, url: "https://example.org/en/table"}
  fr: {title: Le tableau, url: "https://example.org/fr/tableau"}
"""
AREA = """\
- id: ottawa
  phase: phase-2
  table: {source: table, planning_transition: ["2023-01", "2023-12"], ies_start: "2024-01"}
  as_published: "2023"
  en: {name: Ottawa, slug: ottawa, ssm: WCG International Consultants Ltd.}
  fr: {name: Ottawa, slug: ottawa, ssm: WCG International Consultants Ltd.}
"""


def problems(tmp_path, files: dict) -> list[str]:
    return [str(p) for p in load_site(make_site(tmp_path, files)).problems]


def cited(**kwargs) -> dict:
    """An entry pair that cites the FAQ, with the sources registry."""
    extra = kwargs.pop("extra", "sources: [faq]\n")
    return {"content/sources.yml": SOURCES, **pair(extra=extra, **kwargs)}


def test_real_registries_load_every_area_and_source(site):
    assert [p for p in site.problems if "catchment" in p.path or "sources" in p.path] == []
    by_phase = {}
    for area in site.catchment_areas:
        by_phase.setdefault(area.phase, []).append(area.names["en"])
    assert {phase: len(names) for phase, names in by_phase.items()} == {
        "prototype": 3,
        "phase-1": 4,
        "phase-2": 5,
        "phase-3": 3,
    }
    assert all(entry.sources for entry in site.entries.values())


def test_an_entry_citing_a_known_source_loads(tmp_path):
    site = load_site(make_site(tmp_path, cited()))
    assert site.problems == []
    assert site.get("en", "planning").sources == ("faq",)


def test_an_unknown_source_is_reported_with_its_line_and_a_suggestion(tmp_path):
    found = problems(tmp_path, cited(extra="sources: [faqs]\n"))
    assert f"{EN}:10: unknown source 'faqs': use faq, table (did you mean 'faq'?)" in found


def test_a_published_entry_without_a_source_is_an_error(tmp_path):
    found = problems(tmp_path, cited(extra=""))
    assert (
        f"{EN}:2: a published entry needs its source: add a line 'sources: [faq]' after "
        "'topics:' (ids from content/sources.yml)"
    ) in found
    assert any(p.startswith(f"{FR}:2: a published entry needs its source") for p in found)


def test_a_draft_may_wait_for_its_source(tmp_path):
    assert problems(tmp_path, cited(extra="", status="draft")) == []


@pytest.mark.parametrize(
    "change,message",
    [
        (
            ("phase: phase-2", "phase: phase-4"),
            "catchment area 'ottawa': unknown phase 'phase-4': use one of prototype, phase-1, phase-2, "
            "phase-3 (did you mean 'phase-3'?)",
        ),
        (
            ("source: table", "source: tabel"),
            "catchment area 'ottawa': table: unknown source 'tabel' (did you mean 'table'?): use an id "
            "from content/sources.yml",
        ),
        (
            ('ies_start: "2024-01"', 'ies_start: "2024-13"'),
            "catchment area 'ottawa': ies_start '2024-13' must be YYYY-MM-DD, YYYY-MM, YYYY or tba",
        ),
        (
            ('["2023-01", "2023-12"]', '["2023-12", "2023-01"]'),
            "catchment area 'ottawa': planning_transition ends before it starts",
        ),
        (
            ("  fr: {name: Ottawa, slug: ottawa, ssm: WCG International Consultants Ltd.}\n", ""),
            "catchment area 'ottawa': missing 'fr:' with name, slug, ssm",
        ),
        (
            ('as_published: "2023"', "as_published: soon"),
            "catchment area 'ottawa': as_published 'soon' must be the date the facts were published: "
            "YYYY-MM-DD, YYYY-MM or YYYY",
        ),
    ],
)
def test_a_bad_catchment_record_is_reported_with_its_line(tmp_path, change, message):
    files = {**cited(), "content/catchment-areas.yml": "# areas\n" + AREA.replace(*change)}
    site = load_site(make_site(tmp_path, files))
    assert [str(p) for p in site.problems] == [f"content/catchment-areas.yml:2: {message}"]
    assert site.catchment_areas == []


def test_a_timeline_event_may_point_to_a_catchment_area_that_exists(tmp_path):
    timeline = (
        '- {date: "2023-01", catchment: ottawa, en: Start., fr: Début.}\n'
        '- {date: "2023-02", catchment: otawa, en: Start., fr: Début.}\n'
        '- {date: "2023-03", catchment: ottawa, entry: planning, en: Start., fr: Début.}\n'
    )
    files = {**cited(), "content/catchment-areas.yml": AREA, "content/timeline.yml": timeline}
    assert problems(tmp_path, files) == [
        "content/timeline.yml:2: timeline event points to a missing catchment area 'otawa': use "
        "an id from content/catchment-areas.yml",
        "content/timeline.yml:3: timeline event points to one page: give 'entry: <id>' or "
        "'catchment: <id of content/catchment-areas.yml>', not both",
    ]


def visible(html: str) -> str:
    """The text a reader sees; no-break spaces kept (str.split would take them for spaces)."""
    text = unescape(re.sub(r"<script.*?</script>|<[^>]+>", " ", html, flags=re.S))
    return re.sub(r"[ \t\r\n]+", " ", text)


@pytest.mark.parametrize(
    "lang,section,other",
    [
        ("en", "catchment-areas", "/fr/regions-designees/"),
        ("fr", "regions-designees", "/en/catchment-areas/"),
    ],
)
def test_the_list_and_every_area_page_in_both_languages(client, site, lang, section, other):
    html = client.get(f"/{lang}/{section}/").get_data(as_text=True)
    assert toggle_href(html) == other
    for area in site.catchment_areas:
        url = f"/{lang}/{section}/{area.slugs[lang]}/"
        assert f'href="{url}"' in html
        page = client.get(url)
        assert page.status_code == 200, url
        text = page.get_data(as_text=True)
        assert f"<h1>{area.names[lang]}</h1>" in text
        counterpart = "fr" if lang == "en" else "en"
        assert toggle_href(text) == f"{other}{area.slugs[counterpart]}/"
        phase_slug = PHASES[area.phase].slug(lang)
        assert f'<dd><a href="/{lang}/phases/{phase_slug}/">' in text, url
        assert "2023" in visible(text)  # the "as published" year
        linked = [e for e in site.entries_in(lang) if e.phase in (area.phase, "all")]
        assert all(f'href="/{lang}/questions/{e.slug}/"' in text for e in linked), url
    assert client.get(f"/{lang}/{section}/nowhere/").status_code == 404


def test_an_area_page_cites_its_sources_in_the_page_language(client):
    en = client.get("/en/catchment-areas/london/").get_data(as_text=True)
    fr = client.get("/fr/regions-designees/london/").get_data(as_text=True)
    assert (
        'href="https://eopg.labour.gov.on.ca/en/programs/integrated-employment-services/'
        'questions-and-answers/province-wide-rollout"'
    ) in en
    assert 'href="https://eopg.labour.gov.on.ca/?p=4957"' in fr
    assert "Source:" in visible(en) and "Source\u00a0:" in visible(fr)
    assert "Finer dates for the same periods" in visible(en)
    assert "Dates plus précises pour les mêmes périodes" in visible(fr)
    assert "City of London" in visible(en) and "Ville de London" in visible(fr)


@pytest.mark.parametrize("lang,label", [("en", "Source:"), ("fr", "Source\u00a0:")])
def test_every_answer_shows_its_source(client, site, lang, label):
    for page in site.entries_in(lang):
        text = visible(client.get(f"/{lang}/questions/{page.slug}/").get_data(as_text=True))
        for id in page.sources:
            assert site.sources[id].titles[lang] in text, page.path
        assert label in text or label.replace("Source", "Sources") in text, page.path


def test_phase_pages_link_to_their_catchment_areas(client, site):
    html = client.get("/fr/phases/phase-2/").get_data(as_text=True)
    assert "Régions désignées de cette phase" in html
    for area in site.catchments_in("phase-2"):
        assert f'href="/fr/regions-designees/{area.slugs["fr"]}/"' in html
    assert "Catchment areas in this phase" not in client.get("/en/phases/all-phases/").get_data(
        as_text=True
    )


def test_entry_links_to_catchment_pages_resolve(client, site):
    linked = 0
    for page in site.entries_in("en") + site.entries_in("fr"):
        for href in re.findall(r'href="(\.\./\.\./[^"#]*)', page.html):
            target = f"/{page.lang}/questions/{page.slug}/" + href
            path = re.sub(r"[^/]+/\.\./", "", re.sub(r"[^/]+/\.\./", "", target))
            assert client.get(path).status_code == 200, (page.path, href)
            linked += 1
    assert linked >= 14


def test_the_timeline_links_an_event_to_its_catchment_page(client):
    html = client.get("/fr/calendrier/").get_data(as_text=True)
    assert '<a href="/fr/regions-designees/kingston-pembroke/">Début de la prestation' in html
    assert "octobre 2023" in visible(html)


@pytest.mark.parametrize(
    "lang,query,wanted",
    [
        ("en", "Ottawa", "ottawa"),
        ("en", "who is the SSM in London", "london"),
        ("en", "Windsor SSM", "windsor-sarnia"),
        ("en", "Fleming College", "muskoka-kawarthas"),
        ("fr", "GSS de Windsor", "windsor-sarnia"),
        ("fr", "Ottawa", "ottawa"),
        ("fr", "qui est le GSS de London", "london"),
        ("fr", "région désignée Durham", "durham"),
    ],
)
def test_the_server_search_finds_the_catchment_page(site, lang, query, wanted):
    hits = engine_for(site).search(lang, query, limit=3).hits
    assert hits and hits[0].doc.id == f"catchment-area:{wanted}", [h.doc.id for h in hits]
    section = "catchment-areas" if lang == "en" else "regions-designees"
    area = next(a for a in site.catchment_areas if a.id == wanted)
    assert hits[0].doc.url == f"/{lang}/{section}/{area.slugs[lang]}/"
    assert hits[0].as_json()["source"] == "content/catchment-areas.yml"


def test_the_real_registry_files_exist():
    assert (ROOT / "content" / "sources.yml").exists()
    assert (ROOT / "content" / "catchment-areas.yml").exists()


@pytest.mark.parametrize(
    "link, message",
    [
        ("catchment:ottawa", None),
        ("catchment:#phase-2", None),
        (
            "catchment:otawa",
            "no catchment area has this id in content/catchment-areas.yml (did you mean 'ottawa'?)",
        ),
        (
            "catchment:#phase-9",
            "link to 'catchment:#phase-9': the list of catchment areas has no section for this "
            "phase; use one of '#phase-2'",
        ),
    ],
)
def test_catchment_links_are_checked(tmp_path, link, message):
    body = f"See [the area]({link}).\n"
    found = problems(tmp_path, {**cited(body=body), "content/catchment-areas.yml": AREA})
    if message is None:
        assert found == []
    else:
        assert any(message in text for text in found), found


def test_a_catchment_link_becomes_the_area_page_in_each_language(tmp_path):
    files = {
        **cited(body="See [the area](catchment:ottawa) and [all](catchment:#phase-2).\n"),
        "content/catchment-areas.yml": AREA,
    }
    site = load_site(make_site(tmp_path, files))
    assert 'href="../../catchment-areas/ottawa/"' in site.get("en", "planning").html
    assert 'href="../../regions-designees/#phase-2"' in site.get("fr", "planning").html
