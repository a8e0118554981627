"""Source files: decoding, the front matter split, and YAML with line numbers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

FENCE = "---"


class SourceError(Exception):
    """A problem in a source file at a given line (1-based)."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


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
            f"byte 0x{data[error.start]:02x} is not valid UTF-8: save the file as UTF-8",
        ) from None
    if "\x00" in text:
        raise SourceError(text[: text.index("\x00")].count("\n") + 1, "contains a NUL byte")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str) -> SplitSource:
    """Cut `---`-fenced YAML front matter from the body."""
    if not text.strip():
        raise SourceError(1, "the file is empty: start it with '---', the front matter, then '---'")
    lines = text.split("\n")
    if lines[0].rstrip() != FENCE:
        raise SourceError(1, "missing front matter: the file must start with a line '---'")
    for index, line in enumerate(lines[1:], start=1):
        if line.rstrip() == FENCE:
            return SplitSource(
                front_matter="\n".join(lines[1:index]),
                front_matter_line=2,
                body="\n".join(lines[index + 1 :]),
                body_line=index + 2,
            )
    raise SourceError(1, "front matter is not closed: add a line '---' after the last key")


class _Loader(yaml.SafeLoader):
    """Safe YAML that keeps dates as text, so a bad date is reported with its line, not raised."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """The same loader on libyaml's parser when PyYAML has it: ten times faster on front matter."""


_FastLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers


def _load(loader_class: type, text: str) -> tuple[Any, Any]:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        return node, loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()


def _hint(problem: str) -> str:
    """What to do about PyYAML's words for an editor's most common slips."""
    if problem == "mapping values are not allowed here":
        return " (a value holds ': '? put the whole value in quotes)"
    if problem.startswith("expected alphabetic or numeric character"):
        return " (a value starts with '*' or '&'? put it in quotes)"
    return ""


def parse_yaml(text: str, first_line: int = 1) -> tuple[Any, dict[Any, int]]:
    """Parse YAML; return the value and the line of each top-level key or list item."""
    if "\t" in text:
        line = text[: text.index("\t")].count("\n") + first_line
        raise SourceError(line, "YAML does not allow tabs: indent with spaces")
    try:
        node, value = _load(_FastLoader, text)
    except yaml.YAMLError:
        # libyaml words its errors differently: report the pure-Python parser's message and line.
        try:
            node, value = _load(_Loader, text)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = (mark.line if mark else 0) + first_line
            problem = error.problem or error.context or "invalid YAML"
            raise SourceError(line, f"invalid YAML: {problem}{_hint(problem)}") from None
        except yaml.YAMLError as error:
            raise SourceError(first_line, f"invalid YAML: {error}") from None
    key_lines: dict[Any, int] = {}
    if isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            key_lines[index] = item.start_mark.line + first_line
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            key, line = str(key_node.value), key_node.start_mark.line + first_line
            if key in key_lines:
                raise SourceError(line, f"'{key}' is given twice (also on line {key_lines[key]})")
            key_lines[key] = line
    return value, key_lines
