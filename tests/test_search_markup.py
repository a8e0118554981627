"""The results markup is written twice, in templates/search.html (the server's page) and in
static/search.js's render (the static page): for the same query both give the same elements,
attributes, links and text, so a change to one that the other lacks fails here."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import ClassVar
from urllib.parse import parse_qsl, urlsplit

import pytest

pytestmark = pytest.mark.browser

PAGES = {"en": "/en/search/", "fr": "/fr/recherche/"}
QUERIES = [
    ("en", "transition period"),
    ("en", "SSM"),  # more than one page of results: the pager
    ("en", "zebra"),  # no result
    ("fr", "période de transition"),
    ("fr", "GSS"),
]


class Markup(HTMLParser):
    """The inside of #search-results as (start tag, attributes) / text / end tag items, with
    what may differ without a reader seeing it left out: whitespace between elements, attribute
    order, the order of a link's query parameters and of the words it highlights, and elements that are
    hidden."""

    VOID: ClassVar[set[str]] = {"br", "img", "input", "meta", "link", "hr", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[tuple] = []
        self.depth = 0  # inside #search-results: the depth below it
        self.hidden_at: int | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        values = dict(attrs)
        if self.depth == 0:
            if values.get("id") == "search-results":
                self.depth = 1
            return
        if tag not in self.VOID:
            self.depth += 1
        if self.hidden_at is None and "hidden" in values:
            self.hidden_at = self.depth
        if self.hidden_at is None:
            if "href" in values:
                values["href"] = link(values["href"])
            self.items.append(("<", tag, tuple(sorted(values.items()))))

    def handle_endtag(self, tag: str) -> None:
        if self.depth == 0 or tag in self.VOID:
            return
        if self.hidden_at is None and self.depth > 1:
            self.items.append((">", tag))
        if self.hidden_at == self.depth:
            self.hidden_at = None
        self.depth -= 1

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if self.depth and self.hidden_at is None and text:
            if self.items and self.items[-1][0] == "text":
                self.items[-1] = ("text", f"{self.items[-1][1]} {text}")
            else:
                self.items.append(("text", text))


def link(href: str) -> tuple:
    parts = urlsplit(href)
    # hl lists the words to highlight on arrival, a set: its order is the runtime's own.
    query = [
        (key, ",".join(sorted(value.split(","))) if key == "hl" else value)
        for key, value in parse_qsl(parts.query)
    ]
    return parts.path, tuple(sorted(query)), parts.fragment


def markup(html: str) -> list[tuple]:
    parser = Markup()
    parser.feed(html)
    return parser.items


@pytest.mark.parametrize("lang, query", QUERIES)
def test_the_server_and_the_static_page_write_the_same_results(
    client, frozen_server, page, lang, query
):
    response = client.get(PAGES[lang], query_string={"q": query})
    assert response.status_code == 200
    server = markup(response.get_data(as_text=True))
    assert server, "the server's page has no results region"
    page.goto(f"{frozen_server}{PAGES[lang]}?q={query}")
    page.wait_for_selector("#search-results[data-done]")
    static = markup(page.eval_on_selector("#search-results", "el => el.outerHTML"))
    assert static == server


def test_the_comparison_sees_a_difference():
    one = '<div id="search-results"><p class="search-summary">2 results</p></div>'
    other = '<div id="search-results"><p class="summary">2 results</p></div>'
    hidden = '<div id="search-results"><p class="search-summary">2 results</p><p hidden>x</p></div>'
    assert markup(one) != markup(other)
    assert markup(one) == markup(hidden)
