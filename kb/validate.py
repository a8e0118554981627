"""Content rules: every problem becomes a `path:line: message` that tells the editor what to fix."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from typing import Any

from kb.taxonomy import AUDIENCES, PHASES, STATUSES

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
REQUIRED_KEYS = ("id", "title", "phase", "audiences", "topics", "updated", "status", "period")
OPTIONAL_KEYS = ("summary", "order", "sources")
LONG_TITLE = 150
LONG_SUMMARY = 200
MAX_FILE_BYTES = 1_000_000


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one file; warnings do not stop a build."""

    path: str
    line: int
    message: str
    level: str = "error"

    def __str__(self) -> str:
        prefix = "warning: " if self.level == "warning" else ""
        return f"{self.path}:{self.line}: {prefix}{self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "level": self.level, "message": self.message}


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.level == "error"]


def _did_you_mean(value: str, choices) -> str:
    close = difflib.get_close_matches(value, list(choices), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _one_of(value: str, choices) -> str:
    return ", ".join(choices) + _did_you_mean(value, choices)


class FrontMatterChecker:
    """Checks one entry's front matter; collects problems instead of stopping at the first."""

    def __init__(self, path: str, key_lines: dict[str, int], topics, first_line: int,
                 sources=None):
        self.path = path
        self.key_lines = key_lines
        self.topics = topics
        self.sources = sources  # the registry's ids; None when the site has no content/sources.yml
        self.first_line = first_line
        self.problems: list[Problem] = []

    def report(self, key: str | None, message: str, level: str = "error") -> None:
        line = self.key_lines.get(key, self.first_line) if key else self.first_line
        self.problems.append(Problem(self.path, line, message, level))

    def check(self, data: Any) -> dict[str, Any] | None:
        """Return clean fields, or None when the front matter is unusable."""
        if not isinstance(data, dict):
            self.report(None, "front matter must be 'key: value' lines (id, title, phase, ...)")
            return None
        for key in data:
            if key not in REQUIRED_KEYS + OPTIONAL_KEYS:
                self.report(
                    key,
                    f"unknown key '{key}'{_did_you_mean(str(key), REQUIRED_KEYS + OPTIONAL_KEYS)}: "
                    f"allowed keys are {', '.join(REQUIRED_KEYS + OPTIONAL_KEYS)}",
                )
        for key in REQUIRED_KEYS:
            if key not in data or data[key] in (None, "", []):
                self.report(None, f"missing '{key}': add a line '{key}: ...' to the front matter")
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
            "sources": self._sources(data.get("sources"), data.get("status")),
        }
        return None if any(p.level == "error" for p in self.problems) else fields

    def _slug(self, key: str, value: Any) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str) or not SLUG.match(value):
            self.report(key, f"{key} '{value}' must be lower-case letters, digits and hyphens")
            return None
        return value

    def _text(self, key: str, value: Any, limit: int | None = None) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            self.report(key, f"{key} must be text; put it in quotes")
            return None
        value = re.sub(r"[ \t\r\n]+", " ", value).strip()  # keeps French no-break spaces
        if limit and len(value) > limit:
            self.report(key, f"{key} is {len(value)} characters long; keep it under {limit}",
                        "warning")
        return value

    def _choice(self, key: str, value: Any, choices) -> str | None:
        if value is None:
            return None
        if value not in choices:
            self.report(key, f"unknown {key} '{value}': use one of {_one_of(str(value), choices)}")
            return None
        return value

    def _choices(self, key: str, value: Any, choices) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.report(key, f"{key} must be a list, for example [{next(iter(choices))}]")
            return ()
        for item in value:
            if item not in choices:
                self.report(key, f"unknown {key[:-1]} '{item}': use {_one_of(str(item), choices)}")
        if len(set(value)) != len(value):
            self.report(key, f"{key} lists the same value twice")
        return tuple(item for item in value if item in choices)

    def _sources(self, value: Any, status: Any) -> tuple[str, ...]:
        """Ids from content/sources.yml; a published entry names at least one."""
        if value in (None, "", []):
            if status == "published" and self.sources is not None:
                example = next(iter(self.sources), "an-id")
                self.report("sources" if "sources" in self.key_lines else None,
                            "a published entry needs its source: add a line "
                            f"'sources: [{example}]' after 'topics:' (ids from content/sources.yml)")
            return ()
        if self.sources is None:
            self.report("sources", "sources: the site has no content/sources.yml to take ids from")
            return ()
        return self._choices("sources", value, self.sources)

    def _date(self, key: str, value: Any) -> dt.date | None:
        if value is None:
            return None
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.report(key, f"{key} '{value}' is not a real date: write it as YYYY-MM-DD")
            return None

    def _order(self, value: Any) -> int:
        if value is None:
            return 100
        if isinstance(value, bool) or not isinstance(value, int):
            self.report("order", f"order '{value}' must be a whole number, such as 10")
            return 100
        return value
