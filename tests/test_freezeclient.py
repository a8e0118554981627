"""The freezer's client (kb.freezeclient) asks the app exactly what Werkzeug's test client asks,
and the site it freezes is the test client's, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

import kb.freeze
from kb.app import create_app
from kb.freezeclient import CookielessClient, FreezerClient, environ_for, page_environ

from support import ROOT, SITE_URL, snapshot

BASE_URLS = [None, "/", SITE_URL, "https://example.org/kb/", "http://localhost:8000/"]


@pytest.fixture(scope="module")
def freezer_app(site):
    return create_app({"KB_ROOT": ROOT, "SITE": site, "KB_SITE_URL": SITE_URL})


def page_urls(frozen: Path) -> list[str]:
    """The URL of every page of the frozen site."""
    urls = []
    for page in frozen.rglob("*.html"):
        path = "/" + page.relative_to(frozen).as_posix()
        urls.append(path.removesuffix("index.html"))
    return sorted(urls)


@pytest.mark.parametrize("base_url", BASE_URLS)
def test_each_page_is_asked_with_the_test_clients_environ(freezer_app, frozen, base_url):
    urls = page_urls(frozen)
    assert len(urls) > 100
    for url in urls:
        copied = page_environ(freezer_app, url, base_url)
        built = environ_for(freezer_app, url, base_url)
        assert copied is not None, url
        assert copied.pop("wsgi.input").read() == built.pop("wsgi.input").read() == b""
        assert copied == built, url


def test_a_page_gets_the_test_clients_answer(freezer_app):
    for url in ["/", "/en/", "/fr/", "/en/questions/", "/fr/recherche/"]:
        lean = FreezerClient(freezer_app).get(url, base_url=SITE_URL)
        tested = CookielessClient(freezer_app).get(url, base_url=SITE_URL)
        assert (lean.status_code, lean.mimetype, lean.data) == (
            tested.status_code,
            tested.mimetype,
            tested.data,
        ), url
        assert lean.status == "200 OK"


@pytest.mark.parametrize("url", ["/en/search/?q=caf%C3%A9", "/fr/é/", "/en/%7Efile/"])
def test_a_url_to_encode_goes_through_the_test_client(freezer_app, url):
    assert page_environ(freezer_app, url, SITE_URL) is None
    lean = FreezerClient(freezer_app).get(url, base_url=SITE_URL)
    tested = CookielessClient(freezer_app).get(url, base_url=SITE_URL)
    assert type(lean) is type(tested)
    assert (lean.status_code, lean.data) == (tested.status_code, tested.data)


def test_an_error_is_answered_as_the_test_client_answers_it(freezer_app):
    """A page that is not found gets the status Frozen-Flask reports, rendered once."""
    url = "/en/questions/no-such-question/"
    lean = FreezerClient(freezer_app).get(url, base_url="/")
    tested = CookielessClient(freezer_app).get(url, base_url="/")
    assert (lean.status, lean.status_code, lean.mimetype, lean.data) == (
        tested.status,
        tested.status_code,
        tested.mimetype,
        tested.data,
    )
    assert lean.status == "404 NOT FOUND"


def test_a_redirect_is_followed_by_the_test_client(freezer_app):
    """/en/questions redirects to /en/questions/: the test client follows it, as before."""
    lean = FreezerClient(freezer_app).get("/en/questions", follow_redirects=True, base_url="/")
    assert type(lean) is not kb.freezeclient.PageResponse
    assert lean.status_code == 200
    assert lean.data == FreezerClient(freezer_app).get("/en/questions/", base_url="/").data


def test_the_site_frozen_with_the_test_client_is_the_same(tmp_path, monkeypatch):
    """Both builds freeze every page (the page cache neither read nor written)."""
    monkeypatch.setattr(kb.freeze.PageCache, "get", lambda cache, key: None)
    monkeypatch.setattr(kb.freeze.PageCache, "put", lambda cache, *args: None)
    kb.freeze.build(ROOT, tmp_path / "lean", base_url=SITE_URL, jobs=1)
    monkeypatch.setattr(kb.freeze, "FreezerClient", CookielessClient)
    kb.freeze.build(ROOT, tmp_path / "tested", base_url=SITE_URL, jobs=1)
    assert snapshot(tmp_path / "lean") == snapshot(tmp_path / "tested")


def test_a_static_file_is_sent_as_the_test_client_sends_it(freezer_app):
    """A file is sent as it is (direct passthrough): read through WSGI, not from the response."""
    for url in ["/static/style.css", "/static/search.js"]:
        lean = FreezerClient(freezer_app).get(url, base_url="/")
        with CookielessClient(freezer_app).get(url, base_url="/") as tested:
            assert (lean.status, lean.mimetype, lean.data) == (
                tested.status,
                tested.mimetype,
                tested.data,
            )
        assert lean.data == (ROOT / url.lstrip("/")).read_bytes()


def test_an_app_wrapped_in_middleware_is_asked_through_it(site):
    """A page is read from Flask's response only when nothing wraps the app's WSGI call."""
    app = create_app({"KB_ROOT": ROOT, "SITE": site, "KB_SITE_URL": SITE_URL})
    inner = app.wsgi_app

    def middleware(environ, start_response):
        return [b"<!-- wrapped -->", *inner(environ, start_response)]

    app.wsgi_app = middleware
    lean = FreezerClient(app).get("/en/", base_url="/")
    assert lean.data.startswith(b"<!-- wrapped --><!doctype html>")
    assert lean.data == CookielessClient(app).get("/en/", base_url="/").data
