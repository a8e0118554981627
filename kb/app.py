"""The Flask application factory: configuration, extensions and blueprints, nothing else."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask, current_app

from kb import i18n
from kb.content import Site, load_site


class SiteHolder:
    """Holds the loaded Site; in development it reloads when a content file changes."""

    def __init__(self, root: Path, reload: bool):
        self.root = root
        self.reload = reload
        self._stamp: tuple | None = None
        self._site: Site | None = None

    def _content_stamp(self) -> tuple:
        files = sorted((self.root / "content").rglob("*"))
        return tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files if f.is_file())

    def get(self) -> Site:
        if self._site is None or self.reload:
            stamp = self._content_stamp() if self.reload else None
            if self._site is None or stamp != self._stamp:
                self._site, self._stamp = load_site(self.root), stamp
        return self._site


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
    holder = SiteHolder(root, reload=app.config["KB_RELOAD"])
    if app.config["SITE"] is not None:
        holder._site = app.config["SITE"]
    app.extensions["kb"] = holder
    i18n.init_app(app)

    from kb import hosting, views

    app.register_blueprint(views.bp)
    app.register_blueprint(views.root_bp)
    app.register_blueprint(hosting.bp)
    return app
