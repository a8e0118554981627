"""Page feedback in Chromium, in its three configurations: an endpoint, an email only, neither.

The endpoint is a small HTTP receiver the test starts on 127.0.0.1; it records every POST body.
"""

from __future__ import annotations

import contextlib
import http.server
from typing import ClassVar
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from kb.freeze import build

from support import make_site, pair, serve

pytestmark = pytest.mark.browser

SITE_YML = """\
site_url: https://kb.example.org/
publisher:
  en: Ministry of Examples
  fr: ministère des Exemples
contact: {contact}
sources:
  - en:
      title: The January FAQ
    fr:
      title: La FAQ de janvier
{feedback}"""
PAGES = {"en": "/en/questions/planning/", "fr": "/fr/questions/planification/"}


class Receiver(http.server.BaseHTTPRequestHandler):
    """Records the body of every POST and answers with a short page."""

    bodies: ClassVar[list[dict]] = []

    def do_POST(self):  # noqa: N802 (stdlib name)
        length = int(self.headers.get("Content-Length", 0))
        Receiver.bodies.append(parse_qs(self.rfile.read(length).decode("utf-8")))
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(b"<!doctype html><title>Received</title><h1>Received</h1>")

    def log_message(self, format, *args):  # noqa: A002
        pass


@pytest.fixture(scope="module")
def receiver():
    with serve(handler=Receiver) as url:
        yield url + "/feedback"


@pytest.fixture(scope="module")
def sites(tmp_path_factory, receiver):
    """One small built site per configuration, each served on loopback: name → base URL."""
    configs = {
        "endpoint": ("https://example.org/contact", f"feedback_url: {receiver}\n"),
        "email": ("info@example.org", ""),
        "none": ("https://example.org/contact", ""),
    }
    urls = {}
    with contextlib.ExitStack() as servers:
        for name, (contact, feedback) in configs.items():
            root = make_site(
                tmp_path_factory.mktemp(name),
                {**pair(), "content/site.yml": SITE_YML.format(contact=contact, feedback=feedback)},
            )
            out = root / "build"
            build(root, out)
            urls[name] = servers.enter_context(serve(out))
        yield urls


@pytest.fixture()
def context_for(browser):
    made = []

    def make(script: bool):
        context = browser.new_context(java_script_enabled=script)
        made.append(context)
        return context.new_page()

    yield make
    for context in made:
        context.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("script", [True, False], ids=["js", "no-js"])
def test_no_with_a_comment_reaches_the_endpoint_with_page_url_and_language(
    sites, context_for, lang, script
):
    page = context_for(script)
    page.goto(sites["endpoint"] + PAGES[lang])
    form = page.locator("form#page-feedback")
    assert form.get_attribute("method") == "post"
    question = {
        "en": "Did you find what you were looking for?",
        "fr": "Avez-vous trouvé ce que vous cherchiez?",
    }[lang]
    assert page.locator("legend").inner_text() == question
    warning = {
        "en": "Do not include personal information",
        "fr": "N'indiquez aucun renseignement personnel",
    }
    assert warning[lang] in page.locator("#feedback-warning").inner_text()
    comment = page.locator("#feedback-comment")
    if script:
        assert not comment.is_visible(), "the comment box opens on No"
    page.get_by_label({"en": "No", "fr": "Non"}[lang], exact=True).check()
    assert comment.is_visible()
    comment.fill("The contract dates for my area")
    Receiver.bodies.clear()
    page.get_by_role("button", name={"en": "Send", "fr": "Envoyer"}[lang]).click()
    if script:
        status = page.locator("#feedback-status")
        status.wait_for(state="visible")
        assert status.get_attribute("role") == "status"
        assert (
            status.inner_text()
            == {"en": "Thank you for your feedback.", "fr": "Merci de votre rétroaction."}[lang]
        )
        assert urlsplit(page.url).path == PAGES[lang], "the reader stays on the page"
        assert not form.is_visible()
    else:
        page.wait_for_url("**/feedback")
        assert page.locator("h1").inner_text() == "Received"
    page.wait_for_function("1")  # let the receiver finish recording
    assert Receiver.bodies == [
        {
            "helpful": ["no"],
            "comment": ["The contract dates for my area"],
            "page": [f"https://kb.example.org{PAGES[lang]}"],
            "lang": [lang],
        }
    ]


@pytest.mark.parametrize("script", [True, False], ids=["js", "no-js"])
def test_yes_sends_no_comment(sites, context_for, script):
    page = context_for(script)
    page.goto(sites["endpoint"] + PAGES["en"])
    page.get_by_label("Yes", exact=True).check()
    Receiver.bodies.clear()
    page.get_by_role("button", name="Send").click()
    if script:
        page.locator("#feedback-status").wait_for(state="visible")
    else:
        page.wait_for_url("**/feedback")
    body = Receiver.bodies[0]
    assert body["helpful"] == ["yes"] and body["lang"] == ["en"] and "comment" not in body


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("script", [True, False], ids=["js", "no-js"])
def test_with_an_email_only_a_mailto_link_carries_the_page_url(sites, context_for, lang, script):
    page = context_for(script)
    page.goto(sites["email"] + PAGES[lang])
    assert page.locator("form#page-feedback").count() == 0
    assert page.locator("script[src*=feedback]").count() == 0
    href = page.locator("a.feedback-mail").get_attribute("href")
    assert href.startswith("mailto:info@example.org?subject=")
    assert f"https://kb.example.org{PAGES[lang]}" in unquote(href)
    assert (
        page.locator(".page-feedback h2").inner_text()
        == {
            "en": "Did you find what you were looking for?",
            "fr": "Avez-vous trouvé ce que vous cherchiez?",
        }[lang]
    )


@pytest.mark.parametrize("script", [True, False], ids=["js", "no-js"])
def test_with_neither_there_is_no_widget(sites, context_for, script):
    page = context_for(script)
    for path in PAGES.values():
        page.goto(sites["none"] + path)
        assert page.locator("h1").inner_text()
        assert page.locator(".page-feedback, script[src*=feedback]").count() == 0


def test_an_entry_page_with_the_feedback_form_stays_under_60_kb(sites, browser):
    """First visit, nothing cached: HTML, CSS, the feedback script and anything else it loads."""
    context = browser.new_context()
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    requests = []
    page.on("requestfinished", lambda request: requests.append(request))
    page.goto(sites["endpoint"] + PAGES["en"], wait_until="networkidle")
    sizes = {r.url: r.sizes()["responseBodySize"] for r in requests}
    context.close()
    assert any(url.endswith("feedback.js") for url in sizes)
    assert any(url.endswith("style.css") for url in sizes)
    assert sum(sizes.values()) <= 60 * 1024, sizes
