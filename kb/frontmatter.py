"""Source files: decoding, the front matter split, and YAML with line numbers."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.constructor import ConstructorError

FENCE = "---"
MAX_DEPTH = 10  # levels of lists and mappings: kb's files need three at most
MAX_NUMBER_DIGITS = 100  # longer numbers are a slip, and Python refuses to read past 4,300 digits


class SourceError(Exception):
    """A problem in a source file at a given line (1-based)."""

    def __init__(self, line: int, message: str, msgid: str = "", params: dict | None = None):
        super().__init__(message)
        self.line = line
        self.message = message
        if isinstance(message, Phrase) and not msgid:
            msgid, params = message.msgid, dict(message.params)
        self.msgid = msgid  # the catalog's id, when the message is one (kb.validate.problem)
        self.params = params or {}

    @classmethod
    def of(cls, line: int, msgid: str, /, **params: Any) -> SourceError:
        """A SourceError whose message comes from the catalog."""
        return cls(line, msgid % params, msgid, params)


@dataclass
class SplitSource:
    """A Markdown file cut into its YAML front matter and its body, with their first lines."""

    front_matter: str
    front_matter_line: int
    body: str
    body_line: int


def decode(data: bytes) -> str:
    """Decode UTF-8 (a leading BOM and Windows line endings are accepted and removed)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise SourceError(
            line,
            Phrase(
                N_("byte 0x%(byte)s is not valid UTF-8: save the file as UTF-8"),
                byte=f"{data[error.start]:02x}",
            ),
        ) from None
    if "\x00" in text:
        raise SourceError(
            text[: text.index("\x00")].count("\n") + 1,
            Phrase(
                N_(
                    "contains a NUL byte (the file is not plain text): save it "
                    "again as UTF-8 text, or remove the character"
                )
            ),
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str) -> SplitSource:
    """Cut `---`-fenced YAML front matter from the body."""
    if not text.strip():
        raise SourceError(
            1, Phrase(N_("the file is empty: start it with '---', the front matter, then '---'"))
        )
    lines = text.split("\n")
    if lines[0].rstrip() != FENCE:
        if re.match(r"^[\w-]+ *:", lines[0]):  # the keys are there, the fence above them is not
            raise SourceError.of(
                1,
                N_(
                    "missing '---' above '%(line)s': the front matter must "
                    "start with a line '---'; add it as the first line"
                ),
                line=shorten(lines[0].strip()),
            )
        raise SourceError(
            1, Phrase(N_("missing front matter: the file must start with a line '---'"))
        )
    for index, line in enumerate(lines[1:], start=1):
        if line.rstrip() == FENCE:
            return SplitSource(
                front_matter="\n".join(lines[1:index]),
                front_matter_line=2,
                body="\n".join(lines[index + 1 :]),
                body_line=index + 2,
            )
    raise SourceError(
        1, Phrase(N_("front matter is not closed: add a line '---' after the last key"))
    )


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    if len(node.value) > MAX_NUMBER_DIGITS:
        raise ConstructorError(
            None,
            None,
            Phrase(
                N_("a number of %(digits)d digits: write a shorter number"), digits=len(node.value)
            ),
            node.start_mark,
        )
    return yaml.SafeLoader.construct_yaml_int(loader, node)


