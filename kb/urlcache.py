"""url_for, remembered: a page asks for about 35 URLs, most of them the same on every page of its
language (navigation, stylesheets, feed), and building one walks the rules."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from flask import Flask, current_app, g, request, url_for

MAX_KEPT = 100_000  # a bound for a long-running development server whose slugs change
# The endpoints with a URL per language (kb.rendering.route): a URL asked for without a
# language is in the page's (kb.rendering.add_lang).
LOCALIZED: set[str] = set()


def init_app(app: Flask) -> None:
    app.extensions["kb_urls"] = {}
    app.jinja_env.globals["url_for"] = cached_url_for


def cached_url_for(endpoint: str, **values) -> str:
    """url_for(endpoint, **values), built once per app for all a URL depends on besides the
    rules: its language (given, or the page's: views.add_lang), the prefix the site is served
    from, the host of external URLs, the current blueprint. A URL with its language given is
    the same URL asked for with that language."""
    # The proxies are resolved once: each attribute read through one costs about 3 µs.
    current = request._get_current_object()
    built = current_app._get_current_object().extensions["kb_urls"]
    if "lang" not in values and endpoint in LOCALIZED:
        values["lang"] = getattr(g._get_current_object(), "lang", "en")  # as add_lang gives it
    key = (
        endpoint,
        None if "lang" in values else getattr(g._get_current_object(), "lang", None),
        current.script_root,
        current.host_url if values.get("_external") else None,
        current.blueprint if endpoint.startswith(".") else None,
        *sorted(values.items()),
    )
    try:
        return built[key]
    except KeyError:
        if len(built) >= MAX_KEPT:
            built.clear()
        url = built[key] = url_for(endpoint, **values)
        return url
    except TypeError:  # a value that cannot be a key (a list): build it every time
        return url_for(endpoint, **values)


def page_paths(pages: Iterable[tuple[str, dict]]) -> Iterator[str]:
    """Each (endpoint, values)'s URL under the prefix the site is served from, for Frozen-Flask,
    built through the cache: the page then finds its own URL there, and so do the pages that
    link to it (Frozen-Flask would build each once more)."""
    prefix = len(request.script_root)
    for endpoint, values in pages:
        yield cached_url_for(endpoint, **values)[prefix:]
