"""What a reader does in a real browser: headless Chromium against the frozen site."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_language_toggle_goes_to_the_counterpart_and_back(frozen_server, page, site):
    en = site.get("en", "phase-2-planning-period")
    fr = site.translation(en)
    page.goto(f"{frozen_server}/en/questions/{en.slug}/")
    assert page.locator("h1").inner_text() == en.title
    page.get_by_role("link", name="Français").click()
    page.wait_for_url(f"**/fr/questions/{fr.slug}/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").inner_text() == fr.title
    page.get_by_role("link", name="English").click()
    page.wait_for_url(f"**/en/questions/{en.slug}/")
    assert page.locator("h1").inner_text() == en.title


def test_splash_page_leads_to_each_home(frozen_server, page):
    page.goto(frozen_server + "/")
    page.get_by_role("link", name="Français").click()
    page.wait_for_url("**/fr/")
    assert page.locator("h1").inner_text().startswith("Transformation des services d'emploi")


def test_skip_link_is_the_first_stop_and_moves_focus_to_main(frozen_server, page):
    page.goto(frozen_server + "/en/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to main content"
    assert page.evaluate("getComputedStyle(document.activeElement).top") != "-64px"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_home_to_audience_to_entry_then_print_without_chrome(frozen_server, page, site, tmp_path):
    page.goto(frozen_server + "/en/")
    page.get_by_role("main").get_by_role("link", name="Social assistance offices").click()
    page.wait_for_url("**/en/audiences/social-assistance-offices/")
    entry = site.get("en", "phase-2-social-assistance-changes")
    page.get_by_role("main").get_by_role("link", name=entry.title).first.click()
    page.wait_for_url(f"**/en/questions/{entry.slug}/")
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => ['.site-header', '.site-nav', '.breadcrumb', '.site-footer',
        '.related'].map(s => document.querySelector(s))
        .filter(Boolean).map(el => getComputedStyle(el).display)""")
    assert hidden and set(hidden) == {"none"}
    assert page.locator(".print-url").is_visible()
    assert f"/en/questions/{entry.slug}/" in page.locator(".print-url").inner_text()
    pdf = tmp_path / "entry.pdf"
    page.pdf(path=str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 5_000
