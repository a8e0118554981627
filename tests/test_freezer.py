"""kb's freezer (kb.freezer) writes what Frozen-Flask's own writes, page for page, and checks each
page as Frozen-Flask does."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pytest
from flask import Flask, Response
from flask_frozen import Freezer, MimetypeMismatchWarning, MissingURLGeneratorWarning

import kb.freeze
from kb.app import create_app
from kb.freezer import StagingFreezer
from kb.pagecache import PageCache

from support import ROOT, SITE_URL, snapshot


def test_the_site_is_what_frozen_flasks_own_freezer_writes(tmp_path, monkeypatch):
    """Both builds freeze every page (the page cache neither read nor written)."""
    monkeypatch.setattr(kb.freeze.PageCache, "get", lambda cache, key: None)
    monkeypatch.setattr(kb.freeze.PageCache, "put", lambda cache, *args: None)
    kb.freeze.build(ROOT, tmp_path / "lean", base_url=SITE_URL, jobs=1)
    monkeypatch.setattr(StagingFreezer, "_build_one", Freezer._build_one)
    kb.freeze.build(ROOT, tmp_path / "stock", base_url=SITE_URL, jobs=1)
    lean, stock = snapshot(tmp_path / "lean"), snapshot(tmp_path / "stock")
    assert len(lean) > 100
    assert lean == stock


def test_urls_built_through_kbs_cache_freeze_the_site_frozen_flask_builds(tmp_path, monkeypatch):
    """The freezer is given each page's path built through kb's URL cache (kb.urlcache), under a
    prefix: the same files and bytes as Frozen-Flask building each URL itself."""
    monkeypatch.setattr(kb.freeze.PageCache, "get", lambda cache, key: None)
    monkeypatch.setattr(kb.freeze.PageCache, "put", lambda cache, *args: None)
    site_url = "https://example.org/kb/"
    kb.freeze.build(ROOT, tmp_path / "cached", base_url=site_url, jobs=1)
    monkeypatch.setattr(kb.freeze, "page_paths", lambda pages: iter(pages))  # (endpoint, values)
    kb.freeze.build(ROOT, tmp_path / "built", base_url=site_url, jobs=1)
    cached, built = snapshot(tmp_path / "cached"), snapshot(tmp_path / "built")
    assert "fr/questions/index.html" in cached
    assert cached == built


def test_a_url_asked_for_with_or_without_its_language_is_one_url():
    """cached_url_for keeps one URL for a page asked for with its language and without it (in a
    page of that language), and never gives a page of the other language the first's."""
    from flask import url_for

    from kb.i18n import use_lang
    from kb.urlcache import cached_url_for

    app = create_app({"KB_ROOT": ROOT})
    kept = app.extensions["kb_urls"]
    with app.test_request_context("/"):
        slug = next(e.slug for e in app.extensions["kb"].get().entries.values() if e.lang == "fr")
        use_lang("fr")
        french = url_for("pages.entry", slug=slug, lang="fr")
        assert cached_url_for("pages.entry", slug=slug) == french
        assert cached_url_for("pages.entry", slug=slug, lang="fr") == french
        assert len(kept) == 1
        use_lang("en")
        english = cached_url_for("pages.entry", slug=slug)
        assert english == url_for("pages.entry", slug=slug, lang="en") != french
        assert english.startswith("/en/") and french.startswith("/fr/")
        assert cached_url_for("static", filename="style.css") == "/static/style.css"
        assert len(kept) == 3


def test_the_page_cache_keeps_the_bytes_written(tmp_path):
    """The page cache is given each page's bytes as written, not read back from the file."""
    root = tmp_path / "site"
    for name in ("content", "templates", "static"):
        shutil.copytree(ROOT / name, root / name)
    kb.freeze.build(root, tmp_path / "out", jobs=1)
    cache = PageCache(root)
    kept = [cache.get(path.name) for path in cache.folder.iterdir() if path.name[0] != "."]
    assert len(kept) > 100
    for url, path, data in kept:
        assert (tmp_path / "out" / path).read_bytes() == data, url


def small_app(tmp_path: Path) -> Flask:
    app = Flask(__name__)
    app.config.update(FREEZER_DESTINATION=str(tmp_path / "out"), FREEZER_REMOVE_EXTRA_FILES=False)

    @app.route("/page/")
    def page():
        return "<p>page</p>"

    @app.route("/nested/deep/page.html")
    def nested():
        return "<p>nested</p>"

    @app.route("/wrong.json")
    def wrong():
        return Response("not json", mimetype="text/html")

    @app.route("/broken/")
    def broken():
        raise RuntimeError("broken")

    return app


def freeze(app: Flask, *urls: str) -> dict[str, bytes]:
    freezer = StagingFreezer(
        app,
        with_static_files=False,
        with_no_argument_rules=False,
        log_url_for=False,
        keep_bytes=True,
    )
    freezer.register_generator(lambda: list(urls))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MissingURLGeneratorWarning)  # the endpoints left out
        frozen = {page.url: page.path for page in freezer.freeze_yield()}
    assert set(frozen) == set(urls)
    for url, data in freezer.written.items():
        assert (freezer.root / frozen[url]).read_bytes() == data
    return freezer.written


def test_pages_are_written_where_frozen_flask_writes_them(tmp_path):
    written = freeze(small_app(tmp_path), "/page/", "/nested/deep/page.html")
    assert written == {"/page/": b"<p>page</p>", "/nested/deep/page.html": b"<p>nested</p>"}
    assert (tmp_path / "out/page/index.html").read_bytes() == b"<p>page</p>"
    assert (tmp_path / "out/nested/deep/page.html").read_bytes() == b"<p>nested</p>"


def test_a_failing_page_fails_as_with_frozen_flask(tmp_path):
    app = small_app(tmp_path)
    with pytest.raises(ValueError, match="Unexpected status '500 INTERNAL SERVER ERROR'"):
        freeze(app, "/broken/")


def test_a_wrong_mime_type_is_warned_of_as_with_frozen_flask(tmp_path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        freeze(small_app(tmp_path), "/wrong.json")
    assert [w.category for w in caught] == [MimetypeMismatchWarning]
    assert "type application/json" in str(caught[0].message)


def test_frozen_flasks_other_settings_get_its_own_freezer(tmp_path):
    """Skipping existing files is Frozen-Flask's to do: kb's freezer hands it back."""
    app = small_app(tmp_path)
    app.config["FREEZER_SKIP_EXISTING"] = True
    (tmp_path / "out/page").mkdir(parents=True)
    (tmp_path / "out/page/index.html").write_bytes(b"kept")
    freezer = StagingFreezer(
        app, with_static_files=False, with_no_argument_rules=False, log_url_for=False
    )
    freezer.register_generator(lambda: ["/page/"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MissingURLGeneratorWarning)
        list(freezer.freeze_yield())
    assert (tmp_path / "out/page/index.html").read_bytes() == b"kept"
