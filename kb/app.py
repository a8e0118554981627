"""The Flask application factory: configuration, extensions and blueprints, nothing else."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from urllib.parse import quote

from flask import Flask, current_app
from werkzeug.routing import Map

from kb import i18n
from kb.config import SiteConfig
from kb.content import Site, load_site
from kb.validate import Problem


class SiteHolder:
    """Holds the loaded Site; the preview (kb.preview) reloads it when a content file changes."""

    def __init__(self, root: Path, site: Site | None = None):
        self.root = root
        self._site = site

    def get(self) -> Site:
        if self._site is None:
            self._site = load_site(self.root)
        return self._site

    def reload(self) -> bool:
        """Read the content again (preview); if that fails, keep the last good Site and say why."""
        try:
            self._site = load_site(self.root)
            return True
        except Exception as error:  # noqa: BLE001 (the preview must outlive any half-saved file)
            base = self._site or Site(root=self.root)
            problem = Problem("content", 0, f"could not read the content: "
                                            f"{type(error).__name__}: {error}")
            self._site = replace(base, problems=[*base.problems, problem])
            return False


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


class _Flask(Flask):
    url_map_class = _Map


def current_site() -> Site:
    return current_app.extensions["kb"].get()


def current_config() -> SiteConfig:
    """content/site.yml as loaded with the Site, with the app's KB_SITE_URL (a flag) over it."""
    return current_site().config.with_site_url(current_app.config["KB_SITE_URL"])


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
    app.extensions["kb"] = SiteHolder(root, app.config["SITE"])
    i18n.init_app(app)

    from kb import hosting, media, preview, urlcache, views

    app.register_blueprint(views.bp)
    app.register_blueprint(views.root_bp)
    app.register_blueprint(hosting.bp)
    app.register_blueprint(media.bp)
    preview.init_app(app)
    urlcache.init_app(app)
    return app
