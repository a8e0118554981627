"""The facts of the source FAQ survive, exactly, in both languages of the built site."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from babel.dates import format_date
from babel.numbers import format_decimal

from kb.i18n import long_date

from support import ROOT

NBSP = "\u00a0"

# Each fact of the source as English readers see it, and its French form.
FACTS = [
    ("January 1, 2021", "1er janvier 2021"),
    ("April 25, 2022", "25 avril 2022"),
    ("July 2022", "juillet 2022"),
    ("March 2023", "mars 2023"),
    ("January 1, 2023", "1er janvier 2023"),
    ("January 3, 2023", "3 janvier 2023"),
    ("February 2023", "février 2023"),
    ("April 2023", "avril 2023"),
    ("April 1, 2023", "1er avril 2023"),
    ("April 30, 2023", "30 avril 2023"),
    ("May 2023", "mai 2023"),
    ("September 30, 2023", "30 septembre 2023"),
    ("December 2023", "décembre 2023"),
    ("January 1, 2024", "1er janvier 2024"),
    ("March 31, 2024", "31 mars 2024"),
    ("63,200", f"63{NBSP}200"),
    ("23,400", f"23{NBSP}400"),
    ("37%", f"37{NBSP}%"),
    ("26 questions", "26 questions"),
    ("3 sections", "3 sections"),
    ("12 months", "12 mois"),
    ("2023-24", "2023-2024"),
    ("Employment Service", "Service d'emploi"),
    ("Youth Job Connection", "Programme d'accès à l'emploi pour les jeunes"),
    ("Youth Job Connection-Summer", "Programme d'accès aux emplois d'été pour les jeunes"),
    ("Ontario Employment Assistance Service", "Service d'aide à l'emploi de l'Ontario"),
    ("Supported Employment", "Emploi assisté"),
    ("ODSP Employment Supports", "Soutien de l'emploi du POSPH"),
    ("Ontario Works Employment Assistance", "aide à l'emploi d'Ontario au travail"),
    ("Literacy and Basic Skills", "Alphabétisation et formation de base"),
    ("Canada-Ontario Job Grant", "Subvention Canada-Ontario pour l'emploi"),
    ("Apprenticeship", "Apprentissage"),
    ("Common Assessment Tool", "outil d'évaluation commun"),
    ("Performance Management Framework", "cadre de gestion du rendement"),
    ("Funding Model", "modèle de financement"),
    ("York", "York"),
    ("Halton", "Halton"),
    ("Stratford–Bruce Peninsula", "Stratford–Bruce Peninsula"),  # the rollout table's en dash
    ("Kingston–Pembroke", "Kingston–Pembroke"),
    ("Toronto", "Toronto"),
    ("Northeast", "Nord-Est"),
    ("Northwest", "Nord-Ouest"),
    (
        "Ministry of Labour, Immigration, Training and Skills Development",
        "ministère du Travail, de l'Immigration, de la Formation et du Développement des compétences",
    ),
    (
        "Ministry of Children, Community and Social Services",
        "ministère des Services à l'enfance et des Services sociaux et communautaires",
    ),
]


def test_english_texts_write_the_catchment_areas_as_their_pages_do():
    """With the en dash of the ministry's rollout table (the FAQ of January 2023 used a hyphen):
    an answer and the page of its catchment area say the same name."""
    import yaml

    areas = yaml.safe_load((ROOT / "content/catchment-areas.yml").read_text("utf-8"))
    names = [area["en"]["name"] for area in areas if "–" in area["en"]["name"]]
    assert "Kingston–Pembroke" in names
    texts = {str(p): p.read_text("utf-8") for p in (ROOT / "content/en").rglob("*.md")}
    timeline = yaml.safe_load((ROOT / "content/timeline.yml").read_text("utf-8"))
    texts.update({f"timeline.yml event {n}": event["en"] for n, event in enumerate(timeline)})
    for name in names:
        hyphenated = name.replace("–", "-")
        assert [where for where, text in texts.items() if hyphenated in text] == [], hyphenated


def page_text(frozen, lang: str) -> str:
    """All visible text of the built pages of one language."""
    texts = []
    for page in sorted((frozen / lang).rglob("index.html")):
        html = page.read_text(encoding="utf-8")
        html = re.sub(r"<script.*?</script>|<[^>]+>", " ", html, flags=re.S)
        texts.append(unescape(html))
    return " ".join(" ".join(texts).split(" "))


@pytest.fixture(scope="module")
def built_text(frozen):
    return {lang: page_text(frozen, lang) for lang in ("en", "fr")}


@pytest.mark.parametrize("english,french", FACTS, ids=[f[0] for f in FACTS])
def test_each_source_fact_is_on_the_built_site_in_both_languages(built_text, english, french):
    assert english in built_text["en"]
    assert french.casefold() in built_text["fr"].casefold()


MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
FULL_DATE = re.compile(rf"\b({MONTHS}) (\d{{1,2}}), (\d{{4}})")
MONTH_YEAR = re.compile(rf"\b({MONTHS}) (\d{{4}})\b")
NUMBER = re.compile(r"\b\d{1,3}(?:,\d{3})+\b")
PERCENT = re.compile(r"\b(\d+)%")


def french_forms(english_text: str) -> set[str]:
    """The French form of every date, month, number and percentage in an English text."""
    forms = set()
    for month, day, year in FULL_DATE.findall(english_text):
        date = dt.datetime.strptime(f"{month} {day} {year}", "%B %d %Y").date()
        forms.add(long_date(date, "fr"))
    for month, year in MONTH_YEAR.findall(FULL_DATE.sub("", english_text)):
        date = dt.datetime.strptime(f"{month} 1 {year}", "%B %d %Y").date()
        forms.add(format_date(date, "LLLL y", locale="fr_CA"))
    for number in NUMBER.findall(english_text):
        forms.add(format_decimal(int(number.replace(",", "")), locale="fr_CA"))
    for percent in PERCENT.findall(english_text):
        forms.add(f"{percent}{NBSP}%")
    return forms


def test_each_french_entry_has_the_facts_of_its_english_entry(site):
    missing = []
    for en in site.entries_in("en"):
        fr = site.translation(en)
        english = " ".join([en.title, en.period, en.text])
        french = " ".join([fr.title, fr.period, fr.text]).casefold()
        for form in sorted(french_forms(english)):
            # A month range in French names the year once: "de février à avril 2023".
            month = form.rsplit(" ", 1)[0]
            if form.casefold() not in french and not (
                re.fullmatch(r"[^\d\s]+ \d{4}", form)
                and f"{month} " in french
                and form[-4:] in french
            ):
                missing.append(f"{fr.path}: {form!r} (from {en.path})")
    assert missing == []


def test_french_typography(site):
    problems = []
    for fr in site.entries_in("fr"):
        text = " ".join([fr.title, fr.period, fr.summary or "", fr.text])
        for pattern, rule in (
            (r"\d \d{3}\b", "thousands need a no-break space"),
            (r"\d ?%", "percent needs a no-break space"),
            (r"\w :", "a colon needs a no-break space before it"),
            (
                r"\b1 (janvier|février|mars|avril|mai|juin|juillet|août|septembre"
                r"|octobre|novembre|décembre)",
                "the first of the month is 1er",
            ),
            (r"[«] |[^\s\u00a0]»| [»]", "guillemets need no-break spaces"),
            (r"\s[;!?]", "no space before ; ! ? in Canadian usage"),
        ):
            for match in re.finditer(pattern, text):
                problems.append(f"{fr.path}: {rule}: {match.group(0)!r}")
    assert problems == []


# The official rollout table (Employment Ontario Partners' Gateway), as the catchment pages must
# show it: area in English and French, phase, SSM in English and French, the planning and
# transition periods and the start of IES delivery, in both languages.
TBA_EN, TBA_FR = "to be announced", "à communiquer"
CATCHMENT_TABLE = [
    (
        "Hamilton–Niagara Peninsula",
        "Hamilton–Niagara Peninsula",
        "Prototypes",
        "Fedcap Canada",
        "Fedcap Canada",
        "January to December 2020",
        "de janvier à décembre 2020",
        "January 2021",
        "janvier 2021",
    ),
    (
        "Muskoka–Kawarthas",
        "Muskoka–Kawarthas",
        "Prototypes",
        "Fleming College",
        "Collège Fleming",
        "January to December 2020",
        "de janvier à décembre 2020",
        "January 2021",
        "janvier 2021",
    ),
    (
        "Peel",
        "Peel",
        "Prototypes",
        "WCG International Consultants Ltd.",
        "WCG International Consultants Ltd.",
        "January to December 2020",
        "de janvier à décembre 2020",
        "January 2021",
        "janvier 2021",
    ),
    (
        "Halton",
        "Halton",
        "Phase 1",
        "Fedcap Canada",
        "Fedcap Canada",
        "April 2022 to March 2023",
        "d'avril 2022 à mars 2023",
        "April 2023",
        "avril 2023",
    ),
    (
        "Kingston–Pembroke",
        "Kingston–Pembroke",
        "Phase 1",
        "Serco Canada",
        "Serco Canada",
        "September 2022 to September 2023",
        "de septembre 2022 à septembre 2023",
        "October 2023",
        "octobre 2023",
    ),
    (
        "Stratford–Bruce Peninsula",
        "Stratford–Bruce Peninsula",
        "Phase 1",
        "The Corporation of the County of Bruce",
        "The Corporation of the County of Bruce",
        "April 2022 to March 2023",
        "d'avril 2022 à mars 2023",
        "April 2023",
        "avril 2023",
    ),
    (
        "York",
        "York",
        "Phase 1",
        "WCG International Consultants Ltd.",
        "WCG International Consultants Ltd.",
        "April 2022 to March 2023",
        "d'avril 2022 à mars 2023",
        "April 2023",
        "avril 2023",
    ),
    (
        "Durham",
        "Durham",
        "Phase 2",
        "Region of Durham",
        "Région de Durham",
        "January to December 2023",
        "de janvier à décembre 2023",
        "January 2024",
        "janvier 2024",
    ),
    (
        "Kitchener–Waterloo–Barrie",
        "Kitchener–Waterloo–Barrie",
        "Phase 2",
        "Serco Canada",
        "Serco Canada",
        "January to December 2023",
        "de janvier à décembre 2023",
        "January 2024",
        "janvier 2024",
    ),
    (
        "London",
        "London",
        "Phase 2",
        "City of London",
        "Ville de London",
        "January to December 2023",
        "de janvier à décembre 2023",
        "January 2024",
        "janvier 2024",
    ),
    (
        "Ottawa",
        "Ottawa",
        "Phase 2",
        "WCG International Consultants Ltd.",
        "WCG International Consultants Ltd.",
        "January to December 2023",
        "de janvier à décembre 2023",
        "January 2024",
        "janvier 2024",
    ),
    (
        "Windsor–Sarnia",
        "Windsor–Sarnia",
        "Phase 2",
        "City of Windsor",
        "Ville de Windsor",
        "January to December 2023",
        "de janvier à décembre 2023",
        "January 2024",
        "janvier 2024",
    ),
    ("Northeast", "Nord-Est", "Phase 3", TBA_EN, TBA_FR, TBA_EN, TBA_FR, TBA_EN, TBA_FR),
    ("Northwest", "Nord-Ouest", "Phase 3", TBA_EN, TBA_FR, TBA_EN, TBA_FR, TBA_EN, TBA_FR),
    ("Toronto", "Toronto", "Phase 3", TBA_EN, TBA_FR, TBA_EN, TBA_FR, TBA_EN, TBA_FR),
]
# The FAQ's finer dates for the same periods, shown beside the table's.
FINER = {
    "Peel": ("January 1, 2021", "1er janvier 2021"),
    "York": ("July 2022 to March 2023", "de juillet 2022 à mars 2023"),
    "Kingston–Pembroke": (
        "January 1, 2023 to September 30, 2023",
        "du 1er janvier 2023 au 30 septembre 2023",
    ),
    "Ottawa": ("February to April 2023", "de février à avril 2023"),
}


def catchment_pages(frozen) -> dict[tuple[str, str], str]:
    """(lang, h1) → the visible text of each built catchment page."""
    pages = {}
    for lang, section in (("en", "catchment-areas"), ("fr", "regions-designees")):
        for page in sorted((frozen / lang / section).glob("*/index.html")):
            html = page.read_text(encoding="utf-8")
            heading = unescape(re.search(r"<h1>(.*?)</h1>", html).group(1))
            text = unescape(re.sub(r"<script.*?</script>|<[^>]+>", " ", html, flags=re.S))
            pages[lang, heading] = re.sub(r"[ \t\r\n]+", " ", text)  # no-break spaces kept
    return pages


def test_the_catchment_table_is_on_the_built_pages_in_both_languages(frozen):
    pages = catchment_pages(frozen)
    assert len(pages) == 2 * len(CATCHMENT_TABLE) == 30
    for en, fr, phase, ssm_en, ssm_fr, span_en, span_fr, ies_en, ies_fr in CATCHMENT_TABLE:
        english, french = pages["en", en], pages["fr", fr]
        for fact in (phase, ssm_en, span_en, ies_en):
            assert fact in english, (en, fact)
        for fact in (phase, ssm_fr, span_fr, ies_fr):
            assert fact in french, (fr, fact)
    for name, (finer_en, finer_fr) in FINER.items():
        assert finer_en in pages["en", name] and finer_fr in pages["fr", name], name


def test_the_catchment_list_groups_all_15_areas_by_phase(built_text, frozen):
    for lang, section in (("en", "catchment-areas"), ("fr", "regions-designees")):
        html = (frozen / lang / section / "index.html").read_text(encoding="utf-8")
        groups = re.findall(r'<h2 id="([a-z0-9-]+)">', html)
        assert groups == ["prototype", "phase-1", "phase-2", "phase-3"]
        listed = re.findall(rf'href="/{lang}/{section}/([a-z-]+)/"', html)
        assert len(set(listed)) == 15


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_footer_names_the_faq_by_its_own_title(lang):
    """The footer's list of sources (content/site.yml) and the answers' citations
    (content/sources.yml) give the ministry's document one title: its own."""
    import yaml

    site = yaml.safe_load((ROOT / "content" / "site.yml").read_text("utf-8"))
    sources = yaml.safe_load((ROOT / "content" / "sources.yml").read_text("utf-8"))
    cited = sources["ets-faq-2023-01"][lang]["title"].split(", ")[0]  # without the ministry
    footer = [source[lang]["title"] for source in site["sources"]]
    assert any(title.startswith(f"{cited} (") for title in footer), (cited, footer)
