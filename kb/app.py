"""The Flask application factory: configuration, extensions and blueprints, nothing else."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from flask import Flask, current_app

from kb import i18n
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


def current_site() -> Site:
    return current_app.extensions["kb"].get()


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the kb application for the site folder in config['KB_ROOT'] (default: cwd)."""
    config = config or {}
    root = Path(config.get("KB_ROOT") or os.environ.get("KB_ROOT") or Path.cwd()).resolve()
    app = Flask(
        __name__,
        template_folder=str(root / "templates"),
        static_folder=str(root / "static"),
        static_url_path="/static",
    )
    app.config.from_mapping(
        KB_ROOT=root,
        KB_DRAFTS=False,  # show drafts (with a banner): development server only
        KB_RELOAD=False,  # re-read content when it changes: development server only
        KB_SITE_URL="http://localhost:8000/",  # absolute URL of the site, for sitemap and feeds
        SITE=None,  # a ready Site, to skip loading (tests, build)
    )
    app.config.update(config)
    app.extensions["kb"] = SiteHolder(root, app.config["SITE"])
    i18n.init_app(app)

    from kb import hosting, preview, urlcache, views

    app.register_blueprint(views.bp)
    app.register_blueprint(views.root_bp)
    app.register_blueprint(hosting.bp)
    preview.init_app(app)
    urlcache.init_app(app)
    return app
