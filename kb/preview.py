"""The editors' preview (`kb serve`): reload on change, and problems shown in the page, not a crash.

Active only when KB_RELOAD is set; the build never sees any of it.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, g, request, url_for
from flask_babel import gettext as _
from markupsafe import escape
from werkzeug.exceptions import InternalServerError

from kb import collector
from kb.app import current_site
from kb.i18n import TRANSLATIONS, compile_catalog, page_translations
from kb.taxonomy import LANGS, OTHER_LANG
from kb.validate import Problem
from kb.watching import ALL, Polling, watch

KB_PACKAGE = Path(__file__).resolve().parent
POLL_SECONDS = 0.2  # how often an open page's stream looks for changed files
STREAM_SECONDS = 30  # then the stream ends and the browser opens a new one
SAVE_DELAY = 1.0  # the cache is written once edits have paused this long, not on the request


def preview_config(root: Path, poll: bool = False) -> dict[str, Any]:
    """The configuration of `kb serve`: drafts shown, everything reloaded on change.

    poll: stat every content file at each request instead of asking the kernel (kb.watching).
    """
    return {"KB_ROOT": root, "KB_DRAFTS": True, "KB_RELOAD": True, "KB_POLL": poll}


def run(app: Flask, host: str, port: int) -> None:
    """Serve the preview until Ctrl-C or SIGTERM; the cache is written before it ends."""
    holder = app.extensions["kb"]
    holder.save_delay = SAVE_DELAY
    # What is loaded now (the cache's records, the Site, the indexes) lives as long as the
    # preview: the collector need not walk it again at every reload (a tenth of a second at
    # 5,000 entries). What later reloads make is collected as usual.
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # unwinds to the finally
    try:
        with collector.set_aside():
            # No Werkzeug reloader: this module reloads content, templates and the catalog in place.
            app.run(host=host, port=port, debug=False, use_reloader=False)
    finally:
        signal.signal(signal.SIGTERM, previous)
        holder.flush()


def changed_paths(root: Path, paths: set[str] | None) -> set[str] | None:
    """paths relative to root; None when they are ALL or one is not under root (the loader
    then looks at every file itself)."""
    prefix = str(root) + os.sep
    if paths is ALL or not all(path.startswith(prefix) for path in paths):
        return None
    return {path[len(prefix) :].replace(os.sep, "/") for path in paths}


class Watcher:
    """Before each request, reloads whatever changed: content, templates or the French catalog.

    static/ needs nothing: Flask reads static files from disk on every request, and sends them
    with no-cache so the browser asks again.
    """

    def __init__(self, app: Flask):
        root = Path(app.config["KB_ROOT"])
        poll = app.config.get("KB_POLL", False)
        self.app = app
        # The content may hold thousands of files: the kernel tells which changed. The others
        # hold a few each: stat'ing them costs less than a kernel watch (128 per user).
        self.watches = {
            "content": watch(root / "content", "*", poll),
            "templates": Polling(root / "templates"),
            "catalog": Polling(TRANSLATIONS, "*.po"),
            "static": Polling(root / "static"),
        }
        self.pending: dict[str, set[str] | None] = {}  # changed, not yet reloaded successfully
        self.lock = threading.Lock()  # the development server answers requests in threads
        self.generation = 0  # counts the reloads: the open pages refresh when it changes

    def check(self) -> None:
        # While one request reloads, the others are answered from the last good Site.
        if not self.lock.acquire(blocking=False):
            return
        try:
            for name, watched in self.watches.items():
                found = watched.look()
                if found is not ALL and not found and name not in self.pending:
                    continue
                known = self.pending.get(name, set())
                changed = ALL if found is ALL or known is ALL else known | found
                self.pending[name] = changed
                if self.reload(name, changed):
                    del self.pending[name]
                    self.generation += 1
        finally:
            self.lock.release()

    def reload(self, name: str, changed: set[str] | None) -> bool:
        """Reload one source; False keeps it marked as changed, to try again next request."""
        if name == "content":
            holder = self.app.extensions["kb"]
            return holder.reload(changed_paths(holder.root, changed))
        if name == "templates" and self.app.jinja_env.cache is not None:
            self.app.jinja_env.cache.clear()  # auto_reload sees edits; this also forgets removals
        if name == "static":
            return True  # read from disk on each request: the open pages only refresh
        if name == "catalog":
            for po_path in TRANSLATIONS.rglob("*.po"):
                compile_catalog(po_path)
            self.app.extensions["babel"].instance.domain_instance.cache.clear()
        return True


def _file_of(problem: Problem, lang: str, slug: str) -> bool:
    parts = Path(problem.path).parts
    return parts[:2] == ("content", lang) and parts[-1] == f"{slug}.md"


def page_problems() -> dict[str, Any]:
    """The problems of this page's entry and of its counterpart; the rest only as a count."""
    site = current_site()
    lang, slug = g.get("lang", "en"), (request.view_args or {}).get("slug")
    paths: set[str] = set()
    entry = site.by_slug(lang, slug) if slug and request.endpoint == "pages.entry" else None
    if entry is not None:
        other = site.translation(entry)
        other_path = other.path if other else site.unread.get((OTHER_LANG[lang], entry.id), "")
        paths = {entry.path, other_path}
    elif slug and request.endpoint == "pages.entry":
        paths = {p.path for p in site.problems if _file_of(p, lang, slug)}
    paths.add("content")  # the content could not be read at all: every page says so
    mine = [p for p in site.problems if p.path in paths]
    return {
        "content_problems": mine,
        "other_problems": len(site.problems) - len(mine),
        "preview_events": True,
    }


