"""The editors' registries in content/: the sources answers cite and the 15 catchment areas."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb.datafiles import DataFile, _bilingual, parse_partial_date
from kb.frontmatter import N_, Phrase
from kb.taxonomy import LANGS, PHASES
from kb.validate import SLUG, Problem, _did_you_mean

PartialDate = tuple[dt.date, str]  # first day, precision ('day', 'month' or 'year')
Span = tuple[PartialDate, PartialDate]
TBA = "tba"  # to be announced: the source names no SSM or date yet
SPANS = ("planning_transition", "planning", "transition")
DATES = ("announced", "ies_start")
CATCHMENT_FILE = "content/catchment-areas.yml"


@dataclass(frozen=True)
class Source:
    """A published document answers are written from: titles and URLs per language."""

    id: str
    titles: dict[str, str]
    urls: dict[str, str | None]
    published: PartialDate
    line: int


@dataclass(frozen=True)
class Periods:
    """Dates one source gives for an area; None where it gives none, TBA where it says so."""

    source: str
    planning_transition: Span | str | None = None
    planning: Span | str | None = None
    transition: Span | str | None = None
    announced: PartialDate | str | None = None
    ies_start: PartialDate | str | None = None


@dataclass(frozen=True)
class CatchmentArea:
    """One of the catchment areas: its phase, its SSM and its periods in both languages."""

    id: str
    phase: str
    names: dict[str, str]
    slugs: dict[str, str]
    ssms: dict[str, str]  # TBA while the source names none
    table: Periods  # the rollout table's periods
    as_published: PartialDate
    finer: Periods | None = None  # the same periods with finer dates from another source
    line: int = 0

    @property
    def search_id(self) -> str:
        """Its id among search results: a colon keeps it apart from every entry id."""
        return f"catchment-area:{self.id}"

    @property
    def sources(self) -> tuple[str, ...]:
        return (self.table.source,) + ((self.finer.source,) if self.finer else ())


def load_sources(root: Path, problems: list[Problem]) -> dict[str, Source]:
    """content/sources.yml: id → titles, URLs where one exists, publication date."""
    data = DataFile(root, "sources.yml", problems)
    sources = {}
    for key, item, line in data.items(dict):
        if not SLUG.match(str(key)):
            data.say(
                line,
                N_("source id '%(key)s' must be lower-case letters, digits and hyphens"),
                key=key,
            )
            continue
        parts = _bilingual(data, item, line, ("title",), Phrase(N_("source '%(key)s'"), key=key))
        if parts is None:
            continue
        published = parse_partial_date(item.get("published"))
        if published is None:
            data.say(
                line,
                N_("source '%(key)s': published '%(value)s' must be YYYY-MM-DD, YYYY-MM or YYYY"),
                key=key,
                value=item.get("published"),
            )
            continue
        urls = {}
        for lang in LANGS:
            url = parts[lang].get("url")
            if url is not None and not (isinstance(url, str) and url.startswith("https://")):
                data.say(
                    line,
                    N_("source '%(key)s': %(field)s must start with https://"),
                    key=key,
                    field=f"{lang}.url",
                )
                url = None
            urls[lang] = url
        titles = {lang: parts[lang]["title"].strip() for lang in LANGS}
        sources[str(key)] = Source(str(key), titles, urls, published, line)
    return sources


class _RecordReader:
    """Reads the fields of one catchment record, reporting each bad value on the record's line."""

    def __init__(self, data: DataFile, item: dict, line: int, label: Phrase, sources: dict):
        self.data, self.item, self.line, self.label, self.sources = data, item, line, label, sources
        self.ok = True

    def say(self, msgid: str, /, **params: Any) -> None:
        """Report a catalog message (N_), after the record's label."""
        self.data.say(
            self.line,
            N_("%(label)s: %(message)s"),
            label=self.label,
            message=Phrase(msgid, **params),
        )
        self.ok = False

    def source(self, value: Any, where: str) -> str:
        if value not in self.sources:
            hint = _did_you_mean(str(value), self.sources)
            self.say(
                N_(
                    "%(where)s: unknown source '%(value)s'%(hint)s: use an id from "
                    "content/sources.yml"
                ),
                where=where,
                value=value,
                hint=hint,
            )
        return str(value)

    def date(self, value: Any, name: str) -> PartialDate | str | None:
        if value is None or value == TBA:
            return value
        parsed = parse_partial_date(value)
        if parsed is None:
            self.say(
                N_("%(name)s '%(value)s' must be YYYY-MM-DD, YYYY-MM, YYYY or %(tba)s"),
                name=name,
                value=value,
                tba=TBA,
            )
        return parsed

    def span(self, value: Any, name: str) -> Span | str | None:
        if value is None or value == TBA:
            return value
        if not isinstance(value, list) or len(value) != 2:
            self.say(
                N_("%(name)s must be [start, end], such as [2023-01, 2023-12], or %(tba)s"),
                name=name,
                tba=TBA,
            )
            return None
        start, end = self.date(value[0], name), self.date(value[1], name)
        if isinstance(start, tuple) and isinstance(end, tuple):
            if start[0] > end[0]:
                self.say(N_("%(name)s ends before it starts"), name=name)
            return start, end
        return None

    def periods(self, block: Any, where: str) -> Periods | None:
        if not isinstance(block, dict) or "source" not in block:
            self.say(
                N_("'%(where)s' must give source: and its dates (%(keys)s)"),
                where=where,
                keys=", ".join(SPANS + DATES),
            )
            return None
        for key in block:
            if key not in ("source",) + SPANS + DATES:
                hint = _did_you_mean(str(key), SPANS + DATES)
                self.say(
                    N_("unknown key '%(key)s' in '%(where)s'%(hint)s"),
                    key=key,
                    where=where,
                    hint=hint,
                )
        values = {name: self.span(block.get(name), name) for name in SPANS}
        values |= {name: self.date(block.get(name), name) for name in DATES}
        if not any(values.values()):
            self.say(
                N_("'%(where)s' gives no period: add planning_transition or ies_start"), where=where
            )
        return Periods(source=self.source(block["source"], where), **values)


