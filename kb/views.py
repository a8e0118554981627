"""Thin views over the Site: one URL rule per language, the language carried in g.lang."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from babel.numbers import format_decimal
from flask import Blueprint, abort, current_app, g, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import refresh

from kb.app import current_site
from kb.content import Entry
from kb.i18n import collation_key
from kb.taxonomy import AUDIENCES, LANG_NAMES, LANGS, LOCALES, OTHER_LANG, PHASES, SECTIONS, Term
from kb.translation import state as translation_state
from kb.urls import Pager, listed, page_count, page_of

bp = Blueprint("pages", __name__)
root_bp = Blueprint("root", __name__)
LOCALIZED: set[str] = set()


@bp.record_once
def taxonomy_globals(state) -> None:
    """The fixed vocabularies, for every template and for macros imported without context (which
    Jinja can keep compiled between pages, unlike imports with context)."""
    state.app.jinja_env.globals.update(phases=PHASES, audiences=AUDIENCES)
    # Counts in the page's language: 1,650 in English, 1 650 (no-break space) in French.
    state.app.jinja_env.filters["number"] = lambda n: format_decimal(n, locale=LOCALES[g.lang])


def route(endpoint: str, section: str | None, rest: str = "", paginated: bool = False) -> Callable:
    """Register a view under /<lang>/<localized section>/<rest> for every language; a paginated
    view has page 1 there and page n in the folder page-<n>/ below (kb.urls.PAGE_SLUG)."""

    def decorator(view: Callable) -> Callable:
        for lang in LANGS:
            parts = [lang] + ([SECTIONS[section][lang]] if section else []) + ([rest] if rest else [])
            path = "/" + "/".join(parts) + "/"
            if paginated:
                # The defaults make url_for(..., page=1) build the first URL, not page-1/.
                bp.add_url_rule(path, endpoint, view, defaults={"lang": lang, "page": 1})
                path += "page-<int(min=2):page>/"
            bp.add_url_rule(path, endpoint, view, defaults={"lang": lang})
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


def term_urls(endpoint: str, term: Term, page: int = 1) -> dict[str, str]:
    return {lang: url_for(endpoint, slug=term.slug(lang), page=page, lang=lang) for lang in LANGS}


def paginate(endpoint: str, term: str | None, page: int, **values) -> tuple[list[Entry], Pager]:
    """One page of a list (kb.urls.LISTS) and its pager; a page past the last one is not found."""
    chosen = listed(current_site(), g.lang, endpoint, term, current_app.config["KB_DRAFTS"])
    pager = Pager(page, page_count(len(chosen)), lambda n: url_for(endpoint, **values, page=n))
    if page > pager.pages:
        abort(404)
    return page_of(chosen, page), pager


def count_by_term(terms: Iterable[Term], endpoint: str) -> dict[str, int]:
    site, drafts = current_site(), current_app.config["KB_DRAFTS"]
    return {term.id: len(listed(site, g.lang, endpoint, term.id, drafts)) for term in terms}


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


@route("entry_list", "entries", paginated=True)
def entry_list(page: int) -> str:
    shown, pager = paginate("pages.entry_list", None, page)
    return render("list.html", entries=shown, pager=pager, title=_("All questions"), faq=True)


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


@route("phase_list", "phases")
def phase_list() -> str:
    counts = count_by_term(PHASES.values(), "pages.phase")
    return render("terms.html", kind="phase", terms=PHASES.values(), counts=counts,
                  title=_("Phases"), lead=_("The phases of the transformation, in order."))


@route("phase", "phases", "<slug>", paginated=True)
def phase(slug: str, page: int) -> str:
    term = find_term(PHASES.values(), slug)
    shown, pager = paginate("pages.phase", term.id, page, slug=slug)
    # The key dates open the first page only: later pages carry on the list of questions.
    events = [ev for ev in current_site().timeline
              if page == 1 and _event_phase(ev) == term.id]
    return render("taxonomy.html", term=term, kind="phase", entries=shown, pager=pager,
                  events=events,
                  alternates=term_urls("pages.phase", term, page), faq=True)


def _event_phase(event) -> str | None:
    """The phase of the entry or the catchment area a timeline event points to."""
    if event.catchment is not None:
        return next((a.phase for a in current_site().catchment_areas if a.id == event.catchment),
                    None)
    return _entry_phase(event.entry)


def _entry_phase(id: str) -> str | None:
    entry = current_site().get(g.lang, id)
    return entry.phase if entry else None


@route("audience_list", "audiences")
def audience_list() -> str:
    counts = count_by_term(AUDIENCES.values(), "pages.audience")
    return render("terms.html", kind="audience", terms=AUDIENCES.values(), counts=counts,
                  title=_("Audiences"), lead=_("Who the questions are for: choose yours."))


@route("audience", "audiences", "<slug>", paginated=True)
def audience(slug: str, page: int) -> str:
    term = find_term(AUDIENCES.values(), slug)
    shown, pager = paginate("pages.audience", term.id, page, slug=slug)
    summary, events = None, []
    if page == 1:  # the summary and the key dates open the first page only
        chosen = listed(current_site(), g.lang, "pages.audience", term.id,
                        current_app.config["KB_DRAFTS"])
        ids = {e.id for e in chosen}
        events = [ev for ev in current_site().timeline if ev.entry in ids]
        # The audience's own summary entry, by naming convention, opens the page.
        summary = next((e for e in chosen if e.id == f"what-changes-for-{term.id}"), None)
    return render("taxonomy.html", term=term, kind="audience", entries=shown, pager=pager,
                  events=events, summary=summary,
                  alternates=term_urls("pages.audience", term, page), faq=True)


@route("topic_list", "topics")
def topic_list() -> str:
    shown = entries()
    counts = {id: sum(id in e.topics for e in shown) for id in current_site().topics}
    return render("topics.html", topics=current_site().topics.values(), counts=counts,
                  entries=shown)


@route("topic", "topics", "<slug>", paginated=True)
def topic(slug: str, page: int) -> str:
    term = find_term(current_site().topics.values(), slug)
    shown, pager = paginate("pages.topic", term.id, page, slug=slug)
    return render("taxonomy.html", term=term, kind="topic", entries=shown, pager=pager,
                  events=[], alternates=term_urls("pages.topic", term, page), faq=True)


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


CATCHMENT_ENTRIES = 20  # questions of each list a catchment page shows


@route("catchment", "catchments", "<slug>")
def catchment(slug: str) -> str:
    site = current_site()
    area = site.catchment_area(g.lang, slug)
    if area is None:
        abort(404)
    alternates = {lang: url_for("pages.catchment", slug=area.slugs[lang], lang=lang)
                  for lang in LANGS}
    # Its phase's answers, then those that apply in every catchment area: the first of each,
    # so that the page stays small on a large site; the phase pages list them all.
    drafts = current_app.config["KB_DRAFTS"]
    lists = {phase: listed(site, g.lang, "pages.phase", phase, drafts)
             for phase in (area.phase, "all")}
    chosen = [e for found in lists.values() for e in found[:CATCHMENT_ENTRIES]]
    more = [phase for phase, found in lists.items() if len(found) > CATCHMENT_ENTRIES]
    return render("catchment.html", area=area, entries=chosen, more=more, alternates=alternates)


@route("accessibility", "accessibility")
def accessibility() -> str:
    """The site's accessibility statement: the standard it meets and how to report a barrier."""
    return render("accessibility.html")


@route("privacy", "privacy")
def privacy() -> str:
    """The site's privacy notice: what it collects (nothing, unless page feedback is on)."""
    return render("privacy.html")
