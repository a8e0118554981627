"""Markdown bodies: entry links, rendering once, and sanitising the HTML."""

from __future__ import annotations

import html as html_module
import re
import secrets
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from kb import mdfast, media
from kb.watching import file_version

# Markdown images are renamed for the sanitiser, which removes raw <img> (unchecked, unsized).
# The name ends with a secret of this process: the tag written by hand in an entry is an unknown
# element, removed (and reported by kb.rawhtml) like any other raw HTML.
MARKDOWN_IMAGE_PREFIX = "kb-markdown-image"
MARKDOWN_IMAGE = f"{MARKDOWN_IMAGE_PREFIX}-{secrets.token_hex(8)}"
SAFE_SCHEMES = ("http", "https", "mailto", "tel")  # tel: a phone number readers can call
ENTRY_LINK = re.compile(r"\]\(\s*entry:([^)\s#]*)(#[^)\s]*)?")

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", "lang"},
    "a": {"href", "title"},
    "abbr": {"title"},
    MARKDOWN_IMAGE: {"src", "alt", "width", "height", "loading"},
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
    """Rewrites `entry:ID#anchor` and `catchment:ID#anchor` hrefs to the URL of that entry or
    catchment-area page in the page's language (`catchment:#phase-2`: the list of areas)."""

    def __init__(self, md: markdown.Markdown, resolvers: dict[str, Callable[[str], str | None]]):
        super().__init__(md)
        self.resolvers = resolvers

    def run(self, root: ElementTree.Element) -> None:
        for link in root.iter("a"):
            scheme, colon, rest = link.get("href", "").partition(":")
            if not colon or scheme not in self.resolvers:
                continue
            target, _, anchor = rest.partition("#")
            url = self.resolvers[scheme](target)
            link.set("href", (url + ("#" + anchor if anchor else "")) if url else "#")


class _Media(Treeprocessor):
    """Images and links into content/media/: the URL of the copy in the build, and the size."""

    def __init__(self, md: markdown.Markdown):
        super().__init__(md)
        self.content: Path | None = None
        self.path = ""

    def run(self, root: ElementTree.Element) -> None:
        if self.content is None:
            return
        for element, key in [
            *((e, "src") for e in root.iter("img")),
            *((e, "href") for e in root.iter("a")),
        ]:
            name = media.media_name(self.content, self.path, element.get(key, ""))
            if name is None:
                continue
            element.set(key, media.URL_FROM_ENTRY + name)
            if element.tag != "img":
                continue
            element.tag = MARKDOWN_IMAGE
            if element.get("alt", "").strip().casefold() == media.DECORATIVE:
                element.set("alt", "")
            file = self.content / media.FOLDER / name
            try:
                size = media.dimensions(file, file_version(file.stat()))
            except OSError:
                size = None
            if size:
                element.set("width", str(size[0]))
                element.set("height", str(size[1]))
            element.set("loading", "lazy")


class EntryLinkExtension(Extension):
    def __init__(self, resolvers: dict[str, Callable[[str], str | None]]):
        super().__init__()
        self.resolvers = resolvers

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.treeprocessors.register(_EntryLinks(md, self.resolvers), "kb_entry_links", 1)
        md.treeprocessors.register(_Media(md), "kb_media", 2)


class Renderer:
    """Renders entry bodies of one language: Markdown once, then an allow-list sanitiser."""

    def __init__(
        self,
        resolve: Callable[[str], str | None],
        abbreviations: dict[str, str],
        content: Path | None = None,
        resolve_catchment: Callable[[str], str | None] | None = None,
    ):
        self.content = content  # content/, for images and attachments in content/media/
        self._md = markdown.Markdown(
            extensions=[
                "abbr",
                "attr_list",
                "def_list",
                "fenced_code",
                "footnotes",
                "tables",
                "sane_lists",
                mdfast.QuickTocExtension(permalink=False, toc_depth="2-4"),
                EntryLinkExtension(
                    {"entry": resolve, "catchment": resolve_catchment or (lambda target: None)}
                ),
            ],
            extension_configs={
                "abbr": {"glossary": abbreviations},
                "footnotes": {"BACKLINK_TITLE": "↩"},
            },
            output_format="html",
        )
        mdfast.install(self._md)

    def render(self, body: str, path: str = "") -> str:
        """body as safe HTML; path (content/en/…md) places the relative links to media files."""
        processor = self._md.treeprocessors["kb_media"]
        processor.content, processor.path = (self.content, path) if path else (None, "")
        html = self._md.reset().convert(body)
        return wrap_tables(
            sanitise(html)
            .replace(f"<{MARKDOWN_IMAGE} ", "<img ")
            .replace(f"</{MARKDOWN_IMAGE}>", "")
        )


