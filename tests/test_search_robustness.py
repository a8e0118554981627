"""Any string at the search page and at `kb search --json`: an answer, valid JSON, no markup."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.search import engine_for

SENTINEL = "<kbx-probe>"
SYNTAX = [
    "AND",
    "OR",
    "NOT",
    "(",
    ")",
    '"',
    "*",
    "?",
    "~",
    "^",
    ":",
    "title:x",
    "body:*",
    "\x00",
    "\x07",
    "\x1b[31m",
    "\ufffd",
    "é",
    "e\u0301",
    "ﬁ",
    "😀",
    "SSM",
    "transition",
    "<b>",
    "&amp;",
    "</textarea>",
    "{{ 7*7 }}",
    "%s",
    "\\",
    "\u202e",
]

queries = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(SYNTAX), max_size=30).map(" ".join),
    st.builds(
        lambda part, times: part * times,
        st.text(min_size=1, max_size=5),
        st.integers(min_value=2_000, max_value=10_000),
    ),
)
fuzz = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)


def tags(html: str) -> set[str]:
    parser = Tags()
    parser.feed(html)
    return parser.tags


@pytest.fixture(scope="module")
def page_tags(app) -> set[str]:
    """Every tag the search page itself uses, with and without results."""
    client = app.test_client()
    found = set()
    for query in ("transition", "service", "zebra", "transtion period"):
        found |= tags(client.get("/en/search/", query_string={"q": query}).get_data(as_text=True))
    return found


@fuzz
@given(query=queries, lang=st.sampled_from(["en", "fr"]), page=st.integers(-5, 10**6))
def test_the_search_page_answers_any_query(app, page_tags, query, lang, page):
    url = "/en/search/" if lang == "en" else "/fr/recherche/"
    response = app.test_client().get(url, query_string={"q": query + SENTINEL, "page": page})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<kbx-probe" not in html
    assert tags(html) <= page_tags


@fuzz
@given(query=queries, lang=st.sampled_from(["en", "fr"]))
def test_kb_search_json_answers_any_query(site, query, lang):
    results = json.loads(json.dumps(engine_for(site).search_json(lang, query + SENTINEL)))
    assert isinstance(results, list)
    for result in results:
        assert "<" not in re.sub(r"</?mark>", "", result["snippet"])