class _Loader(yaml.SafeLoader):
    """Safe YAML that keeps dates as text, so a bad date is reported with its line, not raised."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """The same loader on libyaml's parser when PyYAML has it: ten times faster on front matter.

    Its documents are built straight from the nodes when they are only mappings, lists and
    scalars of YAML's own types (front matter always is): the values PyYAML's constructor
    gives, without the bookkeeping it keeps for anchors and recursive values, which kb refuses
    (_refuse_anchors). Anything else goes to PyYAML's constructor.
    """

    def construct_document(self, node: yaml.Node) -> Any:
        try:
            return self._plain(node)
        except _NotPlain:
            return super().construct_document(node)

    def _plain(self, node: yaml.Node) -> Any:
        tag, kind = node.tag, type(node)
        if kind is yaml.ScalarNode:
            if tag == _STR:
                return node.value
            if tag in _SCALARS:
                try:
                    return self.yaml_constructors[tag](self, node)
                except Exception:  # PyYAML's constructor says what is wrong, in its order
                    raise _NotPlain from None
        elif kind is yaml.SequenceNode and tag == _SEQ:
            return [self._plain(item) for item in node.value]
        elif kind is yaml.MappingNode and tag == _MAP:
            found = {}
            for key, value in node.value:
                if type(key) is not yaml.ScalarNode:
                    raise _NotPlain  # a key that may not be hashable
                found[self._plain(key)] = self._plain(value)
            return found
        raise _NotPlain


class _NotPlain(Exception):
    """A node _FastLoader leaves to PyYAML's constructor."""


_STR, _SEQ, _MAP = (f"tag:yaml.org,2002:{name}" for name in ("str", "seq", "map"))
_SCALARS = frozenset(f"tag:yaml.org,2002:{name}" for name in ("int", "float", "bool", "null"))


_FastLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
_FastLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)


