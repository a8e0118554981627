"""Markdown bodies: entry links, rendering once, and sanitising the HTML."""

from __future__ import annotations

import html as html_module
import re
from collections.abc import Callable
from xml.etree import ElementTree

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

ENTRY_LINK = re.compile(r"\]\(\s*entry:([^)\s#]*)(#[^)\s]*)?")

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "h2", "h3",
    "h4", "h5", "h6", "hr", "li", "ol", "p", "pre", "span", "strong", "sub", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", "lang"},
    "a": {"href", "title"},
    "abbr": {"title"},
    "td": {"align"},
    "th": {"align", "scope"},
}


def entry_links(body: str, first_line: int) -> list[tuple[int, str]]:
    """Every `entry:ID` link target in a body, with its line number."""
    found = []
    for offset, line in enumerate(body.split("\n")):
        for match in ENTRY_LINK.finditer(line):
            found.append((first_line + offset, match.group(1)))
    return found


class _EntryLinks(Treeprocessor):
    """Rewrites `entry:ID#anchor` hrefs to the URL of that entry in the page's language."""

    def __init__(self, md: markdown.Markdown, resolve: Callable[[str], str | None]):
        super().__init__(md)
        self.resolve = resolve

    def run(self, root: ElementTree.Element) -> None:
        for link in root.iter("a"):
            href = link.get("href", "")
            if not href.startswith("entry:"):
                continue
            target, _, anchor = href[len("entry:") :].partition("#")
            url = self.resolve(target)
            link.set("href", (url + ("#" + anchor if anchor else "")) if url else "#")


class EntryLinkExtension(Extension):
    def __init__(self, resolve: Callable[[str], str | None]):
        super().__init__()
        self.resolve = resolve

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.treeprocessors.register(_EntryLinks(md, self.resolve), "kb_entry_links", 1)


class Renderer:
    """Renders entry bodies of one language: Markdown once, then an allow-list sanitiser."""

    def __init__(self, resolve: Callable[[str], str | None], abbreviations: dict[str, str]):
        self._md = markdown.Markdown(
            extensions=[
                "abbr",
                "attr_list",
                "def_list",
                "fenced_code",
                "footnotes",
                "tables",
                "sane_lists",
                "toc",
                EntryLinkExtension(resolve),
            ],
            extension_configs={
                "abbr": {"glossary": abbreviations},
                "toc": {"permalink": False, "toc_depth": "2-4"},
                "footnotes": {"BACKLINK_TITLE": "↩"},
            },
            output_format="html",
        )

    def render(self, body: str) -> str:
        html = self._md.reset().convert(body)
        return wrap_tables(sanitise(html))


TABLE = re.compile(r"<table>(.*?)</table>", re.DOTALL)
HEADER_CELL = re.compile(r"<th[^>]*>(.*?)</th>", re.DOTALL)


def wrap_tables(html: str) -> str:
    """Each table in a box that scrolls sideways on narrow screens: focusable, so a keyboard can
    scroll it (WCAG 2.1.1), and named by its column headings, in the page's own language."""

    def wrap(match: re.Match) -> str:
        headings = [plain_text(cell).rstrip(".") for cell in HEADER_CELL.findall(match.group(1))]
        label = html_module.escape(", ".join(h for h in headings if h), quote=True)
        return (f'<div class="table-scroll" tabindex="0" role="region" aria-label="{label}">'
                f"{match.group(0)}</div>")

    return TABLE.sub(wrap, html)


SAFE_SCHEMES = frozenset({"http", "https", "mailto"})  # the URL schemes the sanitiser keeps


def sanitise(html: str) -> str:
    """Keep only safe tags, attributes and URL schemes (no script, handlers or javascript:)."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(SAFE_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )


# The end of a block (heading, paragraph, list item, cell): a break in the plain text.
BLOCK_END = re.compile(r"</(?:h[1-6]|p|li|dt|dd|th|td|caption|blockquote|pre)>", re.IGNORECASE)
BREAK = "\ue000"  # a private-use character: kept as text by the sanitiser, never in content
SENTENCE_END = tuple(".!?:;…")


def plain_text(html: str) -> str:
    """Visible text of sanitised HTML, whitespace collapsed (for search and descriptions).

    Blocks become sentences: 'Programs</h2><ul><li>Employment Service' gives 'Programs.
    Employment Service', not a heading run into the list that follows it.
    """
    text = html_module.unescape(nh3.clean(BLOCK_END.sub(BREAK, html), tags=set()))
    # Collapse ASCII whitespace only: no-break spaces are part of French typography.
    blocks = re.sub(r"[ \t\n\r\f\v]+", " ", text).split(BREAK)
    sentences = [block.strip(" ") for block in blocks if block.strip(" ")]
    return " ".join(s if s.endswith(SENTENCE_END) else f"{s}." for s in sentences)
