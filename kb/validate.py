"""Content rules: every problem becomes a `path:line: message` that tells the editor what to fix."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kb import fingerprint
from kb.frontmatter import N_, Phrase, localized_values, one_line, shorten  # noqa: F401 (N_ for kb's checks)
from kb.taxonomy import AUDIENCES, PHASES, STATUSES

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")  # \Z, not $: "id\n" is not a slug
REQUIRED_KEYS = ("id", "title", "phase", "audiences", "topics", "updated", "status", "period")
OPTIONAL_KEYS = ("summary", "order", "sources", "as_of", fingerprint.KEY)
LONG_TITLE = 150
LONG_SUMMARY = 200
MAX_FILE_BYTES = 1_000_000
# Text direction overrides reorder what a terminal shows, as escape codes rewrite it.
BIDI_CONTROLS = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def escape_controls(text: str) -> str:
    """Control characters as visible escapes (\\x1b, \\n): a message never drives the terminal."""
    if text.isprintable():  # the usual case, at C speed
        return text
    return "".join(
        char.encode("unicode_escape").decode("ascii")
        if unicodedata.category(char) in ("Cc", "Zl", "Zp") or char in BIDI_CONTROLS
        else char
        for char in text
    )


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one file; warnings do not stop a build."""

    path: str
    line: int
    message: str
    level: str = "error"
    detail: str = ""  # kb's own context (a diff, a quote), shown on the lines below the message
    # The catalog's message id and its %(name)s values, so a page shows it in its own language.
    msgid: str = field(default="", compare=False)
    params: tuple[tuple[str, Any], ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        # A Phrase message brings its catalog id: Problem(path, line, Phrase(N_("…"), …)).
        if isinstance(self.message, Phrase):
            object.__setattr__(self, "msgid", self.message.msgid)
            object.__setattr__(self, "params", self.message.params)
            object.__setattr__(self, "message", str(self.message))

    def shown(self, gettext: Callable[[str], str]) -> str:
        """The whole problem as str() gives it, its message in the language of gettext."""
        prefix = gettext("warning: ") if self.level == "warning" else ""
        text = f"{escape_controls(self.path)}:{self.line}: {prefix}{self.localized(gettext)}"
        return "\n".join([text, *self._detail_lines(gettext)])

    def localized(self, gettext: Callable[[str], str]) -> str:
        """The message in the language of gettext (English when it has no catalog id)."""
        if not self.msgid:
            return escape_controls(self.message)
        return escape_controls(gettext(self.msgid) % localized_values(self.params, gettext))

    def __str__(self) -> str:
        prefix = "warning: " if self.level == "warning" else ""
        text = f"{escape_controls(self.path)}:{self.line}: {prefix}{escape_controls(self.message)}"
        return "\n".join([text, *self._detail_lines()])

    def _detail_lines(self, gettext: Callable[[str], str] | None = None) -> list[str]:
        # Line by line: the line breaks are kb's, anything else that is a control is escaped.
        detail = (
            self.detail.localized(gettext)
            if gettext and isinstance(self.detail, Phrase)
            else self.detail
        )
        return [escape_controls(line) for line in detail.split("\n")] if detail else []

    def as_dict(self) -> dict[str, Any]:
        found = {
            "path": escape_controls(self.path),
            "line": self.line,
            "level": self.level,
            "message": escape_controls(self.message),
        }
        if self.detail:
            found["detail"] = "\n".join(self._detail_lines())
        return found


def problem(path: str, line: int, msgid: str, level: str = "error", /, **params: Any) -> Problem:
    """A Problem whose message comes from the catalog: English here, translated on pages."""
    return Problem(path, line, Phrase(msgid, **params), level)


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.level == "error"]


def _kind(value: Any) -> str:
    """What an editor wrote, in words: for a value of the wrong type (a Phrase, translated)."""
    if isinstance(value, list):
        return Phrase(N_("a list"))
    if isinstance(value, dict):
        return Phrase(N_("a mapping (key: value)"))
    if isinstance(value, bool):
        return Phrase(N_("'%(value)s' (yes/no)"), value=str(value).lower())
    if isinstance(value, int | float):
        return Phrase(N_("the number %(number)s"), number=shorten(value))
    return f"'{shorten(value)}'"  # the editor's own text: the same in every language


