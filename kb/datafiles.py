"""The editors' data files in content/: topics, glossary, timeline and search synonyms."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb.frontmatter import SourceError, decode, parse_yaml, read_source, shorten
from kb.taxonomy import LANGS, Term
from kb.validate import SLUG, Problem

PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?\Z")
MAX_DATA_BYTES = 2_000_000  # a hundred times today's glossary


@dataclass(frozen=True)
class GlossaryItem:
    """A term with its French counterpart, optional acronyms and the entry that explains it."""

    id: str
    terms: dict[str, str]
    abbrs: dict[str, str | None]
    definitions: dict[str, str]
    entry: str | None
    line: int


@dataclass(frozen=True)
class TimelineEvent:
    """A dated event; `precision` is 'day', 'month' or 'year' as the source gives it.

    It points to the entry that explains it, or to a catchment area's page (`catchment`)."""

    date: dt.date
    precision: str
    entry: str | None
    texts: dict[str, str]
    line: int
    catchment: str | None = None


class DataFile:
    """Reads one YAML data file and collects its problems as path:line messages."""

    def __init__(self, root: Path, name: str, problems: list[Problem]):
        self.path = f"content/{name}"
        self.problems = problems
        self.value: Any = None
        self.lines: dict[Any, int] = {}
        file = root / "content" / name
        if not file.exists() and not file.is_symlink():
            return
        try:
            raw = read_source(file, MAX_DATA_BYTES, root / "content",
                              f"data files must stay under {MAX_DATA_BYTES / 1e6:.0f} MB")
            self.value, self.lines = parse_yaml(decode(raw))
        except SourceError as error:
            self.report(error.line, error.message)

    def report(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def items(self, kind: type) -> list[tuple[Any, Any, int]]:
        """(key, value, line) for a mapping or a list; reports the wrong shape."""
        if self.value is None:
            return []
        if not isinstance(self.value, kind):
            self.report(1, f"must be a {'mapping' if kind is dict else 'list'} at the top level")
            return []
        pairs = self.value.items() if kind is dict else enumerate(self.value)
        return [(key, item, self.lines.get(key if kind is list else str(key), 1))
                for key, item in pairs]

    def text(self, item: dict, field: str, line: int, label: str, slug: bool = False) -> bool:
        """Whether an optional field is absent or text (a slug when asked); reports it if not."""
        value = item.get(field)
        if value is None or value == "":
            return True
        if not isinstance(value, str):
            self.report(line, f"{label}: {field} must be text; put it in quotes")
            return False
        if slug and not SLUG.match(value):
            self.report(line, f"{label}: {field} '{shorten(value)}' must be lower-case letters, "
                              "digits and hyphens")
            return False
        return True


def _bilingual(data: DataFile, item: Any, line: int, fields: tuple[str, ...], label: str):
    """Return {lang: {field: text}} or None, reporting each missing language or field."""
    result = {}
    for lang in LANGS:
        part = item.get(lang) if isinstance(item, dict) else None
        if not isinstance(part, dict):
            data.report(line, f"{label}: missing '{lang}:' with {', '.join(fields)}")
            return None
        for field in fields:
            if part.get(field) is not None and not isinstance(part[field], str):
                data.report(line, f"{label}: {lang}.{field} must be text; put it in quotes")
                return None
            if not isinstance(part.get(field), str) or not part[field].strip():
                data.report(line, f"{label}: missing {lang}.{field}")
                return None
        result[lang] = part
    return result


def load_topics(root: Path, problems: list[Problem]) -> dict[str, Term]:
    data = DataFile(root, "topics.yml", problems)
    topics = {}
    slugs_seen: dict[tuple[str, str], str] = {}
    for key, item, line in data.items(dict):
        label = f"topic '{shorten(key)}'"
        if not SLUG.match(str(key)):
            data.report(line, f"{label}: the id must be lower-case letters, digits and hyphens")
            continue
        parts = _bilingual(data, item, line, ("label", "slug"), label)
        if parts is None:
            continue
        if not all(data.text(parts[lang], "description", line, f"{label}: {lang}")
                   for lang in LANGS):
            continue
        for lang in LANGS:
            slug = parts[lang]["slug"]
            if not SLUG.match(slug):
                data.report(line, f"topic '{key}': {lang}.slug must be lower-case with hyphens")
            elif (lang, slug) in slugs_seen:
                data.report(line, f"topic '{key}': {lang}.slug '{slug}' is also the slug of topic "
                                  f"'{slugs_seen[lang, slug]}': give each topic its own slug")
            else:
                slugs_seen[lang, slug] = str(key)
        labels = {lang: parts[lang]["label"] for lang in LANGS}
        slugs = {lang: parts[lang]["slug"] for lang in LANGS}
        descriptions = {lang: parts[lang].get("description", "") for lang in LANGS}
        topics[str(key)] = Term(str(key), labels, slugs, descriptions)
    return topics


def load_glossary(root: Path, problems: list[Problem]) -> list[GlossaryItem]:
    data = DataFile(root, "glossary.yml", problems)
    items = []
    for _, item, line in data.items(list):
        if not isinstance(item, dict):
            data.report(line, "glossary item must have id, en and fr (and the entry it explains)")
            continue
        name = item.get("id")
        if name is not None and not (isinstance(name, str) and SLUG.match(name)):
            data.report(line, "glossary item: id must be lower-case letters, digits and hyphens")
            continue
        label = f"glossary item '{name}'"
        parts = _bilingual(data, item, line, ("term", "definition"), label)
        if parts is None or not name:
            if parts is not None:
                data.report(line, "glossary item: missing 'id'")
            continue
        if not (data.text(item, "entry", line, label, slug=True)
                and all(data.text(parts[lang], "abbr", line, f"{label}: {lang}")
                        for lang in LANGS)):
            continue
        items.append(
            GlossaryItem(
                id=name,
                terms={lang: parts[lang]["term"] for lang in LANGS},
                abbrs={lang: parts[lang].get("abbr") for lang in LANGS},
                definitions={lang: parts[lang]["definition"] for lang in LANGS},
                entry=item.get("entry"),
                line=line,
            )
        )
    return items


def parse_partial_date(value: Any) -> tuple[dt.date, str] | None:
    """'2023-02-01', '2023-02' or '2023' → (first day, precision)."""
    match = PARTIAL_DATE.match(str(value))
    if not match:
        return None
    year, month, day = match.groups()
    try:
        date = dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None
    return date, "day" if day else "month" if month else "year"


def load_timeline(root: Path, problems: list[Problem]) -> list[TimelineEvent]:
    data = DataFile(root, "timeline.yml", problems)
    events = []
    for index, item, line in data.items(list):
        if not isinstance(item, dict):
            data.report(line, "timeline event must have date, entry, en and fr")
            continue
        date = item.get("date")
        if not isinstance(date, str | int) or isinstance(date, bool):
            data.report(line, "timeline event: date must be one date: YYYY-MM-DD, YYYY-MM or YYYY")
            continue
        parsed = parse_partial_date(date)
        if parsed is None:
            data.report(line, f"date '{shorten(date)}' must be YYYY-MM-DD, YYYY-MM or YYYY")
            continue
        target = "catchment" if "catchment" in item and "entry" not in item else "entry"
        if not isinstance(item.get(target), str):
            data.report(line, f"timeline event: {target} must be the id of the "
                              f"{'catchment area' if target == 'catchment' else 'entry'} "
                              "that explains it")
            continue
        texts = {lang: item.get(lang) for lang in LANGS}
        if not all(isinstance(text, str) and text.strip() for text in texts.values()):
            data.report(line, "timeline event needs its text in both 'en:' and 'fr:'")
            continue
        catchment = item.get("catchment")
        if ("entry" in item) == (catchment is not None):
            data.report(line, "timeline event points to one page: give 'entry: <id>' or "
                              "'catchment: <id of content/catchment-areas.yml>', not both")
            continue
        entry = None if catchment is not None else str(item.get("entry"))
        events.append(TimelineEvent(parsed[0], parsed[1], entry, texts, line,
                                    None if catchment is None else str(catchment)))
    return sorted(events, key=lambda event: event.date)


def load_synonyms(root: Path, problems: list[Problem]) -> list[list[str]]:
    data = DataFile(root, "synonyms.yml", problems)
    groups = []
    for _, item, line in data.items(list):
        if not isinstance(item, list) or len(item) < 2 or not all(isinstance(w, str) for w in item):
            data.report(line, "a synonym group is a list of two or more words: [SSM, GSS]")
            continue
        groups.append([word.strip() for word in item])
    return groups
