"""What every page view shares: the blueprints, the per-language URL rules and render()."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from babel.numbers import format_decimal
from flask import Blueprint, abort, current_app, g, render_template, request
from markupsafe import Markup

from kb.app import current_config, current_site
from kb.content import Entry
from kb.i18n import collation_key, current_lang, page_translations, use_lang
from kb.pagelist import Pager, listed, page_count, page_of
from kb.taxonomy import AUDIENCES, LANG_NAMES, LANGS, LOCALES, OTHER_LANG, PHASES, SECTIONS, Term
from kb.urlcache import LOCALIZED, cached_url_for

bp = Blueprint("pages", __name__)
root_bp = Blueprint("root", __name__)


@bp.record_once
def taxonomy_globals(state) -> None:
    """The fixed vocabularies, for every template and for macros imported without context (which
    Jinja can keep compiled between pages, unlike imports with context)."""
    state.app.jinja_env.globals.update(phases=PHASES, audiences=AUDIENCES)
    state.app.jinja_env.filters["in_phases"] = in_phases
    # Counts in the page's language: 1,650 in English, 1 650 (no-break space) in French.
    state.app.jinja_env.filters["number"] = lambda n: format_decimal(n, locale=LOCALES[g.lang])


def in_phases(items: Iterable[Entry]) -> list[tuple[Term, list[Entry]]]:
    """Each phase that has items, in the phases' order, with its items in their order (in one
    pass: a selectattr per phase in the template cost a quarter of a list page)."""
    grouped: dict[str, list[Entry]] = {}
    for item in items:
        grouped.setdefault(item.phase, []).append(item)
    return [(phase, grouped[phase.id]) for phase in PHASES.values() if phase.id in grouped]


@bp.record_once
def fragment_globals(state) -> None:
    state.app.jinja_env.globals.update(
        fragment=fragment, list_items=list_items, site_nav=site_nav, cited_sources=cited_sources
    )


def site_nav(lang: str) -> Markup:
    """The navigation, as templates made before fragment() ask for it (`site_nav(lang)`)."""
    return fragment("_nav.html")


def fragment(name: str) -> Markup:
    """A part of every page that is the same on every page of a language (the navigation, the
    footer), rendered once for all it depends on: the template (the preview reloads edited
    ones), the language and its catalog, the prefix URLs are built under, content/site.yml."""
    app = current_app._get_current_object()  # each read through a proxy costs 3 µs
    template = app.jinja_env.get_template(name)
    catalog, lang, config = page_translations(), current_lang(), current_config()
    key = (template, lang, request._get_current_object().script_root, catalog, id(config))
    kept = app.extensions.setdefault("kb_fragments", {})
    found = kept.get(key)
    if found is None or found[0] is not config:  # the config is kept: its id is its own
        if len(kept) >= 64:  # templates edited in a long preview: forget the old ones
            kept.clear()
        html = Markup(template.render(lang=lang, interface_catalog=catalog))
        found = kept[key] = (config, html)
    return found[1]


def _kept_for(name: str, template) -> dict:
    """The parts of kind `name` kept for the current Site and this template: a new Site or an
    edited template (the preview reloads both) lets them go."""
    app = current_app._get_current_object()  # each read through a proxy costs 3 µs
    current = app.extensions["kb"].get()  # current_site(), without reading the proxy again
    owner, kept = app.extensions.get(name, ((None, None), {}))
    if owner[0] is not current or owner[1] is not template:
        owner, kept = app.extensions[name] = ((current, template), {})
    return kept


def _rendering_keys() -> tuple:
    """What a kept part depends on besides its own values: the language, its catalog and the
    prefix URLs are built under."""
    return (current_lang(), page_translations(), request._get_current_object().script_root)


def list_items(entries: Iterable[Entry], lang: str, show_phase: bool = True) -> Markup:
    """The items of an entry list (templates/_macros.html's entry_item), each rendered once for
    all it depends on: the entry, the template, the language and its catalog, the prefix URLs
    are built under. Items are kept for the current Site and template only (a Site's entries
    do not change once it is loaded; the preview reloads an edited template), each with its
    entry, so the id in a key is never another entry's; the catalog is in the key itself."""
    app = current_app._get_current_object()
    macros = app.jinja_env.get_template("_macros.html")
    kept = _kept_for("kb_list_items", macros)
    # Many catalog edits in a long preview: the old items go (two items an entry is the usual:
    # with and without its phase).
    if len(kept) > 4 * len(app.extensions["kb"].get().entries) + 64:
        kept.clear()
    common = (lang, *_rendering_keys(), show_phase)
    items = []
    for entry in entries:
        key = (*common, id(entry))
        found = kept.get(key)
        if found is None or found[0] is not entry:
            html = Markup(macros.module.entry_item(entry, lang, show_phase))
            found = kept[key] = (entry, html)
        items.append(found[1])
    return Markup("".join(items))


def cited_sources(ids: Iterable[str], lang: str) -> Markup:
    """templates/_sources.html's sources_line for these source ids, rendered once for all it
    depends on: the ids, the Site's sources, the template, the language and its catalog (most
    answers cite the same few sources)."""
    app = current_app._get_current_object()
    template = app.jinja_env.get_template("_sources.html")
    kept = _kept_for("kb_cited_sources", template)
    ids = tuple(ids)
    key = (ids, lang, *_rendering_keys())
    found = kept.get(key)
    if found is None:
        if len(kept) >= 4096:  # many different lists in a long preview: forget the old ones
            kept.clear()
        sources = app.extensions["kb"].get().sources
        found = kept[key] = Markup(template.module.sources_line(ids, lang, sources))
    return found


def route(endpoint: str, section: str | None, rest: str = "", paginated: bool = False) -> Callable:
    """Register a view under /<lang>/<localized section>/<rest> for every language; a paginated
    view has page 1 there and page n in the folder page-<n>/ below (kb.pagelist.PAGE_SLUG)."""

    def decorator(view: Callable) -> Callable:
        for lang in LANGS:
            parts = (
                [lang] + ([SECTIONS[section][lang]] if section else []) + ([rest] if rest else [])
            )
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
    use_lang((values or {}).pop("lang", "en"))


@bp.url_defaults
def add_lang(endpoint: str, values: dict) -> None:
    if endpoint in LOCALIZED and "lang" not in values:
        values["lang"] = current_lang()


def topics_in_order() -> list[Term]:
    """The site's topics as a reader scans a list of them: alphabetically in the page's language,
    accents aside (French collation: « Intégration » among the I's)."""
    lang = current_lang()
    return sorted(current_site().topics.values(), key=lambda t: collation_key(t.label(lang)))


def entries() -> list[Entry]:
    return current_site().entries_in(g.lang, drafts=current_app.config["KB_DRAFTS"])


def render(template: str, *, alternates: dict[str, str] | None = None, **context) -> str:
    """Render a page; alternates are the same page's URLs per language (the toggle, hreflang)."""
    if alternates is None:
        values = dict(request.view_args or {})
        alternates = {lang: cached_url_for(request.endpoint, **values, lang=lang) for lang in LANGS}
    shown = context.get("entries") or ([context["entry"]] if "entry" in context else [])
    modified = max((e.updated for e in shown), default=current_site().last_updated)
    faq_entries = shown if context.pop("faq", False) else []
    lang = current_lang()
    return render_template(
        template,
        lang=lang,
        other_lang=OTHER_LANG[lang],
        lang_names=LANG_NAMES,
        alternates=alternates,
        modified=modified,
        site=current_site(),
        faq_entries=faq_entries,
        **context,
    )


def term_urls(endpoint: str, term: Term, page: int = 1) -> dict[str, str]:
    return {
        lang: cached_url_for(endpoint, slug=term.slug(lang), page=page, lang=lang) for lang in LANGS
    }


def paginate(endpoint: str, term: str | None, page: int, **values) -> tuple[list[Entry], Pager]:
    """One page of a list (kb.pagelist.LISTS) and its pager; a page past the last one is not found."""
    chosen = listed(current_site(), g.lang, endpoint, term, current_app.config["KB_DRAFTS"])
    pager = Pager(
        page, page_count(len(chosen)), lambda n: cached_url_for(endpoint, **values, page=n)
    )
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
