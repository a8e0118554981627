"""Every page type through the Flask test client, in English and French."""

from __future__ import annotations

from html import escape, unescape

import pytest

from kb.taxonomy import AUDIENCES, PHASES

from support import ROOT, toggle_href


def test_splash_offers_both_languages(client):
    html = client.get("/").get_data(as_text=True)
    assert 'href="/en/"' in html and 'href="/fr/"' in html
    assert '<section lang="fr">' in html


@pytest.mark.parametrize(
    "lang,heading",
    [
        ("en", "Employment Services Transformation: questions and answers"),
        ("fr", "Transformation des services d'emploi\u00a0: questions et réponses"),
    ],
)
def test_home_page_per_language(client, lang, heading):
    html = client.get(f"/{lang}/").get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    assert heading in unescape(html)
    assert toggle_href(html) == f"/{'fr' if lang == 'en' else 'en'}/"


def test_entry_page_and_its_toggle_to_the_translation(client, site):
    en = site.get("en", "phase-2-contracts-sites-outside")
    fr = site.translation(en)
    html = client.get(f"/en/questions/{en.slug}/").get_data(as_text=True)
    assert f"<h1>{en.title}</h1>".replace("'", "&#39;") in html
    assert toggle_href(html) == f"/fr/questions/{fr.slug}/"
    assert "April 30, 2023" in html
    html_fr = client.get(f"/fr/questions/{fr.slug}/").get_data(as_text=True)
    assert toggle_href(html_fr) == f"/en/questions/{en.slug}/"
    assert '<html lang="fr">' in html_fr
    assert "30 avril 2023" in html_fr


def test_every_entry_page_renders_in_both_languages(client, site):
    for entry in site.entries_in("en") + site.entries_in("fr"):
        response = client.get(f"/{entry.lang}/questions/{entry.slug}/")
        assert response.status_code == 200, entry.path


@pytest.mark.parametrize("lang,modified", [("en", "November 25, 2026"), ("fr", "25 novembre 2026")])
def test_date_modified_is_formatted_per_locale(client, site, lang, modified):
    entry = site.get(lang, "prototype-results")  # updated 2026-11-25
    html = client.get(f"/{lang}/questions/{entry.slug}/").get_data(as_text=True)
    label = "Date modified:" if lang == "en" else "Date de modification\u00a0:"
    main = html.split('<main id="main"')[1].split("</main>")[0]  # in a landmark, with the page
    assert f'{label} <time datetime="{entry.updated.isoformat()}">{modified}</time>' in main


def test_entry_list_groups_every_entry_by_phase(client, site):
    for lang, path in (("en", "/en/questions/"), ("fr", "/fr/questions/")):
        html = client.get(path).get_data(as_text=True)
        for entry in site.entries_in(lang):
            assert f'href="/{lang}/questions/{entry.slug}/"' in html


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_phase_audience_and_topic_pages(client, site, lang):
    other = "fr" if lang == "en" else "en"
    for kind, terms, endpoint in (
        ("phases", PHASES, "phases"),
        ("audiences", AUDIENCES, {"en": "audiences", "fr": "publics"}),
        ("topics", site.topics, {"en": "topics", "fr": "sujets"}),
    ):
        section = endpoint if isinstance(endpoint, str) else endpoint[lang]
        for term in terms.values():
            response = client.get(f"/{lang}/{section}/{term.slug(lang)}/")
            assert response.status_code == 200, (kind, term.id)
            html = response.get_data(as_text=True)
            assert toggle_href(html).startswith(f"/{other}/")
            assert term.slug(other) in toggle_href(html)


