"""Front matter slips in editors' words: the YAML parser's position plus a look at the line."""

from __future__ import annotations

import re

import yaml

from kb.frontmatter import N_, SourceError, shorten

KEY_VALUE = re.compile(r"^([A-Za-z_][\w-]*):(?: +(.*))?$")
NO_SPACE = re.compile(r"^([A-Za-z_][\w-]*):([^\s/].*)$")
NO_COLON = re.compile(r"^([A-Za-z_][\w-]*) +(\S.*)$")
TEXT_KEYS = ("title", "summary", "period")
# An indented line that starts with a key: what the second slip needs (the first needs a '#').
INDENTED_KEY = re.compile(r"^ +\s*[A-Za-z_][\w-]*:", re.MULTILINE)

Hint = tuple[int, str, dict]  # line, catalog message id, its values


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content(line: str) -> bool:
    return bool(line.strip()) and not line.lstrip().startswith("#")


def _unquoted(value: str) -> bool:
    return not value.startswith(("'", '"', "[", "{", "|", ">"))


def _line_slip(lines: list[str], index: int) -> tuple[str, dict] | None:
    """What is wrong with lines[index], if it holds one of the commonest slips."""
    text = lines[index].rstrip()
    stripped = text.strip()
    quote = re.match(r"^\s*(?:- +|[\w-]+: +)(['\"])", text)
    if quote and text.count(quote.group(1)) % 2 == 1:
        return N_(
            "the quote %(quote)s that starts the value is not closed: end the value with "
            "%(quote)s on the same line"
        ), {"quote": quote.group(1)}
    for opening, closing, name in (("[", "]", "list"), ("{", "}", "mapping")):
        if text.count(opening) > text.count(closing):
            msgid = (
                N_("the list opened with '[' is not closed: end it with ']', as in '%(fixed)s'")
                if name == "list"
                else N_(
                    "the mapping opened with '{' is not closed: end it with '}', as in '%(fixed)s'"
                )
            )
            return msgid, {"fixed": stripped + closing}
    if _indent(text) == 0 and not stripped.startswith("-"):
        if ":" not in stripped and (match := NO_COLON.match(stripped)):
            return N_("'%(line)s' needs a colon after the key: '%(fixed)s'"), {
                "line": stripped,
                "fixed": f"{match.group(1)}: {match.group(2)}",
            }
        if ":" not in stripped:
            return N_(
                "'%(line)s' is not a 'key: value' line: add a colon after the key, or "
                "remove the line"
            ), {"line": stripped}
        if match := NO_SPACE.match(stripped):
            return N_("'%(line)s' needs a space after the colon: '%(fixed)s'"), {
                "line": stripped,
                "fixed": f"{match.group(1)}: {match.group(2)}",
            }
        match = KEY_VALUE.match(stripped)
        if match and match.group(2) and _unquoted(match.group(2)) and ": " in match.group(2):
            return N_(
                "the value of '%(key)s' holds ': ': put the whole value in quotes, "
                "as in '%(fixed)s'"
            ), {"key": match.group(1), "fixed": f'{match.group(1)}: "{match.group(2)}"'}
    above = next((lines[i] for i in range(index - 1, -1, -1) if _content(lines[i])), None)
    if above is None:
        return None
    if (
        stripped.startswith("- ")
        and above.strip().startswith("- ")
        and (_indent(text) != _indent(above))
    ):
        return N_(
            "this list item is indented by %(here)d space(s), the one above by %(above)d: "
            "line them up"
        ), {"here": _indent(text), "above": _indent(above)}
    if _indent(text) > _indent(above) and KEY_VALUE.match(stripped):
        key_above = KEY_VALUE.match(above.strip())
        if key_above and key_above.group(2):
            return N_(
                "this line is indented, but the key above ('%(key)s') already has a "
                "value: remove the spaces at the start of the line"
            ), {"key": key_above.group(1)}
    return None


def explain(text: str, first_line: int, problem_line: int, context_line: int | None) -> Hint | None:
    """The slip that stopped the YAML parser at problem_line (both are file lines)."""
    lines = text.split("\n")
    start = (context_line if context_line is not None else first_line) - first_line
    end = min(problem_line - first_line, len(lines) - 1)
    for index in [*range(max(start, 0), end + 1), *range(0, max(start, 0))]:
        if _content(lines[index]) and (slip := _line_slip(lines, index)):
            return index + first_line, slip[0], _short(slip[1])
    return None


def silent_slips(text: str, first_line: int, keys: tuple[str, ...]) -> list[Hint]:
    """Slips that are valid YAML but lose what the editor meant: text cut at ' #', a key
    indented under a key with no value."""
    if "#" not in text and not INDENTED_KEY.search(text):
        return []  # most front matter: neither slip is possible, no line by line look
    found: list[Hint] = []
    lines = text.split("\n")
    for index, line in enumerate(lines):
        match = KEY_VALUE.match(line.strip())
        if not match:
            continue
        key, value = match.group(1), match.group(2) or ""
        if (
            _indent(line) == 0
            and key in TEXT_KEYS
            and _unquoted(value)
            and (value.startswith("#") or " #" in value)
        ):
            found.append(
                (
                    index + first_line,
                    N_(
                        "YAML reads the text from '#' on as a comment, so '%(key)s' loses it: put the "
                        "whole value in quotes, as in '%(fixed)s'"
                    ),
                    {"key": key, "fixed": f'{key}: "{value}"'},
                )
            )
        above = next((lines[i] for i in range(index - 1, -1, -1) if _content(lines[i])), None)
        if above is None or _indent(line) <= _indent(above) or key not in keys:
            continue
        parent = KEY_VALUE.match(above.strip())
        if parent and not parent.group(2):
            found.append(
                (
                    index + first_line,
                    N_(
                        "'%(key)s' is indented under '%(parent)s:', which has no value: remove the "
                        "spaces at the start of the line, and give '%(parent)s' its value"
                    ),
                    {"key": key, "parent": parent.group(1)},
                )
            )
    return [(line, msgid, _short(params)) for line, msgid, params in found]


def _short(params: dict) -> dict:
    """The editor's text in a message, cut short: a message stays one readable line."""
    return {
        key: shorten(value, 80) if isinstance(value, str) else value
        for key, value in params.items()
    }


def unreadable_value(
    loader: yaml.BaseLoader, node: yaml.Node, first_line: int
) -> SourceError | None:
    """The first scalar whose tag's constructor fails on its value, as a problem on its line."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.ScalarNode):
            construct = loader.yaml_constructors.get(current.tag)
            try:
                if construct is not None:
                    construct(loader, current)
            except SourceError as error:
                return error
            except Exception:
                tag = current.tag.replace("tag:yaml.org,2002:", "!!")
                return SourceError.of(
                    current.start_mark.line + first_line,
                    N_(
                        "'%(value)s' cannot be read as %(tag)s: correct the value, or remove "
                        "%(tag)s to keep it as text"
                    ),
                    value=shorten(current.value),
                    tag=tag,
                )
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(reversed(current.value))
        elif isinstance(current, yaml.MappingNode):
            stack.extend(part for pair in reversed(current.value) for part in reversed(pair))
    return None
