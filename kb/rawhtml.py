"""Raw HTML in an entry that the sanitiser will remove, found with its line so editors are told."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from kb.frontmatter import N_, Phrase
from kb.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, MARKDOWN_IMAGE_PREFIX, SAFE_SCHEMES

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(`+)(.+?)\1")
# Rules out autolinks such as <https://…> and <a@b.ca>; keeps custom elements (<my-widget>).
TAG_NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
SAFE_PREFIXES = tuple(f"{scheme}:" for scheme in SAFE_SCHEMES)  # those the sanitiser keeps
# Elements whose content the HTML parser takes as text up to their end tag: left open, they hide
# the rest of the answer (script, style…) or show it as literal markup (title, textarea…).
SWALLOWING = (
    "script",
    "style",
    "template",
    "title",
    "textarea",
    "xmp",
    "noscript",
    "iframe",
    "noembed",
    "noframes",
    "plaintext",
)
SWALLOWING_START = re.compile(rf"<({'|'.join(SWALLOWING)})(?:[\s/][^>]*)?>", re.IGNORECASE)
COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def without_code(body: str) -> str:
    """The body with fenced blocks and code spans blanked out, lines kept in place.

    HTML inside code is shown as text, never removed, so it must not be reported.
    """
    if "`" not in body and "~" not in body:
        return body  # no fence, no code span: most bodies, kept as they are
    lines, fence = [], None
    for line in body.split("\n"):
        match = FENCE.match(line)
        if fence is None and match:
            fence = match.group(1)[0] * 3
            lines.append("")
        elif fence is not None:
            if line.strip().startswith(fence):
                fence = None
            lines.append("")
        else:
            lines.append(CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line))
    return "\n".join(lines)


def _unsafe_scheme(href: str) -> str | None:
    """The scheme of a link the sanitiser drops ('javascript', 'entry'…); None for safe links."""
    head = href.strip().split("/")[0]
    if ":" not in head or head.lower().startswith(SAFE_PREFIXES):
        return None  # a relative link, or http, https, mailto
    return head.split(":")[0]


def _unclosed(body: str, first_line: int) -> list[tuple[int, str]]:
    """(line, tag) of each raw-text element (script, style, title…) left open in body."""
    if "<" not in body:
        return []  # no tag at all: most bodies
    text = COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), without_code(body))
    found = []
    for match in SWALLOWING_START.finditer(text):
        tag = match.group(1).lower()
        end = re.compile(rf"</{tag}[\s/>]", re.IGNORECASE)
        if tag == "plaintext" or not end.search(text, match.end()):  # plaintext never ends
            found.append((first_line + text.count("\n", 0, match.start()), tag))
    return found


def unclosed_html(body: str, first_line: int) -> list[tuple[int, str]]:
    """Each raw-text element left open in body, as (line, message): the reader would lose text."""
    return [
        (
            line,
            Phrase(
                N_(
                    "raw HTML <plaintext> hides the rest of the answer (it cannot be "
                    "closed): put it in backticks (`<plaintext>`) to show it as code"
                )
            )
            if tag == "plaintext"
            else Phrase(
                N_(
                    "raw HTML <%(tag)s> is not closed: the rest of the answer would be "
                    "lost from the page. Put it in backticks (`<%(tag)s>`) to show it as "
                    "code or close it with </%(tag)s>"
                ),
                tag=tag,
            ),
        )
        for line, tag in _unclosed(body, first_line)
    ]


class _Finder(HTMLParser):
    """Collects (line, message) for each tag, attribute or link the sanitiser drops."""

    def __init__(self, first_line: int, unclosed: set[tuple[int, str]]):
        super().__init__(convert_charrefs=True)
        self.first_line = first_line
        self.unclosed = unclosed  # (line, tag) already reported as errors by unclosed_html
        self.found: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not TAG_NAME.match(tag):
            return
        line = self.getpos()[0] + self.first_line - 1
        if (line, tag) in self.unclosed:
            return
        # Only Markdown images are checked (file, alt text) and sized; kb's own name for them,
        # written by hand, is no way round that.
        if tag == "img" or tag.startswith(MARKDOWN_IMAGE_PREFIX):
            self.found.append(
                (
                    line,
                    Phrase(
                        N_(
                            "raw HTML <%(tag)s> is removed from the published "
                            "page: write the image in Markdown, ![alt text]"
                            "(../../media/name.png)"
                        ),
                        tag=tag,
                    ),
                )
            )
            return
        if tag not in ALLOWED_TAGS:
            self.found.append(
                (
                    line,
                    Phrase(
                        N_(
                            "raw HTML <%(tag)s> is removed from the published "
                            "page: write the content in Markdown"
                        ),
                        tag=tag,
                    ),
                )
            )
            return
        allowed = ALLOWED_ATTRIBUTES["*"] | ALLOWED_ATTRIBUTES.get(tag, set())
        text = self.get_starttag_text() or ""
        for name, value in attrs:
            # An attribute may sit on a later line than its tag: report the line it is on.
            at = line + text[: max(text.lower().find(name), 0)].count("\n")
            if name not in allowed:
                self.found.append(
                    (
                        at,
                        Phrase(
                            N_(
                                "raw HTML attribute '%(name)s' on <%(tag)s> is "
                                "removed from the published page"
                            ),
                            name=name,
                            tag=tag,
                        ),
                    )
                )
            elif name == "href" and (scheme := _unsafe_scheme(value or "")):
                self.found.append(
                    (
                        at,
                        Phrase(
                            N_(
                                "link '%(scheme)s:' on <%(tag)s> is removed from "
                                "the published page: use an http, https, mailto "
                                "or tel link"
                            ),
                            scheme=scheme,
                            tag=tag,
                        ),
                    )
                )


def removed_html(body: str, first_line: int) -> list[tuple[int, str]]:
    """Every piece of raw HTML in body that the sanitiser drops, as (line, message)."""
    if "<" not in body:
        return []  # no tag, so nothing to drop: most bodies
    finder = _Finder(first_line, set(_unclosed(body, first_line)))
    finder.feed(without_code(body))
    finder.close()
    return finder.found
