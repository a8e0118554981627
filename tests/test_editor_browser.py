"""The editors' workspace in Chromium, in both languages: side by side, filters, keyboard, axe."""

from __future__ import annotations

import shutil
import threading

import pytest
from werkzeug.serving import make_server

from kb.app import create_app
from kb.preview import preview_config

from support import ROOT, describe

pytestmark = pytest.mark.browser

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}
STALE = "phase-2-overview"


@pytest.fixture(scope="module")
def preview_url(tmp_path_factory):
    """`kb serve`'s application on a copy of the content where one French file is stale."""
    root = tmp_path_factory.mktemp("editor")
    for name in ("content", "templates", "static"):
        shutil.copytree(ROOT / name, root / name)
    english = root / "content/en/phase-2/phase-2-overview.md"
    english.write_text(
        english.read_text(encoding="utf-8").replace(
            "Phase 2 is the next group", "Phase 2, as announced, is the next group"
        ),
        encoding="utf-8",
    )
    server = make_server("127.0.0.1", 0, create_app(preview_config(root)), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def axe(page) -> list[str]:
    from axe_playwright_python.base import AXE_FILE_PATH

    page.add_script_tag(path=str(AXE_FILE_PATH))
    result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    return [describe(v) for v in result["violations"]]


@pytest.mark.parametrize(
    "lang,filter_label,heading",
    [
        ("en", "Needs translation", "Editors' workspace"),
        ("fr", "À traduire", "Espace des rédacteurs"),
    ],
)
def test_dashboard_filters_by_keyboard_and_is_axe_clean(
    page, preview_url, lang, filter_label, heading
):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{preview_url}/_editor/?lang={lang}")
    assert page.evaluate("document.documentElement.lang") == lang
    assert page.locator("h1").inner_text() == heading
    assert page.locator("table.editor-table tbody tr").count() == 26
    assert axe(page) == []
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    for _ in range(40):  # Tab on to the filter, as a keyboard user would
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == filter_label:
            break
    else:
        pytest.fail(f"Tab never reached the filter '{filter_label}'")
    page.keyboard.press("Enter")
    page.wait_for_url("**filter=translation**")
    rows = page.locator("table.editor-table tbody th[scope=row]")
    assert rows.all_inner_texts() == [STALE]
    assert page.locator("nav.editor-filters a[aria-current=page]").inner_text() == filter_label
    assert axe(page) == []
    rows.locator("a").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/_editor/{STALE}/**")
    assert f"lang={lang}" in page.url


@pytest.mark.parametrize(
    "lang,english,french,changes",
    [
        ("en", "English", "French", "Changes in the other language since the last sync"),
        (
            "fr",
            "Anglais",
            "Français",
            "Modifications dans l'autre langue depuis la dernière synchronisation",
        ),
    ],
)
def test_pair_page_shows_both_languages_side_by_side_with_the_changes(
    page, preview_url, lang, english, french, changes
):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{preview_url}/_editor/{STALE}/?lang={lang}")
    left, right = page.locator("#side-en"), page.locator("#side-fr")
    assert (left.inner_text(), right.inner_text()) == (english, french)
    boxes = [page.locator(".side-by-side > section").nth(i).bounding_box() for i in (0, 1)]
    assert boxes[0]["x"] + boxes[0]["width"] <= boxes[1]["x"] and boxes[0]["y"] == boxes[1]["y"]
    french_side = page.locator(".side-by-side > section").nth(1)
    assert changes in french_side.inner_text()
    diff = french_side.locator("pre.diff").inner_text()
    assert "Phase 2, as announced, is the next group" in diff  # its text now: the copy has no git
    assert "content/fr/phase-2/phase-2-apercu.md" in french_side.inner_text()
    assert "kb sync phase-2-overview" in french_side.inner_text()
    assert page.locator(".side-by-side > section").nth(0).locator("pre.diff").count() == 0
    assert axe(page) == []
    page.locator("pre.diff").focus()  # a scrolling region a keyboard can reach
    assert page.evaluate("document.activeElement.tagName") == "PRE"
