"""The whole first page, the same in both runtimes: `kb search --json`'s engine and the static
page's search function in Chromium (ids, order, counts, note, suggestion, snippets, sections),
over more than 100 queries per language: a third with inflections no entry contains, a third
plain-language questions. One page; each query runs by calling the script's function."""

from __future__ import annotations

import pytest

from kb.search import engine_for

pytestmark = pytest.mark.browser

PAGES = {"en": "/en/search/", "fr": "/fr/recherche/"}
KEYWORDS = {
    "en": "transition period|planning period|IES delivery period|funding targets|SSM|GSS|"
    "Service System Manager|ODSP|POSPH|IES|apprenticeship|contract|agreement|dispute|complaint|"
    "Toronto|North|prototype|pilot|results|caseworker|Kingston-Pembroke|York Halton|"
    "market sounding|vendor|consortium|social assistance|welfare|Ontario Works|"
    "employment action plan|literacy basic skills|phase 2|phase 3 Toronto|Common Assessment Tool|"
    "ministry|system steward|francophone|newcomers|quarterly reporting|catchment area|"
    "call for proposals|Youth Job Connection|Ottawa|zebra|transition zebra|transtion|ransition|"
    "ies start date phase 2|COJG|file|many|cut",
    "fr": "période de transition|periode de transition|période de planification|prestation des SEI|"
    "financement cibles|GSS|SSM|gestionnaire de système de services|POSPH|SEI|apprentissage|"
    "contrat|entente|différends|plainte|Toronto|Nord|Nord-Ouest|prototypes|projet pilote|"
    "résultats|chargé de cas|Kingston-Pembroke|consultation du marché|proposants potentiels|"
    "aide sociale|Ontario au travail|plan d'action pour l'emploi|phase 2|phase 3 Toronto|"
    "réseau de fournisseurs|outil d'évaluation commun|ministère|petits organismes|francophones|"
    "nouveaux arrivants|rapports trimestriels|zone desservie|appel de propositions|Ottawa|"
    "région désignée|zèbre|transition zèbre|ontrat|date de début des SEI|maintenu|"
    "porter plainte contre|transtion",
}
INFLECTED = {
    "en": "offered|consulting|pilots|agency|staying|transitioning|funded providers|"
    "complaining|disputed contracts|managers|reported quarterly|integrating programs|"
    "planned periods|assessing clients|delivered services|onboarded|stewarding|"
    "submitting outcomes|proposed models|consulted vendors|sounding documents|"
    "targeted funding|caseworkers helping|agencies staying|phases ending|newcomer services|"
    "francophones served|apprenticeships offered|remaining areas|reporting obligations|"
    "transitioned offices|contracting|agreements signed|programs integrated|pilots evaluated|"
    "offering supports|consultations held|piloted models|agencies merging|stayed open|fundings|"
    "resolving disagreements|steered systems",
    "fr": "soutiens|consultations|financées|gestionnaires|prestataires|plaintes déposées|"
    "maintenus|organismes soutenus|transitions|planifiées|intégrés|rapportés|"
    "évaluations communes|prototypes évalués|régions désignées restantes|contrats signés|"
    "ententes conclues|fournisseurs consultés|programmes intégrés|bureaux transférés|"
    "apprentis|cibles atteintes|financements|chargées de cas|nouveaux arrivants servis|"
    "francophones desservis|projets pilotes|périodes prévues|résultats obtenus|"
    "propositions soumises|modèles proposés|documents de consultation|services offerts|"
    "phases terminées|différends réglés|"
    "soutenus|consultés|pilotées|organismes fusionnés|maintenues|financés|désaccords résolus|"
    "gérances",
}
QUESTIONS = {
    "en": "how do I complain about my SSM|What happens during the transition period?|"
    "Will my funding change during the transition period?|When does the IES delivery period start?|"
    "Will providers still offer apprenticeship?|which programs are in scope|"
    "how do I file a complaint against my SSM|What is Phase 1?|"
    "how many questions in the response form|Which are the prototype catchment areas?|"
    "Will the ministry introduce us to our SSM?|what changes for SSMs|"
    "who is the SSM in London|when will Toronto get its SSM|what are the prototype results|"
    "Do we keep our contract during the transition?|who decides the funding targets|"
    "How are disputes resolved?|Is literacy and basic skills in scope?|"
    "What should small agencies do now?|Where can I find the market sounding document?|"
    "Are social assistance caseworkers affected?|What does an SSM do in the planning period|"
    "How is performance measured?|When do Phase 3 areas start?|Who manages Ottawa?|"
    "Can we serve clients outside the catchment area?|What is the Common Assessment Tool?|"
    "How do newcomers get services?|What is a system steward?|Is Youth Job Connection ending?|"
    "How often do SSMs report?|Will there be a call for proposals?|What is ODSP's role?|"
    "Is there a francophone provider?|What is the IES delivery period?|Who holds the contract?|"
    "How do I become an SSM?|What changes for service providers?|Is Kingston-Pembroke done?|"
    "What is market sounding?|Do caseworkers refer clients?|What is in the response form?|"
    "When does the planning period end?",
    "fr": "comment porter plainte contre le GSS|Que se passe-t-il pendant la période de transition?|"
    "Mon financement changera-t-il pendant la transition?|Quand commence la période de prestation des SEI?|"
    "Les fournisseurs offriront-ils encore l'apprentissage?|quels programmes sont visés|"
    "Qu'est-ce que la phase 1?|combien de questions dans le formulaire de réponse|"
    "Quelles sont les régions désignées du prototype?|Le ministère nous présentera-t-il notre GSS?|"
    "qu'est-ce qui change pour les GSS|qui est le GSS de London|quand Toronto aura-t-il son GSS|"
    "quels sont les résultats du prototype|Gardons-nous notre contrat pendant la transition?|"
    "qui fixe les cibles de financement|Comment les différends sont-ils réglés?|"
    "L'alphabétisation est-elle visée?|Que doivent faire les petits organismes?|"
    "Où trouver le document de consultation du marché?|Les chargés de cas sont-ils touchés?|"
    "Que fait un GSS pendant la planification|Comment le rendement est-il mesuré?|"
    "Quand commencent les régions de la phase 3?|Qui gère Ottawa?|"
    "Peut-on servir des clients hors de la région désignée?|Qu'est-ce que l'outil d'évaluation commun?|"
    "Comment les nouveaux arrivants obtiennent-ils des services?|Qu'est-ce que la gérance du système?|"
    "Accès à l'emploi pour les jeunes prend-il fin?|À quelle fréquence les GSS font-ils rapport?|"
    "Y aura-t-il un appel de propositions?|Quel est le rôle du POSPH?|"
    "Y a-t-il un fournisseur francophone?|comment déposer une plainte|"
    "Qu'est-ce que la période de prestation des SEI?|Qui détient le contrat?|"
    "Comment devenir GSS?|Qu'est-ce qui change pour les fournisseurs?|"
    "Kingston-Pembroke est-il terminé?|Qu'est-ce que la consultation du marché?|"
    "Les chargés de cas orientent-ils les clients?|Que contient le formulaire de réponse?|"
    "Quand se termine la période de planification?",
}


