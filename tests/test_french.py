"""The French a reader sees uses the ministry's terms and French typography, and French lists
sort as French readers expect."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
import yaml

from kb.catalog import load
from kb.i18n import collation_key
from kb.scaffold import BODY, PERIOD, STATUS_NOTE
from kb.taxonomy import AUDIENCES, PHASES

ROOT = Path(__file__).resolve().parent.parent
NBSP = "\u00a0"
SCAFFOLD_TEXTS = {"PERIOD": PERIOD, "STATUS_NOTE": STATUS_NOTE, "BODY": BODY}

# Terms the ministry's own French (Employment Ontario Partners' Gateway) does not use, each with
# the form that replaced it.
RETIRED = {
    r"zones? desservies?": "région désignée",
    r"\bzones?\b": "région désignée",
    r"MSESSC": "MSESC",
    r"Connexion Emploi jeunesse": "Programme d'accès à l'emploi pour les jeunes",
    r"péninsule de Bruce": "Stratford–Bruce Peninsula (unchanged, en dash)",
    r"Stratford-Bruce|Kingston-Pembroke": "the en dash of the official table",
    r"intendant|intendance": "gérance",
    r"mobilisation des fournisseurs|fournisseurs potentiels": "proposants",
    r"plan d'intégration|intégration des (zones|régions)": "accueil (onboarding)",
    r"contrat demeure": "vous conservez votre contrat",
    r"commencent pleinement": "la mise en œuvre complète … commence",
    r"garder stable": "préserver la stabilité",
    r"dès qu'il le pourra": "lorsqu'ils seraient connus",
    r"clients spécialisés": "groupes de clientèle ayant des besoins particuliers",
    r"\borganisations?\b": "organismes",
    r"\bchargés de cas": "chargés et chargées de cas",
    r"nouveaux arrivants": "personnes nouvellement arrivées",
    r"telles que prévues": "telles qu'elles étaient prévues",
    r"d'accès à l'emploi et d'accès aux emplois": "each youth program's full name",
    r"\bde [a-zéû]+ (\d{4}) à [a-zéû]+ \1\b": "de février à avril 2023 (one year, written once)",
}


def french_texts() -> list[tuple[str, str]]:
    """(where, text) for every French string readers see, outside the search synonyms."""
    texts = [
        (str(p.relative_to(ROOT)), p.read_text("utf-8"))
        for p in sorted((ROOT / "content" / "fr").rglob("*.md"))
    ]
    for item in yaml.safe_load((ROOT / "content" / "glossary.yml").read_text("utf-8")):
        texts += [(f"glossary.yml {item['id']}", str(v)) for v in item["fr"].values()]
    for event in yaml.safe_load((ROOT / "content" / "timeline.yml").read_text("utf-8")):
        texts.append((f"timeline.yml {event['date']}", event["fr"]))
    for id, topic in yaml.safe_load((ROOT / "content" / "topics.yml").read_text("utf-8")).items():
        texts.append((f"topics.yml {id}", topic["fr"]["label"]))
    for term in [*PHASES.values(), *AUDIENCES.values()]:
        texts += [
            (f"kb/taxonomy.py {term.id}", term.labels["fr"]),
            (f"kb/taxonomy.py {term.id}", term.descriptions["fr"]),
        ]
    # The editors' guide in French, its code blocks aside (what kb reads is written as it is).
    guide = (ROOT / "docs" / "editing.fr.md").read_text("utf-8")
    texts.append(("docs/editing.fr.md", re.sub(r"```.*?```", "code", guide, flags=re.S)))
    # What kb new writes into a French file, which editors copy.
    texts += [(f"kb/scaffold.py {name}", text["fr"]) for name, text in SCAFFOLD_TEXTS.items()]
    texts += [
        (f"messages.po {m.id!r}", s)
        for m in load()
        if m.id
        for s in ([m.string] if isinstance(m.string, str) else m.string)
    ]
    return texts


@pytest.mark.parametrize("pattern", RETIRED)
def test_no_retired_term_comes_back_in_french(pattern):
    found = [
        f"{where}: {match.group(0)!r}"
        for where, text in french_texts()
        for match in re.finditer(pattern, text)
    ]
    assert found == [], f"use {RETIRED[pattern]!r} instead"


def test_search_synonyms_use_the_ministry_terms_too():
    text = (ROOT / "content" / "synonyms.yml").read_text("utf-8")
    for retired in (
        "zone desservie",
        "zones desservies",
        "MSESSC",
        "Connexion Emploi jeunesse",
        "Stratford–péninsule de Bruce",
        "fournisseur potentiel",
    ):
        assert retired not in text


def test_french_typography_outside_the_entries():
    # tests/test_facts.py checks the entries; these are the data files, labels and interface.
    problems = []
    for where, text in french_texts()[len(list((ROOT / "content" / "fr").rglob("*.md"))) :]:
        # What an editor types as it is ('id: x', `kb sync`) and a message's path:line: are code.
        text = re.sub(r"'[^'\s]*:[^']*'|`[^`]*`|%\(\w+\)s:\d+:", "code", text)
        for pattern, rule in (
            (r"\d \d{3}\b", "thousands need a no-break space"),
            (r"\d ?%", "percent needs a no-break space"),
            (r" :|\w:(?=\s|$)", "a colon needs a no-break space before it"),
            (r"« |[^\s\u00a0]»| »", "guillemets need no-break spaces"),
            (r"\s[;!?]", "no space before ; ! ? in Canadian usage"),
        ):
            problems += [f"{where}: {rule}: {m.group(0)!r}" for m in re.finditer(pattern, text)]
    assert problems == []


def test_no_french_address_says_zones(site):
    assert [e.slug for e in site.entries_in("fr") if "zone" in e.slug] == []
    assert site.get("fr", "prototype-results").slug == "resultats-des-regions-designees-prototypes"


def test_french_file_names_changed_with_their_term(client):
    assert (
        client.get("/fr/questions/resultats-des-regions-designees-prototypes/").status_code == 200
    )
    assert client.get("/fr/questions/resultats-des-zones-prototypes/").status_code == 404


def test_place_names_keep_the_en_dash_of_the_official_table():
    assert PHASES["phase-1"].descriptions["en"] == (
        "York, Halton, Stratford–Bruce Peninsula and Kingston–Pembroke."
    )
    assert PHASES["phase-1"].descriptions["fr"] == (
        "York, Halton, Stratford–Bruce Peninsula et Kingston–Pembroke."
    )


def test_phase_3_card_has_a_no_break_space_before_its_colon(client):
    html = client.get("/fr/").get_data(as_text=True)
    assert f"Nord-Ouest{NBSP}: les dernières régions désignées" in html


# Collation --------------------------------------------------------------------------------------


def test_collation_ignores_accents_and_case_before_breaking_ties_with_them():
    words = [
        "modèle",
        "aide sociale",
        "Mécanisme",
        "aide à l'emploi",
        "œuvre",
        "ordre",
        "école",
        "Emploi",
        "élan",
        "ecole",
    ]
    assert sorted(words, key=collation_key) == [
        "aide à l'emploi",
        "aide sociale",
        "ecole",
        "école",
        "élan",
        "Emploi",
        "Mécanisme",
        "modèle",
        "œuvre",
        "ordre",
    ]


def glossary_terms(client, path: str) -> list[str]:
    html = client.get(path).get_data(as_text=True)
    return [
        unescape(re.sub(r" \(.*\)$", "", t))
        for t in re.findall(r'<dt id="[^"]+">([^<]+)</dt>', html)
    ]


def test_french_glossary_is_in_french_alphabetical_order(client):
    terms = glossary_terms(client, "/fr/glossaire/")
    assert len(terms) > 30
    assert terms.index("aide à l'emploi d'Ontario au travail") < terms.index("aide sociale")
    assert terms.index("mécanisme de règlement des différends") < terms.index(
        "modèle de financement"
    )
    assert (
        terms.index("Emploi Ontario")
        < terms.index("gérance du système")
        < terms.index("région désignée")
        < terms.index("régions désignées prototypes")
    )


def topic_labels(html: str, pattern: str) -> list[str]:
    return [unescape(label) for label in re.findall(pattern, html)]


@pytest.mark.parametrize(
    "path, search",
    [("/fr/sujets/", "/fr/recherche/"), ("/en/topics/", "/en/search/")],
)
def test_topic_lists_are_in_alphabetical_order_of_the_page_language(client, path, search):
    """The topics page and the search page's topics read in the page's own alphabetical order
    (French collation: « Intégration » among the I's), not in content/topics.yml's."""
    cards = topic_labels(
        client.get(path).get_data(as_text=True),
        r'<li><a href="[^"]+/(?:sujets|topics)/[^"]+">([^<]+)</a>',
    )
    assert len(cards) >= 10
    assert cards == sorted(cards, key=collation_key)
    page = client.get(search).get_data(as_text=True)
    browse = topic_labels(page, r'<li><a href="[^"]+/(?:sujets|topics)/[^"/]+/">([^<]+)</a></li>')
    assert browse == cards
    if path.startswith("/fr/"):
        assert cards.index("Intégration de l'aide sociale") < cards.index(
            "Planification et prestation des services"
        )
        assert cards[0] == "Consultation et mobilisation"


def test_an_accented_topic_sorts_among_its_letter(tmp_path):
    """« Évaluation » comes before « Financement » (code points would put É after every letter)."""
    from kb.app import create_app
    from kb.content import load_site

    from support import make_site, pair

    root = make_site(tmp_path, pair())
    topics = root / "content" / "topics.yml"
    topics.write_text(
        topics.read_text("utf-8")
        + "evaluation:\n  en: {label: Evaluation, slug: evaluation}\n"
        + "  fr: {label: Évaluation, slug: evaluation}\n",
        "utf-8",
    )
    client = create_app({"TESTING": True, "KB_ROOT": root, "SITE": load_site(root)}).test_client()
    html = client.get("/fr/sujets/").get_data(as_text=True)
    cards = topic_labels(html, r'<li><a href="[^"]+/sujets/[^"]+">([^<]+)</a>')
    assert (
        cards.index("Évaluation")
        < cards.index("Financement et cibles")
        < cards.index("Intégration de l'aide sociale")
    )


def test_english_glossary_order_is_unchanged(client):
    terms = glossary_terms(client, "/en/glossary/")
    assert terms == sorted(terms, key=str.casefold)


# Interface ----------------------------------------------------------------------------------


def test_search_heading_and_button_are_two_french_words(client):
    html = client.get("/fr/recherche/").get_data(as_text=True)
    assert "<h1>Recherche</h1>" in html
    assert re.search(r"<title>Recherche\b", html)
    assert '<button type="submit">Rechercher</button>' in html
    assert "<h1>Rechercher</h1>" not in html
    english = client.get("/en/search/").get_data(as_text=True)
    assert "<h1>Search</h1>" in english and '<button type="submit">Search</button>' in english


def test_catalog_keeps_the_two_contexts_of_search():
    catalog = load()
    assert catalog.get("Search", context="heading").string == "Recherche"
    assert catalog.get("Search", context="button").string == "Rechercher"
    assert catalog.get("Search").string == "Rechercher"
    assert catalog.get("Browse instead").string == "Parcourir les questions"


@pytest.mark.parametrize("path", ["/", "/404.html"])
def test_bilingual_pages_give_each_language_an_h1(client, path):
    html = client.get(path).get_data(as_text=True)
    sections = dict(re.findall(r'<section lang="(en|fr)">\s*<(h\d)>', html))
    assert sections == {"en": "h1", "fr": "h1"}
