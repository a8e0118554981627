"""Python-Markdown's own processors made cheaper for kb's bodies: the same output, less CPU."""

from __future__ import annotations

import bisect
import html
import re
from types import MethodType
from xml.etree import ElementTree

import markdown
from markdown import util
from markdown.extensions.abbr import AbbrTreeprocessor
from markdown.extensions.attr_list import AttrListTreeprocessor
from markdown.extensions.footnotes import FootnotePostprocessor
from markdown.extensions.toc import (
    TocExtension,
    TocTreeprocessor,
    remove_fnrefs,
    render_inner_html,
    strip_tags,
    unique,
)
from markdown.inlinepatterns import LinkInlineProcessor
from markdown.postprocessors import AndSubstitutePostprocessor, RawHtmlPostprocessor
from markdown.treeprocessors import InlineProcessor, UnescapeTreeprocessor

from kb import mdblocks

# What a text needs for the inline pattern of that name to match it: one of these sets of
# characters, all present (backtick: a `, link: a [, image: a ! and a [, emphasis: * or _…).
TRIGGERS = {
    "backtick": ("`",),
    "escape": ("\\",),
    "footnote": ("[^",),
    "reference": ("[",),
    "link": ("[",),
    "image_link": ("![",),
    "image_reference": ("![",),
    "short_reference": ("[",),
    "short_image_ref": ("![",),
    "autolink": ("<",),
    "automail": ("<",),
    "linebreak": (" \n",),
    "html": ("<",),
    "entity": ("&",),
    "not_strong": ("*", "_"),
    "em_strong": ("*", "_"),
    "em_strong2": ("*", "_"),
}
TRIGGER_CHARACTERS = frozenset("".join(c for needs in TRIGGERS.values() for c in needs))
# Without a reference definition ([id]: url) in the body, these patterns find no link: they
# leave every text as it was (Python-Markdown: "ignore undefined refs").
REFERENCES = {"reference", "short_reference", "image_reference", "short_image_ref"}
DEFINED = "a reference definition"  # what these need besides their characters


class QuickInline(InlineProcessor):
    """Markdown's inline pass that tries on each text only the patterns that can match it.

    The stock pass calls every pattern (a Python call each) on every text of the tree; most texts
    of an answer hold no `, [, <, & or *, and that was close to half the cost of a body. Inline
    patterns only add placeholders (none of these characters) to a text, so what a text lacks
    when the pass starts on it, it lacks to the end.
    """

    def __init__(self, md: markdown.Markdown):
        super().__init__(md)
        # Every extension is registered by now: kb.markdown installs this last.
        self._patterns = list(self.inlinePatterns)
        needs = {}
        for name, alternatives in TRIGGERS.items():
            if name in self.inlinePatterns:
                needs[self.inlinePatterns.get_index_for_name(name)] = [
                    frozenset(a) | ({DEFINED} if name in REFERENCES else set())
                    for a in alternatives
                ]
        self._needs = needs  # a pattern kb does not know (another extension's) is always tried
        self._tried: dict[frozenset[str], list[int]] = {}
        self._defined: frozenset[str] = frozenset()

    def run(self, tree, ancestors=None):  # noqa: ANN001, ANN201 (Markdown's API)
        self._defined = frozenset({DEFINED} if self.md.references else ())
        return super().run(tree, ancestors)

    def _candidates(self, data: str) -> list[int]:
        """The indices of the patterns that may match data, in Markdown's order."""
        present = TRIGGER_CHARACTERS.intersection(data) | self._defined
        found = self._tried.get(present)
        if found is None:
            found = self._tried[present] = [
                index
                for index in range(len(self._patterns))
                if index not in self._needs or any(a <= present for a in self._needs[index])
            ]
        return found

    # Replaces InlineProcessor.__handleInline (name-mangled): the same loop over fewer patterns.
    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803
        if isinstance(data, util.AtomicString):
            return data
        apply = self._InlineProcessor__applyPattern
        candidates = self._candidates(data)
        position = bisect.bisect_left(candidates, patternIndex)
        start = 0
        while position < len(candidates):
            index = candidates[position]
            data, matched, start = apply(self._patterns[index], data, index, start)
            if not matched:
                position += 1  # with start 0, as the stock pass after a pattern fails
        return data