@pytest.mark.parametrize(
    "path",
    [
        "/en/glossary/",
        "/fr/glossaire/",
        "/en/timeline/",
        "/fr/calendrier/",
        "/en/topics/",
        "/fr/sujets/",
        "/en/search/",
        "/fr/recherche/",
    ],
)
def test_glossary_timeline_topics_search(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert 'class="lang-toggle"' in response.get_data(as_text=True)


def test_french_timeline_uses_french_dates(client):
    html = client.get("/fr/calendrier/").get_data(as_text=True)
    assert "1er janvier 2021" in html and "1er janvier 2024" in html
    assert "février 2023" in html


def test_glossary_pairs_each_term_with_its_french_form(client):
    html = client.get("/en/glossary/").get_data(as_text=True)
    assert "Service System Manager (SSM)" in html
    assert '<span lang="fr">gestionnaire de système de services (GSS)</span>' in html


def test_unknown_page_is_a_bilingual_404(client):
    response = client.get("/en/questions/no-such-question/")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Page not found" in html and "Page introuvable" in html


def test_every_page_has_a_skip_link_and_landmarks(client):
    html = client.get("/fr/").get_data(as_text=True)
    assert '<a class="skip-link" href="#main">Passer au contenu principal</a>' in html
    assert '<main id="main"' in html and "<header" in html and "<footer" in html


def test_drafts_are_hidden_unless_the_development_server_shows_them(tmp_path):
    from kb.app import create_app

    from support import make_site, pair

    root = make_site(tmp_path, pair(status="draft"))
    published = create_app({"TESTING": True, "KB_ROOT": root}).test_client()
    assert published.get("/en/questions/planning/").status_code == 404
    preview = create_app({"TESTING": True, "KB_ROOT": root, "KB_DRAFTS": True}).test_client()
    html = preview.get("/en/questions/planning/").get_data(as_text=True)
    assert 'class="draft-banner"' in html


def test_lists_group_entries_by_phase_in_order(site):
    """kb.rendering.in_phases: the phases that have entries, in the phases' order, each with its
    entries in reading order (what by_phase in templates/_macros.html shows)."""
    from kb.rendering import in_phases
    from kb.taxonomy import PHASES

    entries = site.entries_in("en")
    groups = in_phases(reversed(entries))
    assert [phase.id for phase, _ in groups] == [
        p for p in PHASES if any(e.phase == p for e in entries)
    ]
    for phase, items in groups:
        assert items == [e for e in reversed(entries) if e.phase == phase.id]
    assert in_phases([]) == []


def test_list_items_follow_the_site_they_are_rendered_for(site):
    """kb.rendering.list_items keeps each rendered item for the current Site: an entry changed in
    a new Site (a reload of the preview) is listed as it is now, in both languages."""
    import dataclasses

    from kb.app import create_app

    app = create_app({"TESTING": True, "KB_ROOT": ROOT, "SITE": site})
    client = app.test_client()
    for lang in ("en", "fr"):
        first = site.entries_in(lang)[0]
        url = f"/{lang}/questions/"  # all questions, page 1
        before = client.get(url).get_data(as_text=True)
        assert f">{escape(first.title)}</a>" in before
        changed = dataclasses.replace(first, title=f"{first.title} (changed)")
        entries = {**site.entries, (lang, first.id): changed}
        app.extensions["kb"]._site = dataclasses.replace(site, entries=entries)
        after = client.get(url).get_data(as_text=True)
        assert f">{escape(changed.title)}</a>" in after
        (kept_for, _), items = app.extensions["kb_list_items"]
        assert kept_for is app.extensions["kb"]._site  # the last Site's items let go
        assert all(entry is not first for entry, _ in items.values())
        app.extensions["kb"]._site = site
        assert client.get(url).get_data(as_text=True) == before
    # A template edited in the preview (its cache cleared, as kb.preview does): a new template,
    # and the items rendered with the old one let go.
    (_, old_macros), _ = app.extensions["kb_list_items"]
    app.jinja_env.cache.clear()
    assert client.get("/fr/questions/").get_data(as_text=True)
    (_, macros), items = app.extensions["kb_list_items"]
    assert macros is not old_macros
    assert len(items) <= len(site.entries_in("fr"))


def test_cited_sources_are_the_macros_own_and_follow_the_site_and_template(site):
    """kb.rendering.cited_sources keeps the sources line of each list of ids: it is what
    _sources.html's macro gives, per language; a source changed in a new Site (a reload of the
    preview) and an edited template show on the next page."""
    import dataclasses

    from kb.app import create_app
    from kb.i18n import use_lang
    from kb.rendering import cited_sources

    app = create_app({"TESTING": True, "KB_ROOT": ROOT, "SITE": site})
    client = app.test_client()
    cited = [e for e in site.entries.values() if e.sources]
    assert cited
    direct = app.jinja_env.from_string(
        '{% from "_sources.html" import sources_line %}{{ sources_line(ids, lang, sources) }}'
    )
    lines = {}
    for entry in cited:
        with app.test_request_context(f"/{entry.lang}/"):
            use_lang(entry.lang)  # as a page's URL does (kb.rendering.pull_lang)
            kept = cited_sources(entry.sources, entry.lang)
            assert kept == direct.render(ids=entry.sources, lang=entry.lang, sources=site.sources)
            assert cited_sources(list(entry.sources), entry.lang) is kept  # kept, not made again
            lines[entry.lang, entry.sources] = kept
        page = client.get(f"/{entry.lang}/questions/{entry.slug}/").get_data(as_text=True)
        assert kept in page
    some = next(iter(site.sources))
    assert any(some in ids for _, ids in lines)
    assert len({line for (lang, ids), line in lines.items() if some in ids}) >= 2  # per language
    for lang in ("en", "fr"):
        entry = next(e for e in cited if e.lang == lang and some in e.sources)
        url = f"/{lang}/questions/{entry.slug}/"
        title = f"A renamed source ({lang})"
        source = site.sources[some]
        renamed = dataclasses.replace(source, titles={**source.titles, lang: title})
        app.extensions["kb"]._site = dataclasses.replace(
            site, sources={**site.sources, some: renamed}
        )
        assert escape(title) in client.get(url).get_data(as_text=True)
        app.extensions["kb"]._site = site
        assert escape(title) not in client.get(url).get_data(as_text=True)
    # A template edited in the preview (its cache cleared, as kb.preview does).
    (_, old_template), _ = app.extensions["kb_cited_sources"]
    app.jinja_env.cache.clear()
    entry = next(e for e in cited if e.lang == "en")
    assert client.get(f"/en/questions/{entry.slug}/").status_code == 200
    (_, template), _ = app.extensions["kb_cited_sources"]
    assert template is not old_template


def test_the_footer_follows_the_site_configuration(site):
    """kb.rendering.fragment renders the footer once per language and configuration: a new
    content/site.yml (a reload of the preview) shows on the next page, in both languages."""
    import dataclasses

    from kb.app import create_app

    app = create_app({"TESTING": True, "KB_ROOT": ROOT, "SITE": site})
    client = app.test_client()
    publisher = {"en": "A new publisher", "fr": "Un nouvel éditeur"}
    config = dataclasses.replace(site.config, publisher=publisher)
    for lang in ("en", "fr"):
        assert publisher[lang] not in client.get(f"/{lang}/").get_data(as_text=True)
    app.extensions["kb"]._site = dataclasses.replace(site, config=config)
    for lang in ("en", "fr"):
        page = client.get(f"/{lang}/").get_data(as_text=True)
        assert escape(publisher[lang]) in page
        assert page.count('<footer class="site-footer">') == 1
