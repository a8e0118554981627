"""Languages in the interface: Flask-Babel set-up, the compiled catalog, and French dates."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from functools import lru_cache
from pathlib import Path

from babel import support
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, g, has_app_context
from flask_babel import Babel, Domain, get_locale, get_translations, refresh
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from kb.taxonomy import LOCALES
from kb.watching import file_version

TRANSLATIONS = Path(__file__).parent / "translations"
CATALOG = TRANSLATIONS / "fr" / "LC_MESSAGES" / "messages.po"


def compile_catalog(po_path: Path = CATALOG) -> support.Translations:
    """The .po catalog compiled in memory (nothing is written beside it, in the installed package
    or elsewhere); compiled again only when the file changed."""
    return _compiled(po_path, file_version(po_path.stat()))


@lru_cache(maxsize=8)
def _compiled(po_path: Path, signature: tuple) -> support.Translations:
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale="fr_CA")
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return support.Translations(buffer, domain="messages")


class _CompiledDomain(Domain):
    """Flask-Babel's message domain, reading each language's .po compiled in memory instead of a
    .mo file; `cache.clear()` (kb.preview, after an edit) makes it read the catalogs again."""

    def get_translations(self):
        if not has_app_context():
            return support.NullTranslations()
        locale = str(get_locale())
        if locale not in self.cache:
            po_path = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"
            self.cache[locale] = (
                compile_catalog(po_path) if po_path.exists() else support.Translations()
            )
        return self.cache[locale]


def translations(lang: str) -> support.NullTranslations:
    """The interface catalog of lang, whatever the page's (`kb check --lang fr`, a bilingual
    page's footer): English has none."""
    if lang == "en":
        return support.NullTranslations()
    return compile_catalog(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po")


def current_lang() -> str:
    return getattr(g._get_current_object(), "lang", "en")  # a read through g's proxy costs 3 µs


def use_lang(lang: str) -> None:
    """Make lang the request's language (g.lang) and have Flask-Babel choose its locale again: it
    keeps the last one chosen, and the freezer serves many pages in one app context."""
    g.lang = lang
    refresh()


def page_translations():
    """The catalog of the page's language, kept in g (which the freezer keeps across pages)."""
    globals_ = g._get_current_object()  # one read through the proxy, not three
    lang = getattr(globals_, "lang", "en")
    kept = globals_.setdefault("_kb_catalogs", {})
    if lang not in kept:
        use_lang(lang)  # Flask-Babel caches the locale of the previous page
        kept[lang] = get_translations()
    return kept[lang]


def _catalog(context: Context):
    return context.get("interface_catalog") or page_translations()


# Jinja's "newstyle" gettext (which Flask-Babel installs): translate, escape, then fill in the
# %(name)s variables, so templates never format strings themselves.
@pass_context
def template_gettext(context: Context, string: str, /, **variables) -> str:
    text = _catalog(context).ugettext(string)
    if context.eval_ctx.autoescape:
        text = Markup(text)
    # Most strings have no variable: formatting them would only copy them ("%%" aside).
    return text % variables if variables or "%" in text else text


@pass_context
def template_pgettext(context: Context, msgctxt: str, string: str, /, **variables) -> str:
    """gettext with a context, for one English word that French says two ways (Search)."""
    text = _catalog(context).upgettext(msgctxt, string)
    if context.eval_ctx.autoescape:
        text = Markup(text)
    return text % variables


@pass_context
def template_ngettext(
    context: Context, singular: str, plural: str, count: int, /, **variables
) -> str:
    variables.setdefault("num", count)
    text = _catalog(context).ungettext(singular, plural, count)
    if context.eval_ctx.autoescape:
        text = Markup(text)
    return text % variables


def init_app(app: Flask) -> None:
    babel = Babel(
        app,
        default_locale="en",
        default_translation_directories=str(TRANSLATIONS),
        locale_selector=current_lang,
    )
    babel.domain_instance = _CompiledDomain(domain="messages")
    # Flask-Babel's template gettext finds the domain, the locale and the catalog again for each
    # string, 20 µs a call and a page has about 25: templates get the catalog once per page.
    app.context_processor(lambda: {"interface_catalog": page_translations()})
    app.jinja_env.globals.update(
        gettext=template_gettext,
        _=template_gettext,
        ngettext=template_ngettext,
        pgettext=template_pgettext,
        catalog_for=translations,  # a bilingual page says its words in each language
    )
    app.jinja_env.filters["long_date"] = lambda date: long_date(date, current_lang())
    app.jinja_env.filters["partial_date"] = lambda date, precision: partial_date(
        date, precision, current_lang()
    )


@lru_cache(maxsize=4096)  # every page shows a date, and Babel takes about 50 µs to format one
def long_date(date: dt.date, lang: str) -> str:
    """'January 20, 2023' or '1er janvier 2024' (French uses the ordinal for the first)."""
    text = format_date(date, format="long", locale=LOCALES[lang])
    if lang == "fr" and date.day == 1:
        text = "1er" + text[1:]
    return text


def collation_key(text: str) -> tuple[str, str]:
    """A sort key for reader-facing lists in either language: letters first, accents and case
    only break ties, as French collation does (« aide à l'emploi » before « aide sociale »)."""
    letters = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    # Code points would put « é » after « z » and « œ » after every letter.
    letters = letters.casefold().replace("œ", "oe").replace("æ", "ae")
    return letters, text.casefold()


@lru_cache(maxsize=4096)
def partial_date(date: dt.date, precision: str, lang: str) -> str:
    """A date given to the day, the month ('February 2023', 'février 2023') or the year."""
    if precision == "day":
        return long_date(date, lang)
    if precision == "month":
        return format_date(date, format="LLLL y", locale=LOCALES[lang])
    return str(date.year)