class QuickToc(TocTreeprocessor):
    """The toc extension's ids for headings, without building a table of contents nobody reads.

    kb uses neither md.toc nor md.toc_tokens: the table of contents is built (and serialised)
    only for a body that asks for it with the marker ([TOC]). For the others, each heading gets
    the id the extension gives it; a heading of plain text (no element in it, nothing to escape
    or to put back) is named by its text, where the extension serialises it and runs every
    postprocessor on it (which leave such a text as it is) to find the same name.
    """

    def run(self, doc: ElementTree.Element) -> None:
        elements = list(doc.iter())
        # replace_marker only replaces an element whose own text is the marker.
        self._marked = bool(self.marker) and any(
            element.text and self.marker in element.text for element in elements
        )
        if (
            self._marked
            or self.use_anchors
            or self.use_permalinks not in (False, None)
            or [type(p) for p in self.md.postprocessors] != PLAIN_POSTPROCESSORS
        ):
            super().run(doc)
            return
        used_ids = {element.attrib["id"] for element in elements if "id" in element.attrib}
        counters: dict[str, int] = {}
        for element in elements:
            tag = element.tag
            if not (isinstance(tag, str) and tag[:1] in "hH" and self.header_rgx.match(tag)):
                continue
            self.set_level(element)
            text = element.text or ""
            if len(element) == 0 and not UNPLAIN.search(text):
                name = " ".join(text.split())  # toc.strip_tags of the text, escaped as it was
            else:
                name = strip_tags(render_inner_html(remove_fnrefs(element), self.md))
            if "id" not in element.attrib:
                slug = self.slugify(html.unescape(name), self.sep)
                element.attrib["id"] = unique(slug, used_ids, counters)
            element.attrib.pop("data-toc-label", None)  # it names the heading in the toc only
        self.md.toc_tokens, self.md.toc = [], ""

    def build_toc_div(self, toc_list: list) -> ElementTree.Element:
        return super().build_toc_div(toc_list) if self._marked else ElementTree.Element("div")

    def replace_marker(self, root: ElementTree.Element, elem: ElementTree.Element) -> None:
        if self._marked:
            super().replace_marker(root, elem)


# What a heading's text may not hold to be named by it: what the serialiser escapes, and the
# start of a placeholder (what the postprocessors and the unescaping replace).
UNPLAIN = re.compile(f"[&<>{util.STX}{util.ETX}]")
PLAIN_POSTPROCESSORS = [RawHtmlPostprocessor, FootnotePostprocessor, AndSubstitutePostprocessor]


class QuickTocExtension(TocExtension):
    TreeProcessorClass = QuickToc


class QuickAbbr(AbbrTreeprocessor):
    """The abbr extension's <abbr> elements, visiting only the texts that hold an abbreviation.

    The stock processor walks every element of the tree in Python; here one regular expression
    search per text finds the few to split, each split as the stock processor splits it (its
    splits of different texts do not depend on one another).
    """

    _keys: tuple[str, ...] = ()

    def run(self, root: ElementTree.Element) -> None:
        if not self.abbrs:
            return
        if tuple(self.abbrs) != self._keys:  # the glossary's regex, built once, not per body
            self._keys = tuple(self.abbrs)
            longest_first = sorted(self._keys, key=len, reverse=True)
            # The lookahead: a word start whose letter begins no key is left at once.
            firsts = "".join(sorted({re.escape(key[:1]) for key in self._keys}))
            ahead = f"(?=[{firsts}])" if all(self._keys) else ""
            keys = "|".join(re.escape(key) for key in longest_first)
            self.RE = re.compile(rf"\b{ahead}(?:{keys})\b")
        self.iter_element(root)

    def iter_element(
        self, el: ElementTree.Element, parent: ElementTree.Element | None = None
    ) -> None:
        search = self.RE.search
        elements = list(el.iter())
        texts = [
            node
            for node in elements
            if node.text and search(node.text) and not isinstance(node.text, util.AtomicString)
        ]
        tails = [
            node
            for node in elements[1:]  # el's own tail is not its to split
            if node.tail and search(node.tail) and not isinstance(node.tail, util.AtomicString)
        ]
        parents = {child: node for node in elements for child in node} if tails else {}
        for node in texts:
            text = node.text
            for m in reversed(list(self.RE.finditer(text))):
                if self.abbrs[m.group(0)]:
                    abbr = self.create_element(self.abbrs[m.group(0)], m.group(0), text[m.end() :])
                    node.insert(0, abbr)
                    text = text[: m.start()]
            node.text = text
        for child in tails:
            node, tail = parents[child], child.tail
            index = list(node).index(child) + 1
            for m in reversed(list(self.RE.finditer(tail))):
                if self.abbrs[m.group(0)]:
                    abbr = self.create_element(self.abbrs[m.group(0)], m.group(0), tail[m.end() :])
                    node.insert(index, abbr)
                    tail = tail[: m.start()]
            child.tail = tail


