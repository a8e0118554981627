"""Python-Markdown's passes over the whole source, and its block parser, made cheaper for kb's
bodies: the same output, less CPU (kb.mdfast does the same for the passes over the tree)."""

from __future__ import annotations

import re

import markdown
from markdown import blockprocessors, util
from markdown.extensions.abbr import AbbrBlockprocessor
from markdown.extensions.def_list import DefListProcessor
from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdown.extensions.footnotes import FootnoteBlockProcessor
from markdown.extensions.tables import TableProcessor
from markdown.preprocessors import HtmlBlockPreprocessor, NormalizeWhitespace

# What a block needs for each block processor to take it (one of these strings): a block that
# lacks them all is one its test turns down, or, for the last three (whose test takes every
# block), one its run puts back untouched. Each test is a regex search of the whole block, and
# the parser tries them all on each block in turn.
BLOCK_NEEDS = {
    "table": (TableProcessor, ("|",)),
    "hashheader": (blockprocessors.HashHeaderProcessor, ("#",)),
    "setextheader": (blockprocessors.SetextHeaderProcessor, ("\n=", "\n-")),
    # Three markers, the first two apart by two spaces at most:
    "hr": (
        blockprocessors.HRProcessor,
        tuple(f"{m}{gap}{m}" for m in "-_*" for gap in ("", " ", "  ")),
    ),
    # A colon that starts a line (after up to three spaces): inside the block, or at its start.
    "deflist": (DefListProcessor, tuple(f"\n{' ' * n}:" for n in range(4))),
    "quote": (blockprocessors.BlockQuoteProcessor, (">",)),
    "footnote": (FootnoteBlockProcessor, ("[^",)),
    "abbr": (AbbrBlockprocessor, ("*[",)),
    "reference": (blockprocessors.ReferenceProcessor, ("]:",)),
}
# Blocks that start with one of these are tried too (the deflist's colon on the first line).
BLOCK_STARTS = {"deflist": tuple(f"{' ' * n}:" for n in range(4))}


class QuickHtmlBlock(HtmlBlockPreprocessor):
    """The raw HTML pass, run only on a source with a < or an &: the only characters its HTML
    parser acts on. On any other text it gives back the text as it was."""

    def run(self, lines: list[str]) -> list[str]:
        if any("<" in line or "&" in line for line in lines):
            return super().run(lines)
        return lines


class QuickWhitespace(NormalizeWhitespace):
    """Markdown's first pass, step for step, but for its regex (blank the lines made only of
    spaces), run only on a source that has a space before a line's end: a search of every
    position of the source, which costs more than all the rest of the pass."""

    def run(self, lines: list[str]) -> list[str]:
        source = "\n".join(lines).replace(util.STX, "").replace(util.ETX, "")
        source = source.replace("\r\n", "\n").replace("\r", "\n") + "\n\n"
        source = source.expandtabs(self.md.tab_length)
        if " \n" in source:
            source = SPACES_LINE.sub("\n", source)
        return source.split("\n")


SPACES_LINE = re.compile(r"(?<=\n) +\n")  # NormalizeWhitespace's own


class QuickFencedCode(FencedBlockPreprocessor):
    """The fenced_code pass, run only on a source with a fence's three backticks or tildes."""

    def run(self, lines: list[str]) -> list[str]:
        if any("```" in line or "~~~" in line for line in lines):
            return super().run(lines)
        return lines


class FixedOrder(util.Registry):
    """A registry that lists its items in order once, not again for every block it is asked
    for (a list made each time); listed again when an item is added or removed."""

    _listed: list | None = None

    def __iter__(self):
        if self._listed is None:
            self._listed = list(super().__iter__())
        return iter(self._listed)

    def register(self, item, name: str, priority: float) -> None:
        self._listed = None
        super().register(item, name, priority)

    def deregister(self, name: str, strict: bool = True) -> None:
        self._listed = None
        super().deregister(name, strict)


def _guarded(test, needs: tuple[str, ...], starts: tuple[str, ...] = ()):
    """test(parent, block), asked only of a block that holds one of needs or starts with one
    of starts."""
    if len(needs) == 1 and not starts:
        (need,) = needs

        def guarded(parent, block):
            return need in block and test(parent, block)

    else:

        def guarded(parent, block):
            return (any(map(block.__contains__, needs)) or block.startswith(starts)) and test(
                parent, block
            )

    return guarded


def _quick_blocks(md: markdown.Markdown) -> None:
    """The block parser's processors tried only on blocks they can take, listed once; the
    block-level test made of a set (Markdown's is a list, scanned for each element)."""
    processors = md.parser.blockprocessors
    for name, (kind, needs) in BLOCK_NEEDS.items():
        if name in processors and type(processors[name]) is kind:
            processors[name].test = _guarded(
                processors[name].test, needs, BLOCK_STARTS.get(name, ())
            )
    processors.__class__ = FixedOrder
    block_level = frozenset(md.block_level_elements)

    def is_block_level(tag) -> bool:
        return isinstance(tag, str) and tag.lower().rstrip("/") in block_level

    md.is_block_level = is_block_level


def install(md: markdown.Markdown) -> None:
    """The quick source passes and block tests in place of Markdown's own, where this Markdown
    has them, at the same place in the order."""
    _quick_blocks(md)
    preprocessors = md.preprocessors
    if type(preprocessors["html_block"]) is HtmlBlockPreprocessor:
        preprocessors.register(QuickHtmlBlock(md), "html_block", 20)
    if type(preprocessors["normalize_whitespace"]) is NormalizeWhitespace:
        preprocessors.register(QuickWhitespace(md), "normalize_whitespace", 30)
    if "fenced_code_block" in preprocessors:
        fenced = preprocessors["fenced_code_block"]
        if type(fenced) is FencedBlockPreprocessor:
            # The same object, its configuration kept (the extension gives it at its making).
            fenced.__class__ = QuickFencedCode
