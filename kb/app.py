"""The Flask application factory: configuration, extensions and blueprints, nothing else."""

from __future__ import annotations

import os
from pathlib import Path
from types import BuiltinFunctionType, FunctionType, MethodType
from typing import Any, ClassVar
from urllib.parse import quote

from flask import Flask, abort, current_app
from flask.templating import Environment
from jinja2.runtime import Context, Macro
from jinja2.utils import _PassArg
from werkzeug.routing import Map

from kb import i18n
from kb.config import SiteConfig
from kb.site import SiteHolder, current_site  # noqa: F401 (kb.app's names)
from kb.site import init_app as init_site
from kb.sourcefile import published


class _Map(Map):
    """URL rules whose URLs are escaped under a sub-path that needs it ('/k%20b/'): Werkzeug
    builds them with the decoded SCRIPT_NAME as it is, a space or an accent left raw."""

    def bind_to_environ(self, environ, server_name=None, subdomain=None):
        env = getattr(environ, "environ", environ)
        name = env.get("SCRIPT_NAME", "")
        if name:
            decoded = name.encode("latin-1").decode("utf-8", "replace")  # PEP 3333 strings
            env = {**env, "SCRIPT_NAME": quote(decoded, safe="/:@!$&'()*+,;=-._~")}
        return super().bind_to_environ(env, server_name, subdomain)


PLAIN_CALLABLES = (FunctionType, MethodType, BuiltinFunctionType)
MACRO_PASSES = getattr(Macro.__call__, "jinja_pass_arg", None)


class _Context(Context):
    def call(__self, __obj, *args, **kwargs):  # noqa: N805 (Jinja's signature)
        """Context.call for a plain function, method or macro (most calls a page makes: url_for,
        gettext, labels, dates, macros): the context given at once to one that asks for it, and
        none to the others, where Jinja first looks for what to give twice, through the object
        and its __call__ (a third of what a call costs). Other callables go Jinja's way."""
        kind = type(__obj)
        if kind in PLAIN_CALLABLES or kind is Macro:
            # A macro asks through its __call__ (for the evaluation context, in Jinja 3.1).
            passed = MACRO_PASSES if kind is Macro else getattr(__obj, "jinja_pass_arg", None)
            if passed is _PassArg.environment:
                return super().call(__obj, *args, **kwargs)
            loop_vars = kwargs.pop("_loop_vars", None)
            block_vars = kwargs.pop("_block_vars", None)
            if passed is _PassArg.context:
                # As Jinja: the variables set in loops and blocks, the context itself unchanged.
                if loop_vars:
                    __self = __self.derived(loop_vars)
                if block_vars:
                    __self = __self.derived(block_vars)
                args = (__self, *args)
            elif passed is _PassArg.eval_context:
                args = (__self.eval_ctx, *args)
            try:
                return __obj(*args, **kwargs)
            except StopIteration:
                return __self.environment.undefined(
                    "value was undefined because a callable raised a StopIteration exception"
                )
        return super().call(__obj, *args, **kwargs)


class _Environment(Environment):
    context_class = _Context

    def make_globals(self, d):
        """A template's globals as one dict, where Jinja gives a ChainMap over the environment's:
        every render and include copies them, and a ChainMap is read key by key in Python (about
        a sixth of an entry page's time). Jinja asks for the environment's globals to be set
        before templates load, as kb's are (create_app)."""
        return {**self.globals, **(d or {})}


class _Flask(Flask):
    url_map_class = _Map
    jinja_environment = _Environment
    # Templates kept in a plain dict: a site has a few dozen, and Jinja's bounded cache takes a
    # lock and reorders a queue at each of the dozen look-ups a page makes.
    jinja_options: ClassVar[dict] = {**Flask.jinja_options, "cache_size": -1}

    def send_static_file(self, filename: str):
        """A file of static/, only when a build publishes it (kb.sourcefile.published): the
        preview never shows what the site will lack, nor a file from elsewhere on the machine."""
        if not published(Path(self.static_folder), filename):
            abort(404)
        return super().send_static_file(filename)


def current_config() -> SiteConfig:
    """content/site.yml as loaded with the Site, with the app's KB_SITE_URL (a flag) over it."""
    app = current_app._get_current_object()  # a read through the proxy costs 3 µs
    config, url = app.extensions["kb"].get().config, app.config["KB_SITE_URL"]
    kept = app.extensions.get("kb_served_config")  # pages ask several times each
    if kept is None or kept[0] is not config or kept[1] != url:
        kept = app.extensions["kb_served_config"] = (config, url, config.with_site_url(url))
    return kept[2]


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the kb application for the site folder in config['KB_ROOT'] (default: cwd)."""
    config = config or {}
    root = Path(config.get("KB_ROOT") or os.environ.get("KB_ROOT") or Path.cwd()).resolve()
    app = _Flask(
        __name__,
        template_folder=str(root / "templates"),
        static_folder=str(root / "static"),
        static_url_path="/static",
    )
    app.config.from_mapping(
        KB_ROOT=root,
        KB_DRAFTS=False,  # show drafts (with a banner): development server only
        KB_RELOAD=False,  # re-read content when it changes: development server only
        # The site's URL when a flag overrides content/site.yml's site_url (kb.config.site_url).
        KB_SITE_URL=None,
        KB_HOST_URLS=False,  # no site URL: absolute URLs from the request's host (kb serve only)
        SITE=None,  # a ready Site, to skip loading (tests, build)
    )
    app.config.update(config)
    init_site(app, app.config["SITE"])
    i18n.init_app(app)

    from kb import hosting, media, preview, urlcache, views

    app.register_blueprint(views.bp)
    app.register_blueprint(views.root_bp)
    app.register_blueprint(hosting.bp)
    app.register_blueprint(media.bp)
    preview.init_app(app)
    urlcache.init_app(app)
    return app
