"""Thin views over the Site: one URL rule per language, the language carried in g.lang.

The shared parts are in kb.rendering; the lists in kb.list_views, the catchment pages in
kb.catchment_views, all on the same blueprint (endpoints pages.*)."""

from __future__ import annotations

from flask import abort, current_app, g, render_template, request, url_for

from kb import catchment_views, list_views  # noqa: F401 (their routes, on the same blueprint)
from kb.app import current_site
from kb.i18n import collation_key, current_lang
from kb.rendering import (  # noqa: F401 (kb.views.bp…)
    LOCALIZED,
    bp,
    entries,
    render,
    root_bp,
    route,
    topics_in_order,
)
from kb.taxonomy import AUDIENCES, LANG_NAMES, LANGS, OTHER_LANG, PHASES
from kb.translation import state as translation_state
from kb.urlcache import cached_url_for


@root_bp.route("/")
def splash() -> str:
    g.lang = "en"
    return render_template("splash.html", lang_names=LANG_NAMES, langs=LANGS)


@route("home", None)
def home() -> str:
    latest = sorted(entries(), key=lambda e: (e.updated, e.title), reverse=True)[:5]
    return render("home.html", latest=latest)


@route("entry", "entries", "<slug>")
def entry(slug: str) -> str:
    site, app, lang = current_site(), current_app._get_current_object(), current_lang()
    drafts = app.config["KB_DRAFTS"]
    page = site.by_slug(lang, slug)
    if page is None or (page.draft and not drafts):
        abort(404)
    translation = site.translation(page)
    alternates = {page.lang: cached_url_for("pages.entry", slug=page.slug, lang=page.lang)}
    other = OTHER_LANG[lang]
    alternates[other] = (
        cached_url_for("pages.entry", slug=translation.slug, lang=other)
        if translation
        else cached_url_for("pages.home", lang=other)
    )
    related = site.related(page, drafts=drafts)
    stale = translation_state(site, page) == "stale"  # readers are told (translation-notice)
    return render(
        "entry.html",
        entry=page,
        related=related,
        alternates=alternates,
        faq=True,
        stale_from=translation if stale else None,
    )


@route("glossary", "glossary")
def glossary() -> str:
    items = sorted(current_site().glossary, key=lambda item: collation_key(item.terms[g.lang]))
    return render("glossary.html", items=items)


@route("timeline", "timeline")
def timeline() -> str:
    return render("timeline.html", events=current_site().timeline)


@route("search", "search")
def search() -> str:
    """Results with snippets, filters and pages; browsing when there is no query or no result."""
    from kb.search import MAX_QUERY_CHARS, PER_PAGE
    from kb.search.query import clean
    from kb.site import current_engine

    args = request.args
    query = clean(args.get("q", ""))
    audience = args.get("audience") if args.get("audience") in AUDIENCES else None
    phase = args.get("phase") if args.get("phase") in PHASES else None
    results = None
    if query:
        engine = current_engine(drafts=current_app.config["KB_DRAFTS"])
        results = engine.search(
            g.lang, query, page=args.get("page", 1, type=int), audience=audience, phase=phase
        )

    def link(**changes) -> str:
        """This search with some parameters changed (None drops one); back to page 1."""
        params = {"q": query, "audience": audience, "phase": phase, "page": None, **changes}
        return url_for("pages.search", **{k: v for k, v in params.items() if v})

    root = url_for("root.splash")
    labels = {
        "phase": [[id, t.label(g.lang)] for id, t in PHASES.items()],
        "audience": [[id, t.label(g.lang)] for id, t in AUDIENCES.items()],
    }
    return render(
        "search.html",
        query=query,
        results=results,
        audience=audience,
        phase=phase,
        link=link,
        per_page=PER_PAGE,
        max_chars=MAX_QUERY_CHARS,
        index_url=f"{root}search/{g.lang}/",
        root_url=root,
        facet_labels=labels,
        topics=topics_in_order(),
    )


@root_bp.route("/404.html")
def not_found_page() -> str:
    """The page static hosts serve for unknown paths (they set the 404 status themselves)."""
    g.lang = "en"
    return render_template("404.html", lang_names=LANG_NAMES)


@root_bp.app_errorhandler(404)
def not_found(error) -> tuple[str, int]:
    g.lang = g.get("lang", "en")
    return render_template("404.html", lang_names=LANG_NAMES), 404


@route("accessibility", "accessibility")
def accessibility() -> str:
    """The site's accessibility statement: the standard it meets and how to report a barrier."""
    return render("accessibility.html")


@route("privacy", "privacy")
def privacy() -> str:
    """The site's privacy notice: what it collects (nothing, unless page feedback is on)."""
    return render("privacy.html")