def load_catchment_areas(
    root: Path, sources: dict[str, Source], problems: list[Problem]
) -> list[CatchmentArea]:
    """content/catchment-areas.yml, in the file's order (by phase, as the official table)."""
    data = DataFile(root, "catchment-areas.yml", problems)
    areas: list[CatchmentArea] = []
    seen: dict[tuple[str, str], int] = {}
    for _, item, line in data.items(list):
        name = item.get("id") if isinstance(item, dict) else None
        label = Phrase(N_("catchment area '%(name)s'"), name=name)
        if not isinstance(name, str) or not SLUG.match(name):
            data.say(
                line, N_("catchment area: 'id' must be lower-case letters, digits and hyphens")
            )
            continue
        parts = _bilingual(data, item, line, ("name", "slug", "ssm"), label)
        if parts is None:
            continue
        reader = _RecordReader(data, item, line, label, sources)
        phase = item.get("phase")
        if phase not in PHASES or phase == "all":
            choices = [p for p in PHASES if p != "all"]
            reader.say(
                N_("unknown phase '%(phase)s': use one of %(choices)s%(hint)s"),
                phase=phase,
                choices=", ".join(choices),
                hint=_did_you_mean(str(phase), choices),
            )
        table = reader.periods(item.get("table"), "table")
        finer = reader.periods(item["finer"], "finer") if "finer" in item else None
        published = parse_partial_date(item.get("as_published"))
        if published is None:
            reader.say(
                N_(
                    "as_published '%(value)s' must be the date the facts were published: "
                    "YYYY-MM-DD, YYYY-MM or YYYY"
                ),
                value=item.get("as_published"),
            )
        for lang in LANGS:
            slug = parts[lang]["slug"]
            if not SLUG.match(slug):
                reader.say(
                    N_("%(field)s '%(slug)s' must be lower-case letters, digits and hyphens"),
                    field=f"{lang}.slug",
                    slug=slug,
                )
            elif (lang, slug) in seen:
                reader.say(
                    N_("%(field)s '%(slug)s' is used by the record on line %(line)d"),
                    field=f"{lang}.slug",
                    slug=slug,
                    line=seen[lang, slug],
                )
            seen[lang, slug] = line
        if not reader.ok or table is None:
            continue
        areas.append(
            CatchmentArea(
                id=name,
                phase=phase,
                table=table,
                finer=finer,
                as_published=published,
                line=line,
                names={lang: parts[lang]["name"].strip() for lang in LANGS},
                slugs={lang: parts[lang]["slug"] for lang in LANGS},
                ssms={lang: parts[lang]["ssm"].strip() for lang in LANGS},
            )
        )
    return areas