def events() -> Response:
    """Server-sent events: 'change' when a file the pages depend on changes (preview only).

    The stream ends after STREAM_SECONDS (the browser reconnects by itself), so a closed tab
    never holds a server thread for long; a write to a gone client ends it at once.
    """
    watcher: Watcher = current_app.extensions["kb_watcher"]

    def stream() -> Iterator[str]:
        seen = watcher.generation
        yield "retry: 300\n\n"
        deadline = time.monotonic() + STREAM_SECONDS
        while time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
            watcher.check()
            if watcher.generation != seen:
                seen = watcher.generation
                yield f"event: change\ndata: {seen}\n\n"
            else:
                yield ": still here\n\n"  # a write: a client that left ends the stream

    return Response(
        stream(),
        mimetype="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


def broken_entry_page() -> tuple[str, int] | None:
    """For the page of an entry that could not be read: its problems, instead of a 404."""
    if request.endpoint != "pages.entry":
        return None
    lang, slug = g.get("lang", "en"), (request.view_args or {}).get("slug", "")
    site = current_site()
    if site.by_slug(lang, slug) is not None:
        return None
    problems = [p for p in site.problems if _file_of(p, lang, slug)]
    if not problems:
        return None
    from kb.views import render  # the site's header and footer around the problems

    home = {other: url_for("pages.home", lang=other) for other in LANGS}
    return render(
        "problems.html",
        alternates=home,
        page_title=_("This page cannot be shown"),
        content_problems=problems,
        other_problems=len(site.problems) - len(problems),
        preview_events=True,
    ), 500


def _where(error: BaseException) -> str:
    """'templates/entry.html:12: ' for a template error, else the innermost frame of kb's own."""
    root = Path(current_app.config["KB_ROOT"])
    filename, line = getattr(error, "filename", None), getattr(error, "lineno", None)
    if not filename:
        ours = [
            f
            for f in traceback.extract_tb(error.__traceback__)
            if Path(f.filename).is_relative_to(root / "templates")
            or Path(f.filename).is_relative_to(KB_PACKAGE)
        ]
        templates = [f for f in ours if Path(f.filename).is_relative_to(root / "templates")]
        if ours:
            filename, line = (templates or ours)[-1].filename, (templates or ours)[-1].lineno
    if not filename:
        return ""
    if Path(filename).is_relative_to(root):
        filename = Path(filename).relative_to(root).as_posix()
    return f"{filename}:{line}: "


def server_error(error: InternalServerError) -> tuple[str, int]:
    """A failure while rendering (often a template being edited), said plainly; not a crash."""
    original = error.original_exception or error
    message = f"{_where(original)}{type(original).__name__}: {original}"
    title = _("The preview could not show this page")
    advice = _("Fix the problem below, save the file and reload this page.")
    return (
        f'<!doctype html><html lang="{escape(g.get("lang", "en"))}"><meta charset="utf-8">'
        f"<title>{escape(title)}</title><main><h1>{escape(title)}</h1><p>{escape(advice)}</p>"
        f"<pre>{escape(message)}</pre></main></html>",
        500,
    )


def init_app(app: Flask) -> None:
    """Turn the preview on when the app is configured for it (KB_RELOAD)."""
    # Registered for every app: templates that name it compile everywhere, but only the preview
    # has problems to show.
    app.add_template_filter(
        lambda problem: problem.shown(page_translations().ugettext), "problem_text"
    )
    if not app.config["KB_RELOAD"]:
        return
    app.jinja_env.auto_reload = True
    watcher = Watcher(app)
    app.extensions["kb_watcher"] = watcher
    app.before_request(watcher.check)
    app.before_request(broken_entry_page)
    app.context_processor(page_problems)
    app.add_url_rule("/_preview/events", "preview_events", events)
    app.register_error_handler(InternalServerError, server_error)
    from kb import editor  # the editors' workspace: the preview's only, never frozen

    app.register_blueprint(editor.bp)