TABLE = re.compile(r"<table>(.*?)</table>", re.DOTALL)
HEADER_CELL = re.compile(r"<th[^>]*>(.*?)</th>", re.DOTALL)


def wrap_tables(html: str) -> str:
    """Each table in a box that scrolls sideways on narrow screens: focusable, so a keyboard can
    scroll it (WCAG 2.1.1), and named by its column headings, in the page's own language."""

    def wrap(match: re.Match) -> str:
        headings = [plain_text(cell).rstrip(".") for cell in HEADER_CELL.findall(match.group(1))]
        label = html_module.escape(", ".join(h for h in headings if h), quote=True)
        return (
            f'<div class="table-scroll" tabindex="0" role="region" aria-label="{label}">'
            f"{match.group(0)}</div>"
        )

    return TABLE.sub(wrap, html)


# Made once: nh3.clean() builds its sanitiser again at every call (half of what a call costs).
_SANITISER = nh3.Cleaner(
    tags=ALLOWED_TAGS | {MARKDOWN_IMAGE},
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=set(SAFE_SCHEMES),
    link_rel=None,
    strip_comments=True,
)


def sanitise(html: str) -> str:
    """Keep only safe tags, attributes and URL schemes (no script, handlers or javascript:)."""
    return _SANITISER.clean(html)


# The end of a block (heading, paragraph, list item, cell): a break in the plain text.
BLOCK_END = re.compile(r"</(?:h[1-6]|p|li|dt|dd|th|td|caption|blockquote|pre)>", re.IGNORECASE)
BREAK = "\ue000"  # a private-use character: kept as text by the sanitiser, never in content
SENTENCE_END = tuple(".!?:;…")
# A tag of sanitised HTML: the sanitiser writes every "<" of text as &lt; and quotes every
# attribute with ", so a tag ends at the first ">" outside quotes. A regex costs a fifth of
# parsing the HTML again, and keeps the text where the HTML has it: a parse would drop a
# newline just after <pre> and move text left directly in a <table> before the table
# (tests/test_markdown.py compares the two).
TAG = re.compile(r'<[^>"]*(?:"[^"]*"[^>"]*)*>')


def plain_text(html: str) -> str:
    """Visible text of sanitised HTML, whitespace collapsed (for search and descriptions).

    Blocks become sentences: 'Programs</h2><ul><li>Employment Service' gives 'Programs.
    Employment Service', not a heading run into the list that follows it.
    """
    text = html_module.unescape(TAG.sub("", BLOCK_END.sub(BREAK, html)))
    # Collapse ASCII whitespace only: no-break spaces are part of French typography.
    for space in "\t\n\r\f\v":
        text = text.replace(space, " ")
    while "  " in text:  # each pass halves every run of spaces (a word at a time costs thrice)
        text = text.replace("  ", " ")
    sentences = [block.strip(" ") for block in text.split(BREAK)]
    return " ".join(s if s.endswith(SENTENCE_END) else f"{s}." for s in sentences if s)


# A `##` heading with its id (Markdown's toc extension gives one): where an answer's sections start.
# (Its id a whole attribute: the sanitiser writes each as name="value", any " inside escaped.)
H2 = re.compile(r'<h2(?:\s+[^\s=>]+="[^"]*")*?\s+id="([^"]+)"[^>]*>(.*?)</h2>', re.S)
Parts = tuple[str, tuple[tuple[str, str, str], ...]]  # the text before the first `##`, and each
# section's (anchor, heading, text); all plain text


def text_and_parts(html: str) -> tuple[str, Parts | tuple[()]]:
    """plain_text(html), and the plain text of each piece its `##` headings cut it into (none
    without a heading). Each piece is made plain once: the whole text is theirs joined, when
    each heading starts a block of the whole text (it does unless raw HTML holds it)."""
    pieces = H2.split(html)
    if len(pieces) == 1:
        return plain_text(html), ()
    before = plain_text(pieces[0])
    sections = tuple(
        (pieces[start], plain_text(pieces[start + 1]), plain_text(pieces[start + 2]))
        for start in range(1, len(pieces), 3)
    )
    parts = (before, sections)
    # Pieces that run on into a heading (text after their last block) make a whole of their own.
    if not all(_ends_a_block(pieces[start]) for start in range(0, len(pieces) - 1, 3)):
        return plain_text(html), parts
    texts = [before, *(text for _, heading, body in sections for text in (heading, body))]
    return " ".join(text for text in texts if text), parts


def _ends_a_block(piece: str) -> bool:
    """Whether nothing but spaces and tags follows the piece's last block end."""
    ends = list(BLOCK_END.finditer(piece))
    rest = piece[ends[-1].end() :] if ends else piece
    return not TAG.sub("", rest).strip(" \t\n\r\f\v")