class QuickAttrList(AttrListTreeprocessor):
    """The attr_list extension's processor, run only on a tree whose text holds a brace.

    Each of its rules needs a {…} in a text or tail, which itertext gives all of.
    """

    def run(self, doc: ElementTree.Element) -> None:
        if "{" in "".join(doc.itertext()):
            super().run(doc)


class QuickUnescape(UnescapeTreeprocessor):
    """The pass that puts back backslash-escaped characters, run only when the source holds a
    backslash: the escape and code patterns make their placeholders only of one."""

    def run(self, root: ElementTree.Element) -> None:
        if "\\" in "\n".join(self.md.lines):  # the source, its raw HTML and code stashed
            super().run(root)


def _link_text(self: LinkInlineProcessor, data: str, index: int) -> tuple[str, int, bool]:
    """getText: a link's text up to its "]", found at once when no "[" comes before it (the
    stock method walks it character by character to match nested brackets)."""
    end = data.find("]", index)
    if end >= 0 and data.find("[", index, end) < 0:
        return data[index:end], end + 1, True
    return LinkInlineProcessor.getText(self, data, index)


def _link_target(self: LinkInlineProcessor, data: str, index: int):
    """getLink: a link's target up to its ")", found at once when no bracket or quote comes
    before it (no nested brackets, no title: the stock walk ends at that ")" with this href)."""
    m = self.RE_LINK.match(data, pos=index)
    if m and not m.group(1):
        start = m.end()
        end = data.find(")", start)
        if end >= 0 and not LINK_TARGET_STOPS.search(data, start, end):
            return self.unescape(data[start:end]).strip(), None, end + 1, True
    return LinkInlineProcessor.getLink(self, data, index)


LINK_TARGET_STOPS = re.compile("[()'\"]")


def _quick_links(md: markdown.Markdown) -> None:
    """Links' (and images') texts and targets found at once where they can be."""
    for pattern in md.inlinePatterns:
        if isinstance(pattern, LinkInlineProcessor):
            if type(pattern).getText is LinkInlineProcessor.getText:
                pattern.getText = MethodType(_link_text, pattern)
            if type(pattern).getLink is LinkInlineProcessor.getLink:
                pattern.getLink = MethodType(_link_target, pattern)


def install(md: markdown.Markdown) -> None:
    """Put the quick processors in place of Markdown's own (the toc extension is
    QuickTocExtension), where this Markdown has them, at the same place in the order."""
    mdblocks.install(md)
    _quick_links(md)
    stock = md.treeprocessors["inline"]
    if type(stock) is InlineProcessor and hasattr(stock, "_InlineProcessor__handleInline"):
        md.treeprocessors.register(QuickInline(md), "inline", 20)
    if "abbr" in md.treeprocessors and type(md.treeprocessors["abbr"]) is AbbrTreeprocessor:
        abbrs = md.treeprocessors["abbr"].abbrs  # shared with the extension and its block parser
        md.treeprocessors.register(QuickAbbr(md, abbrs), "abbr", 7)
    if "attr_list" in md.treeprocessors:
        md.treeprocessors.register(QuickAttrList(md), "attr_list", 8)
    if type(md.treeprocessors["unescape"]) is UnescapeTreeprocessor:
        md.treeprocessors.register(QuickUnescape(md), "unescape", 0)
