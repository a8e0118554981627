"""Shared fixtures: the real content, the Flask test client, one frozen build, headless Chromium."""

from __future__ import annotations

import functools
import http.server
import importlib.util
import os
import shutil
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.app import create_app
from kb.content import load_site
from kb.freeze import build
from support import make_site  # noqa: F401 (imported from conftest by older tests)

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "cases"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="session")
def site():
    """The real content of the repository, loaded once."""
    return load_site(ROOT)


def bench_corpus():
    """bench/corpus.py, the benchmark's generator of synthetic sites."""
    spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "bench" / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def synthetic_root(tmp_path_factory) -> Path:
    """A generated site of 150 entries per language: long, varied answers, lists and tables."""
    root = tmp_path_factory.mktemp("synthetic")
    bench_corpus().generate(root, 150, seed=7)
    return root


@pytest.fixture(scope="session")
def synthetic_site(synthetic_root):
    site = load_site(synthetic_root)
    assert not [p for p in site.problems if p.level == "error"], site.problems
    return site


@pytest.fixture()
def runner() -> CliRunner:
    """click's test runner, for the kb command (kb.cli.main)."""
    return CliRunner()


@pytest.fixture(scope="session")
def app(site):
    return create_app({"TESTING": True, "KB_ROOT": ROOT, "SITE": site})


@pytest.fixture()
def client(app):
    return app.test_client()


SITE_URL = "https://kb.example.org/"  # the public URL the test builds are given


@pytest.fixture(scope="session")
def frozen(tmp_path_factory) -> Path:
    """The real site built once with `kb build`'s code path, with a site URL (for the sitemap)."""
    out = tmp_path_factory.mktemp("frozen") / "build"
    build(ROOT, out, base_url=SITE_URL)
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (stdlib signature)
        pass


@pytest.fixture(scope="session")
def frozen_server(frozen):
    """The frozen site served over HTTP on loopback, as a static host would."""
    handler = functools.partial(_QuietHandler, directory=str(frozen))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium through Playwright; a loud skip without it, a failure under CI."""
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM}: install Debian's chromium package"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()
