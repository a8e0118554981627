"""url_for, remembered: a page asks for about 35 URLs, most of them the same on every page of its
language (navigation, stylesheets, feed), and building one walks the rules."""

from __future__ import annotations

from flask import Flask, current_app, g, request, url_for

MAX_KEPT = 100_000  # a bound for a long-running development server whose slugs change


def init_app(app: Flask) -> None:
    app.extensions["kb_urls"] = {}
    app.jinja_env.globals["url_for"] = cached_url_for


def cached_url_for(endpoint: str, **values) -> str:
    """url_for(endpoint, **values), built once per app for all a URL depends on besides the
    rules: the language default (views.add_lang), the prefix the site is served from, the host
    of external URLs, the current blueprint."""
    # The proxies are resolved once: each attribute read through one costs about 3 µs.
    current = request._get_current_object()
    built = current_app._get_current_object().extensions["kb_urls"]
    key = (
        endpoint,
        getattr(g._get_current_object(), "lang", None),
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
