"""Shared fixtures: the real content, the Flask test client, one frozen build, headless Chromium."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.app import create_app
from kb.content import load_site
from kb.freeze import build

from support import ROOT, SITE_URL, bench_corpus, serve

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def site():
    """The real content of the repository, loaded once."""
    return load_site(ROOT)


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


@pytest.fixture(scope="session")
def runner() -> CliRunner:
    """click's test runner, for the kb command (kb.cli.main); it keeps nothing between runs."""
    return CliRunner()


@pytest.fixture(scope="session")
def app(site):
    return create_app({"TESTING": True, "KB_ROOT": ROOT, "SITE": site})


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def frozen(tmp_path_factory) -> Path:
    """The real site built once with `kb build`'s code path, with a site URL (for the sitemap)."""
    out = tmp_path_factory.mktemp("frozen") / "build"
    build(ROOT, out, base_url=SITE_URL)
    return out


@pytest.fixture(scope="session")
def frozen_server(frozen):
    """The frozen site served over HTTP on loopback, as a static host would."""
    with serve(frozen) as url:
        yield url


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