def _queries(lang: str) -> list[str]:
    inflected, questions = INFLECTED[lang].split("|"), QUESTIONS[lang].split("|")
    # As many keyword queries as the smaller of the other kinds: each kind is a third.
    keywords = KEYWORDS[lang].split("|")[: min(len(inflected), len(questions))]
    return keywords + inflected + questions


def server_page(site, lang: str, query: str) -> dict:
    results = engine_for(site).search(lang, query)
    return {
        "total": results.total,
        "relaxed": results.relaxed,
        "suggestion": results.suggestion,
        "counts": {
            kind: {k: v for k, v in counts.items() if v} for kind, counts in results.counts.items()
        },
        "hits": [
            {
                key: hit.as_json()[key]
                for key in (
                    "id",
                    "title",
                    "url",
                    "phase",
                    "audiences",
                    "score",
                    "snippet",
                    "sections",
                )
            }
            for hit in results.hits
        ],
    }


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_first_page_is_the_same_in_both_runtimes(site, frozen_server, page, lang):
    queries = _queries(lang)
    assert len(queries) >= 100
    assert len(INFLECTED[lang].split("|")) >= len(queries) // 3
    assert len(QUESTIONS[lang].split("|")) >= len(queries) // 3
    page.goto(f"{frozen_server}{PAGES[lang]}")
    page.wait_for_function("typeof kbSearch === 'function'")
    found = page.evaluate(
        "async (queries) => { const out = []; "
        "for (const q of queries) out.push(await kbSearch(q)); return out; }",
        queries,
    )
    wrong = []
    for query, static in zip(queries, found, strict=True):
        expected = server_page(site, lang, query)
        if static != expected:
            wrong.append(f"{query!r}:\n  static {static}\n  server {expected}")
    assert not wrong, f"{len(wrong)} of {len(queries)} differ:\n" + "\n".join(wrong[:5])


def test_sub_results_link_to_sections_and_the_answer_is_highlighted_on_arrival(frozen_server, page):
    page.goto(f"{frozen_server}/en/search/?q=dispute+resolution+reporting")
    page.wait_for_selector("#search-results[data-done]")
    first = page.locator(".search-hits > li").first
    links = first.locator(".sub-results a")
    assert 1 <= links.count() <= 3
    href = links.first.get_attribute("href")
    assert "?hl=" in href and "#" in href
    links.first.click()
    page.wait_for_selector("[data-highlighted]")
    assert page.locator(".answer mark").count() > 0
    anchor = href.split("#")[1]
    assert page.locator(f"[id='{anchor}']").count() == 1
    # Without a query, nothing is marked.
    page.goto(page.url.split("?")[0])
    page.wait_for_load_state("load")
    assert page.locator(".answer mark").count() == 0