def _did_you_mean(value: str, choices) -> str:
    """' (did you mean 'x'?)' for the closest choice, or ''; a Phrase, translated on pages."""
    close = difflib.get_close_matches(value, list(choices), n=1)
    return Phrase(N_(" (did you mean '%(close)s'?)"), close=close[0]) if close else ""


class FrontMatterChecker:
    """Checks one entry's front matter; collects problems instead of stopping at the first."""

    def __init__(self, path: str, key_lines: dict[str, int], topics, first_line: int, sources=None):
        self.path = path
        self.key_lines = key_lines
        self.topics = topics
        self.sources = sources  # the registry's ids; None when the site has no content/sources.yml
        self.first_line = first_line
        self.problems: list[Problem] = []

    def report(self, key: str | None, message: str, level: str = "error") -> None:
        line = self.key_lines.get(key, self.first_line) if key else self.first_line
        self.problems.append(Problem(self.path, line, message, level))

    def say(self, key: str | None, msgid: str, level: str = "error", /, **params: Any) -> None:
        """Report a catalog message (N_) with its values."""
        self.report(key, Phrase(msgid, **params), level)

    def check(self, data: Any) -> dict[str, Any] | None:
        """Return clean fields, or None when the front matter is unusable."""
        if not isinstance(data, dict):
            self.say(None, N_("front matter must be 'key: value' lines (id, title, phase, ...)"))
            return None
        for key in data:
            if key not in REQUIRED_KEYS + OPTIONAL_KEYS:
                self.say(
                    str(key),
                    N_("unknown key '%(key)s'%(hint)s: allowed keys are %(keys)s"),
                    key=shorten(key),
                    hint=_did_you_mean(str(key), REQUIRED_KEYS + OPTIONAL_KEYS),
                    keys=", ".join(REQUIRED_KEYS + OPTIONAL_KEYS),
                )
        for key in REQUIRED_KEYS:
            if key not in data or data[key] in (None, "", []):
                self.say(
                    None,
                    N_("missing '%(key)s': add a line '%(line)s' to the front matter"),
                    key=key,
                    line=f"{key}: ...",
                )
        fields = {
            "id": self._slug("id", data.get("id")),
            "title": self._text("title", data.get("title"), LONG_TITLE),
            "phase": self._choice("phase", data.get("phase"), PHASES),
            "audiences": self._choices("audiences", data.get("audiences"), AUDIENCES),
            "topics": self._choices("topics", data.get("topics"), self.topics),
            "updated": self._date("updated", data.get("updated")),
            "status": self._choice("status", data.get("status"), STATUSES),
            "period": self._text("period", data.get("period")),
            "summary": self._text("summary", data.get("summary"), LONG_SUMMARY),
            "order": self._order(data.get("order")),
            "as_of": self._month("as_of", data.get("as_of")),
            "synced": self._fingerprint(data.get(fingerprint.KEY), data.get("id")),
            "sources": self._sources(data.get("sources"), data.get("status")),
        }
        return None if any(p.level == "error" for p in self.problems) else fields

    def _slug(self, key: str, value: Any) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            self.say(
                key,
                N_(
                    "%(key)s is %(kind)s: write one word of lower-case letters, digits "
                    "and hyphens, such as phase-2-planning"
                ),
                key=key,
                kind=_kind(value),
            )
            return None
        if not SLUG.match(value):
            self.say(
                key,
                N_("%(key)s '%(value)s' must be lower-case letters, digits and hyphens"),
                key=key,
                value=shorten(value),
            )
            return None
        return value

    def _text(self, key: str, value: Any, limit: int | None = None) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            self.say(key, N_("%(key)s must be text; put it in quotes"), key=key)
            return None
        value = one_line(value)
        if limit and len(value) > limit:
            self.say(
                key,
                N_("%(key)s is %(length)d characters long; keep it under %(limit)d"),
                "warning",
                key=key,
                length=len(value),
                limit=limit,
            )
        return value

    def _choice(self, key: str, value: Any, choices) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            self.say(
                key,
                N_("%(key)s is %(kind)s: write one value, one of %(choices)s"),
                key=key,
                kind=_kind(value),
                choices=", ".join(choices),
            )
            return None
        if value not in choices:
            self.say(
                key,
                N_("unknown %(key)s '%(value)s': use one of %(choices)s%(hint)s"),
                key=key,
                value=shorten(value),
                choices=", ".join(choices),
                hint=_did_you_mean(value, choices),
            )
            return None
        return value

    def _choices(self, key: str, value: Any, choices) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str) and "," in value:
            self.problems.append(
                problem(
                    self.path,
                    self.key_lines.get(key, self.first_line),
                    N_("'%(written)s' lists several values without brackets: write '%(fixed)s'"),
                    written=f"{key}: {shorten(value)}",
                    fixed=f"{key}: [{shorten(value)}]",
                )
            )
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.say(
                key,
                N_("%(key)s must be a list, for example [%(example)s]"),
                key=key,
                example=next(iter(choices)),
            )
            return ()
        for item in value:
            if not isinstance(item, str):
                self.say(
                    key,
                    N_("%(key)s holds %(kind)s: list plain values, for example [%(example)s]"),
                    key=key,
                    kind=_kind(item),
                    example=next(iter(choices)),
                )
                return ()
        for item in value:
            if item not in choices:
                # 'what' is the key in the singular (audience); French names the key instead.
                self.say(
                    key,
                    N_("unknown %(what)s '%(value)s': use %(choices)s%(hint)s"),
                    what=key[:-1],
                    key=key,
                    value=shorten(item),
                    choices=", ".join(choices),
                    hint=_did_you_mean(item, choices),
                )
        if len(set(value)) != len(value):
            self.say(key, N_("%(key)s lists the same value twice"), key=key)
        return tuple(item for item in value if item in choices)

    def _sources(self, value: Any, status: Any) -> tuple[str, ...]:
        """Ids from content/sources.yml; a published entry names at least one."""
        if value in (None, "", []):
            if status == "published" and self.sources is not None:
                example = next(iter(self.sources), "an-id")
                self.say(
                    "sources" if "sources" in self.key_lines else None,
                    N_(
                        "a published entry needs its source: add a line '%(line)s' after "
                        "'topics:' (ids from content/sources.yml)"
                    ),
                    line=f"sources: [{example}]",
                )
            return ()
        if self.sources is None:
            self.say("sources", N_("sources: the site has no content/sources.yml to take ids from"))
            return ()
        return self._choices("sources", value, self.sources)

    def _date(self, key: str, value: Any) -> dt.date | None:
        if value is None:
            return None
        if not isinstance(value, str | int) or isinstance(value, bool):
            self.say(
                key,
                N_("%(key)s is %(kind)s: write one date as YYYY-MM-DD"),
                key=key,
                kind=_kind(value),
            )
            return None
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.say(
                key,
                N_("%(key)s '%(value)s' is not a real date: write it as YYYY-MM-DD"),
                key=key,
                value=shorten(value),
            )
            return None

    def _month(self, key: str, value: Any) -> dt.date | None:
        """A month, YYYY-MM (the date of the plans an answer reflects), as its first day."""
        if value is None:
            return None
        try:
            if re.fullmatch(r"\d{4}-\d{2}", str(value)):
                return dt.date.fromisoformat(f"{value}-01")
        except ValueError:
            pass
        self.say(
            key,
            N_("%(key)s '%(value)s' is not a month: write it as YYYY-MM, such as 2023-01"),
            key=key,
            value=shorten(value),
        )
        return None

    def _fingerprint(self, value: Any, id: Any) -> str | None:
        """The counterpart's fingerprint at the last sync; a hand-edited one is only a warning."""
        if value is None or fingerprint.is_fingerprint(value):
            return value
        self.say(
            fingerprint.KEY,
            N_(
                "'%(line)s' is not a fingerprint written by kb (never edit "
                "this line): when both languages say the same thing, run "
                "'%(command)s' to write it again"
            ),
            "warning",
            line=f"{fingerprint.KEY}: {shorten(value)}",
            command=f"{fingerprint.SYNC_COMMAND} {id}",
        )
        return "invalid"

    def _order(self, value: Any) -> int:
        if value is None:
            return 100
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, str | float):
                self.say(
                    "order",
                    N_("order '%(value)s' must be a whole number, such as 10"),
                    value=shorten(value),
                )
            else:
                self.say(
                    "order",
                    N_("order is %(kind)s: write a whole number, such as 10"),
                    kind=_kind(value),
                )
            return 100
        return value
