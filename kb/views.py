"""Thin views over the Site: one URL rule per language, the language carried in g.lang."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flask import Blueprint, abort, current_app, g, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import refresh

from kb.app import current_site
from kb.content import Entry
from kb.i18n import collation_key
from kb.taxonomy import AUDIENCES, LANG_NAMES, LANGS, OTHER_LANG, PHASES, SECTIONS, Term
from kb.translation import state as translation_state

bp = Blueprint("pages", __name__)
root_bp = Blueprint("root", __name__)
LOCALIZED: set[str] = set()


@bp.record_once
def taxonomy_globals(state) -> None:
    """The fixed vocabularies, for every template and for macros imported without context (which
    Jinja can keep compiled between pages, unlike imports with context)."""
    state.app.jinja_env.globals.update(phases=PHASES, audiences=AUDIENCES)


def route(endpoint: str, section: str | None, rest: str = "") -> Callable:
    """Register a view under /<lang>/<localized section>/<rest> for every language."""

    def decorator(view: Callable) -> Callable:
        for lang in LANGS:
            parts = [lang] + ([SECTIONS[section][lang]] if section else []) + ([rest] if rest else [])
            bp.add_url_rule("/" + "/".join(parts) + "/", endpoint, view, defaults={"lang": lang})
        LOCALIZED.add(f"{bp.name}.{endpoint}")
        return view

    return decorator


@bp.url_value_preprocessor
def pull_lang(endpoint: str | None, values: dict | None) -> None:
    g.lang = (values or {}).pop("lang", "en")
    # The freezer serves many requests in one app context: drop the locale cached by the last one.
    refresh()


@bp.url_defaults
def add_lang(endpoint: str, values: dict) -> None:
    if endpoint in LOCALIZED:
        values.setdefault("lang", g.get("lang", "en"))


def entries() -> list[Entry]:
    return current_site().entries_in(g.lang, drafts=current_app.config["KB_DRAFTS"])


def render(template: str, *, alternates: dict[str, str] | None = None, **context) -> str:
    """Render a page; alternates are the same page's URLs per language (the toggle, hreflang)."""
    if alternates is None:
        values = dict(request.view_args or {})
        alternates = {lang: url_for(request.endpoint, **values, lang=lang) for lang in LANGS}
    shown = context.get("entries") or ([context["entry"]] if "entry" in context else [])
    modified = max((e.updated for e in shown), default=current_site().last_updated)
    faq_entries = shown if context.pop("faq", False) else []
    return render_template(
        template,
        lang=g.lang,
        other_lang=OTHER_LANG[g.lang],
        lang_names=LANG_NAMES,
        alternates=alternates,
        modified=modified,
        site=current_site(),
        faq_entries=faq_entries,
        **context,
    )


def term_urls(endpoint: str, term: Term) -> dict[str, str]:
    return {lang: url_for(endpoint, slug=term.slug(lang), lang=lang) for lang in LANGS}


def find_term(terms: Iterable[Term], slug: str) -> Term:
    for term in terms:
        if term.slug(g.lang) == slug:
            return term
    abort(404)


@root_bp.route("/")
def splash() -> str:
    g.lang = "en"
    return render_template("splash.html", lang_names=LANG_NAMES, langs=LANGS)


@route("home", None)
def home() -> str:
    latest = sorted(entries(), key=lambda e: (e.updated, e.title), reverse=True)[:5]
    return render("home.html", latest=latest, topics=current_site().topics.values())


@route("entry_list", "entries")
def entry_list() -> str:
    return render("list.html", entries=entries(), title=_("All questions"), faq=True)


@route("entry", "entries", "<slug>")
def entry(slug: str) -> str:
    site = current_site()
    page = site.by_slug(g.lang, slug)
    if page is None or (page.draft and not current_app.config["KB_DRAFTS"]):
        abort(404)
    translation = site.translation(page)
    alternates = {page.lang: url_for("pages.entry", slug=page.slug, lang=page.lang)}
    other = OTHER_LANG[g.lang]
    alternates[other] = (
        url_for("pages.entry", slug=translation.slug, lang=other)
        if translation else url_for("pages.home", lang=other)
    )
    related = site.related(page, drafts=current_app.config["KB_DRAFTS"])
    stale = translation_state(site, page) == "stale"  # readers are told (translation-notice)
    return render("entry.html", entry=page, related=related, alternates=alternates,
                  faq=True, stale_from=translation if stale else None)


