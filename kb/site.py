"""The loaded Site of an app, reloaded in place by the preview, and the search engine built from it."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

from flask import Flask, current_app

from kb.cache import CACHE_DIR, Store
from kb.content import Site
from kb.loader import load_site
from kb.validate import N_, Phrase, Problem


class SiteHolder:
    """Holds the loaded Site; the preview (kb.preview) reloads it when a content file changes.

    `version` counts the content versions served: it grows by one each time a reload gives a
    new Site, so a page (or a live-refresh endpoint) can tell that the content changed.
    """

    def __init__(self, root: Path, site: Site | None = None):
        self.root = root
        self._site = site
        self.version = 0
        self.store: Store | None = None  # kept between reloads: unchanged files are not read
        self.save_delay: float | None = None  # `kb serve`: the cache is written off the request
        self._engines: dict[bool, tuple[Site, object]] = {}
        self._engine_lock = threading.Lock()

    def get(self) -> Site:
        if self._site is None:
            self._site = self._load()
        return self._site

    def _load(self, changed: set[str] | None = None) -> Site:
        if self.store is None:
            self.store = Store.open(self.root)
            changed = None  # a new store knows no file: every one is looked at
        self.store.delay = self.save_delay
        return load_site(self.root, cache=self.store, changed=changed)

    def flush(self) -> None:
        """Write the cache now if a deferred save has not yet (at the preview's exit)."""
        if self.store is not None:
            self.store.flush()

    def reload(self, changed: set[str] | None = None) -> bool:
        """Read what changed; if that fails, keep the last good Site and say why.

        changed: the files (relative to the root) known to have changed since the last load;
        the others are then not looked at again (None: every file is).
        """
        try:
            self._site = self._load(changed)
            self.version += 1
            return True
        except Exception as error:  # noqa: BLE001 (the preview must outlive any half-saved file)
            self.flush()  # what earlier loads left to write is good
            self.store = None  # it may hold half of a failed load: start afresh next time
            base = self._site or Site(root=self.root)
            problem = Problem(
                "content",
                0,
                Phrase(
                    N_("could not read the content: %(error)s"),
                    error=f"{type(error).__name__}: {error}",
                ),
            )
            self._site = replace(base, problems=[*base.problems, problem])
            self.version += 1
            return False

    def engine(self, drafts: bool = False):
        """The search engine of the current Site: the persisted index, brought up to date."""
        from kb.search.persist import persisted_engine

        site = self.get()
        with self._engine_lock:
            known = self._engines.get(drafts)
            if known is not None and known[0] is site:
                return known[1]
            engine = persisted_engine(site, self.root / CACHE_DIR / "search", drafts=drafts)
            self._engines[drafts] = (site, engine)
            return engine


def init_app(app: Flask, site: Site | None = None) -> None:
    app.extensions["kb"] = SiteHolder(Path(app.config["KB_ROOT"]), site)


def current_site() -> Site:
    return current_app._get_current_object().extensions["kb"].get()  # one proxy read, not two


def current_engine(drafts: bool = False):
    """The search engine of the app's current Site: in the preview the persisted index kept up
    to date edit by edit, elsewhere one built in memory for the Site (tests, a build)."""
    if current_app.config.get("KB_RELOAD"):
        return current_app.extensions["kb"].engine(drafts)
    from kb.search import engine_for

    return engine_for(current_site(), drafts=drafts)