def _refuse_anchors(text: str, first_line: int) -> None:
    """Refuse '&anchor' and '*alias': a few lines of aliases can stand for billions of values."""
    loader = _FastLoader(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                sign = "*" if isinstance(event, yaml.AliasEvent) else "&"
                # Two sentences, not one with 'alias' or 'anchor' in it: French gives them genders.
                msgid = (
                    N_(
                        "YAML alias '%(name)s' is not allowed: write the value out, or put it "
                        "in quotes if it starts with '%(sign)s'"
                    )
                    if sign == "*"
                    else N_(
                        "YAML anchor '%(name)s' is not allowed: write the value out, or put it "
                        "in quotes if it starts with '%(sign)s'"
                    )
                )
                raise SourceError(
                    event.start_mark.line + first_line,
                    Phrase(msgid, name=f"{sign}{event.anchor}", sign=sign),
                )
    except yaml.YAMLError:
        pass  # invalid YAML: loading it reports the problem in editors' words
    finally:
        loader.dispose()


def _check_depth(node: yaml.Node, first_line: int) -> None:
    """Refuse lists and mappings nested deeper than MAX_DEPTH (walked without recursion)."""
    stack = [(node, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            continue
        if depth > MAX_DEPTH:
            raise SourceError(node.start_mark.line + first_line, _too_deep())
        children = (
            node.value
            if isinstance(node, yaml.SequenceNode)
            else [child for pair in node.value for child in pair]
        )
        stack.extend((child, depth + 1) for child in children)


def _load(loader_class: type, text: str, first_line: int) -> tuple[Any, Any]:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        _check_depth(node, first_line)
        try:
            return node, loader.construct_document(node)
        except (KeyError, ValueError, TypeError, AttributeError, OverflowError):
            # PyYAML's constructors fail in Python's words on a value their tag cannot take
            # (`!!bool maybe`, `!!float x`): the value and its line instead.
            from kb.yamlhints import unreadable_value  # it words the messages with N_

            problem = unreadable_value(loader, node, first_line)
            if problem is None:
                raise
            raise problem from None
    finally:
        loader.dispose()


def N_(msgid: str) -> str:  # noqa: N802 (gettext's name): a message for the catalog
    return msgid


class Phrase(str):
    """A catalog message in English, keeping its id and values to be shown in another language.

    A str, so code that joins or prints messages keeps working; a value that is itself a Phrase
    ("a list", "did you mean …") is translated with the message around it.
    """

    msgid: str
    params: tuple[tuple[str, Any], ...]

    def __new__(cls, msgid: str, /, **params: Any) -> Phrase:
        phrase = super().__new__(cls, msgid % params)
        phrase.msgid, phrase.params = msgid, tuple(sorted(params.items()))
        return phrase

    def __reduce__(self):  # pickled with its id (the cache, the build's worker processes)
        return _phrase, (self.msgid, self.params)

    def localized(self, gettext: Callable[[str], str]) -> str:
        """The text in the language of gettext."""
        return gettext(self.msgid) % localized_values(self.params, gettext)


def _phrase(msgid: str, params: tuple) -> Phrase:
    return Phrase(msgid, **dict(params))


def localized_values(params, gettext: Callable[[str], str]) -> dict[str, Any]:
    """A message's values, those that are phrases or amounts (kb.amount) in the language of
    gettext."""
    return {
        name: value.localized(gettext) if hasattr(value, "localized") else value
        for name, value in params
    }


def one_line(value: str) -> str:
    """A text value as one line: runs of spaces, tabs and line breaks made one space, the ends
    trimmed (French no-break spaces are kept: they belong to the text)."""
    return re.sub(r"[ \t\r\n]+", " ", value).strip()


def shorten(value: Any, limit: int = 60) -> str:
    """A value as an editor wrote it, cut short for a message."""
    text = value if isinstance(value, str) else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _hint(problem: str) -> str:
    """What to do about PyYAML's words for an editor's most common slips."""
    if problem == "mapping values are not allowed here":
        return Phrase(N_(" (a value holds ': '? put the whole value in quotes)"))
    if problem.startswith("expected alphabetic or numeric character"):
        return Phrase(N_(" (a value starts with '*' or '&'? put it in quotes)"))
    return ""


def _too_deep() -> Phrase:
    return Phrase(
        N_("lists and mappings are nested more than %(depth)d deep: flatten the value"),
        depth=MAX_DEPTH,
    )


def parse_yaml(text: str, first_line: int = 1) -> tuple[Any, dict[Any, int]]:
    """Parse YAML; return the value and the line of each top-level key or list item."""
    if "\t" in text:
        line = text[: text.index("\t")].count("\n") + first_line
        raise SourceError(line, Phrase(N_("YAML does not allow tabs: indent with spaces")))
    if "&" in text or "*" in text:
        _refuse_anchors(text, first_line)
    try:
        node, value = _load(_FastLoader, text, first_line)
    except yaml.YAMLError as fast_error:
        if "nesting depth" in str(fast_error):  # the pure-Python parser would recurse too deep
            line = getattr(fast_error, "problem_mark", None)
            raise SourceError((line.line if line else 0) + first_line, _too_deep()) from None
        # libyaml words its errors differently: report the pure-Python parser's message and line.
        try:
            node, value = _load(_Loader, text, first_line)
        except RecursionError:
            raise SourceError(first_line, _too_deep()) from None
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = (mark.line if mark else 0) + first_line
            from kb.yamlhints import explain  # it words the messages with kb.validate's N_

            context = error.context_mark.line + first_line if error.context_mark else None
            if hint := explain(text, first_line, line, context):
                raise SourceError.of(hint[0], hint[1], **hint[2]) from None
            problem = error.problem or error.context or "invalid YAML"
            # The parser's own words are English: only kb's part of the message is translated.
            raise SourceError(
                line,
                Phrase(
                    N_("invalid YAML: %(problem)s%(hint)s"), problem=problem, hint=_hint(problem)
                ),
            ) from None
        except yaml.YAMLError as error:
            raise SourceError(
                first_line,
                Phrase(N_("invalid YAML: %(problem)s%(hint)s"), problem=str(error), hint=""),
            ) from None
    key_lines: dict[Any, int] = {}
    if isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            key_lines[index] = item.start_mark.line + first_line
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            key, line = str(key_node.value), key_node.start_mark.line + first_line
            if key in key_lines:
                raise SourceError.of(
                    line,
                    N_(
                        "'%(key)s' is given twice (also on line %(other)d): "
                        "keep one of the two lines"
                    ),
                    key=shorten(key),
                    other=key_lines[key],
                )
            key_lines[key] = line
    return value, key_lines