@route("phase", "phases", "<slug>")
def phase(slug: str) -> str:
    term = find_term(PHASES.values(), slug)
    chosen = [e for e in entries() if e.phase == term.id]
    events = [ev for ev in current_site().timeline if _event_phase(ev) == term.id]
    return render("taxonomy.html", term=term, kind="phase", entries=chosen, events=events,
                  alternates=term_urls("pages.phase", term), faq=True)


def _event_phase(event) -> str | None:
    """The phase of the entry or the catchment area a timeline event points to."""
    if event.catchment is not None:
        return next((a.phase for a in current_site().catchment_areas if a.id == event.catchment),
                    None)
    return _entry_phase(event.entry)


def _entry_phase(id: str) -> str | None:
    entry = current_site().get(g.lang, id)
    return entry.phase if entry else None


@route("audience", "audiences", "<slug>")
def audience(slug: str) -> str:
    term = find_term(AUDIENCES.values(), slug)
    chosen = [e for e in entries() if term.id in e.audiences]
    ids = {e.id for e in chosen}
    events = [ev for ev in current_site().timeline if ev.entry in ids]
    # The audience's own summary entry, by naming convention, opens the page.
    summary = next((e for e in chosen if e.id == f"what-changes-for-{term.id}"), None)
    return render("taxonomy.html", term=term, kind="audience", entries=chosen, events=events,
                  summary=summary, alternates=term_urls("pages.audience", term), faq=True)


@route("topic_list", "topics")
def topic_list() -> str:
    shown = entries()
    counts = {id: sum(id in e.topics for e in shown) for id in current_site().topics}
    return render("topics.html", topics=current_site().topics.values(), counts=counts,
                  entries=shown)


@route("topic", "topics", "<slug>")
def topic(slug: str) -> str:
    term = find_term(current_site().topics.values(), slug)
    chosen = [e for e in entries() if term.id in e.topics]
    return render("taxonomy.html", term=term, kind="topic", entries=chosen, events=[],
                  alternates=term_urls("pages.topic", term), faq=True)


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
    from kb.site import current_engine
    from kb.search.query import clean

    args = request.args
    query = clean(args.get("q", ""))
    audience = args.get("audience") if args.get("audience") in AUDIENCES else None
    phase = args.get("phase") if args.get("phase") in PHASES else None
    results = None
    if query:
        engine = current_engine(drafts=current_app.config["KB_DRAFTS"])
        results = engine.search(g.lang, query, page=args.get("page", 1, type=int),
                                audience=audience, phase=phase)

    def link(**changes) -> str:
        """This search with some parameters changed (None drops one); back to page 1."""
        params = {"q": query, "audience": audience, "phase": phase, "page": None, **changes}
        return url_for("pages.search", **{k: v for k, v in params.items() if v})

    root = url_for("root.splash")
    labels = {"phase": [[id, t.label(g.lang)] for id, t in PHASES.items()],
              "audience": [[id, t.label(g.lang)] for id, t in AUDIENCES.items()]}
    return render("search.html", query=query, results=results, audience=audience, phase=phase,
                  link=link, per_page=PER_PAGE, max_chars=MAX_QUERY_CHARS,
                  index_url=f"{root}search/{g.lang}/",
                  root_url=root, facet_labels=labels, topics=current_site().topics.values())


@root_bp.route("/404.html")
def not_found_page() -> str:
    """The page static hosts serve for unknown paths (they set the 404 status themselves)."""
    g.lang = "en"
    return render_template("404.html", lang_names=LANG_NAMES)


@root_bp.app_errorhandler(404)
def not_found(error) -> tuple[str, int]:
    g.lang = g.get("lang", "en")
    return render_template("404.html", lang_names=LANG_NAMES), 404


@bp.record_once
def catchment_globals(state) -> None:
    """What catchment pages say of an area, in the words its search document uses."""
    from kb import catchments

    state.app.jinja_env.globals.update(catchment_rows=catchments.rows,
                                       catchment_ssm=catchments.ssm,
                                       catchment_summary=catchments.summary)


@route("catchment_list", "catchments")
def catchment_list() -> str:
    """The catchment areas grouped by phase, as the official rollout table lists them."""
    return render("catchment_list.html", areas=current_site().catchment_areas)


@route("catchment", "catchments", "<slug>")
def catchment(slug: str) -> str:
    site = current_site()
    area = site.catchment_area(g.lang, slug)
    if area is None:
        abort(404)
    alternates = {lang: url_for("pages.catchment", slug=area.slugs[lang], lang=lang)
                  for lang in LANGS}
    # Its phase's answers, then those that apply in every catchment area.
    chosen = [e for e in entries() if e.phase == area.phase] + [
        e for e in entries() if e.phase == "all"]
    return render("catchment.html", area=area, entries=chosen, alternates=alternates)
