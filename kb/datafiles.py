"""The editors' data files in content/: topics, glossary, timeline and search synonyms."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb.frontmatter import N_, Phrase, SourceError, decode, parse_yaml, shorten
from kb.sourcefile import read_source
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
            raw = read_source(
                file,
                MAX_DATA_BYTES,
                root / "content",
                Phrase(N_("data files must stay under %(mb)d MB"), mb=MAX_DATA_BYTES // 1_000_000),
            )
            self.value, self.lines = parse_yaml(decode(raw))
        except SourceError as error:
            self.report(
                error.line, Phrase(error.msgid, **error.params) if error.msgid else error.message
            )

    def report(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def say(self, line: int, msgid: str, /, **params: Any) -> None:
        """Report a catalog message (N_) with its values."""
        self.report(line, Phrase(msgid, **params))

    def items(self, kind: type) -> list[tuple[Any, Any, int]]:
        """(key, value, line) for a mapping or a list; reports the wrong shape."""
        if self.value is None:
            return []
        if not isinstance(self.value, kind):
            self.say(
                1,
                N_("must be a mapping at the top level")
                if kind is dict
                else N_("must be a list at the top level"),
            )
            return []
        pairs = self.value.items() if kind is dict else enumerate(self.value)
        return [
            (key, item, self.lines.get(key if kind is list else str(key), 1)) for key, item in pairs
        ]

    def text(self, item: dict, field: str, line: int, label: str, slug: bool = False) -> bool:
        """Whether an optional field is absent or text (a slug when asked); reports it if not."""
        value = item.get(field)
        if value is None or value == "":
            return True
        if not isinstance(value, str):
            self.say(
                line,
                N_("%(label)s: %(field)s must be text; put it in quotes"),
                label=label,
                field=field,
            )
            return False
        if slug and not SLUG.match(value):
            self.say(
                line,
                N_(
                    "%(label)s: %(field)s '%(value)s' must be lower-case letters, "
                    "digits and hyphens"
                ),
                label=label,
                field=field,
                value=shorten(value),
            )
            return False
        return True


def _bilingual(data: DataFile, item: Any, line: int, fields: tuple[str, ...], label: str):
    """Return {lang: {field: text}} or None, reporting each missing language or field."""
    result = {}
    for lang in LANGS:
        part = item.get(lang) if isinstance(item, dict) else None
        if not isinstance(part, dict):
            data.say(
                line,
                N_("%(label)s: missing '%(lang)s:' with %(fields)s"),
                label=label,
                lang=lang,
                fields=", ".join(fields),
            )
            return None
        for field in fields:
            if part.get(field) is not None and not isinstance(part[field], str):
                data.say(
                    line,
                    N_("%(label)s: %(field)s must be text; put it in quotes"),
                    label=label,
                    field=f"{lang}.{field}",
                )
                return None
            if not isinstance(part.get(field), str) or not part[field].strip():
                data.say(
                    line, N_("%(label)s: missing %(field)s"), label=label, field=f"{lang}.{field}"
                )
                return None
        result[lang] = part
    return result


def _in(label: str, lang: str) -> Phrase:
    """'glossary item 'x': en', the label of an item's part in one language."""
    return Phrase(N_("%(label)s: %(lang)s"), label=label, lang=lang)


def load_topics(root: Path, problems: list[Problem]) -> dict[str, Term]:
    data = DataFile(root, "topics.yml", problems)
    topics = {}
    slugs_seen: dict[tuple[str, str], str] = {}
    for key, item, line in data.items(dict):
        label = Phrase(N_("topic '%(id)s'"), id=shorten(key))
        if not SLUG.match(str(key)):
            data.say(
                line,
                N_("%(label)s: the id must be lower-case letters, digits and hyphens"),
                label=label,
            )
            continue
        parts = _bilingual(data, item, line, ("label", "slug"), label)
        if parts is None:
            continue
        if not all(data.text(parts[lang], "description", line, _in(label, lang)) for lang in LANGS):
            continue
        for lang in LANGS:
            slug = parts[lang]["slug"]
            if not SLUG.match(slug):
                data.say(
                    line,
                    N_("topic '%(id)s': %(field)s must be lower-case with hyphens"),
                    id=key,
                    field=f"{lang}.slug",
                )
            elif (lang, slug) in slugs_seen:
                data.say(
                    line,
                    N_(
                        "topic '%(id)s': %(field)s '%(slug)s' is also the slug of topic "
                        "'%(other)s': give each topic its own slug"
                    ),
                    id=key,
                    field=f"{lang}.slug",
                    slug=slug,
                    other=slugs_seen[lang, slug],
                )
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
            data.say(line, N_("glossary item must have id, en and fr (and the entry it explains)"))
            continue
        name = item.get("id")
        if name is not None and not (isinstance(name, str) and SLUG.match(name)):
            data.say(line, N_("glossary item: id must be lower-case letters, digits and hyphens"))
            continue
        label = Phrase(N_("glossary item '%(id)s'"), id=str(name))
        parts = _bilingual(data, item, line, ("term", "definition"), label)
        if parts is None or not name:
            if parts is not None:
                data.say(line, N_("glossary item: missing 'id'"))
            continue
        if not (
            data.text(item, "entry", line, label, slug=True)
            and all(data.text(parts[lang], "abbr", line, _in(label, lang)) for lang in LANGS)
        ):
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
    for _index, item, line in data.items(list):
        if not isinstance(item, dict):
            data.say(line, N_("timeline event must have date, entry, en and fr"))
            continue
        date = item.get("date")
        if not isinstance(date, str | int) or isinstance(date, bool):
            data.say(line, N_("timeline event: date must be one date: YYYY-MM-DD, YYYY-MM or YYYY"))
            continue
        parsed = parse_partial_date(date)
        if parsed is None:
            data.say(
                line, N_("date '%(date)s' must be YYYY-MM-DD, YYYY-MM or YYYY"), date=shorten(date)
            )
            continue
        target = "catchment" if "catchment" in item and "entry" not in item else "entry"
        if not isinstance(item.get(target), str):
            data.say(
                line,
                N_(
                    "timeline event: catchment must be the id of the catchment area "
                    "that explains it"
                )
                if target == "catchment"
                else N_("timeline event: entry must be the id of the entry that explains it"),
            )
            continue
        texts = {lang: item.get(lang) for lang in LANGS}
        if not all(isinstance(text, str) and text.strip() for text in texts.values()):
            data.say(line, N_("timeline event needs its text in both 'en:' and 'fr:'"))
            continue
        catchment = item.get("catchment")
        if ("entry" in item) == (catchment is not None):
            data.say(
                line,
                N_(
                    "timeline event points to one page: give '%(entry)s' or "
                    "'%(catchment)s', not both"
                ),
                entry="entry: <id>",
                catchment="catchment: <id of content/catchment-areas.yml>",
            )
            continue
        entry = None if catchment is not None else str(item.get("entry"))
        events.append(
            TimelineEvent(
                parsed[0],
                parsed[1],
                entry,
                texts,
                line,
                None if catchment is None else str(catchment),
            )
        )
    return sorted(events, key=lambda event: event.date)


def load_synonyms(root: Path, problems: list[Problem]) -> list[list[str]]:
    data = DataFile(root, "synonyms.yml", problems)
    groups = []
    for _, item, line in data.items(list):
        if not isinstance(item, list) or len(item) < 2 or not all(isinstance(w, str) for w in item):
            data.say(line, N_("a synonym group is a list of two or more words: [SSM, GSS]"))
            continue
        groups.append([word.strip() for word in item])
    return groups
