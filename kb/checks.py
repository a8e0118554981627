"""The rules that look at several entries at once: one entry per id and URL, both languages,
links and data files that point to entries that exist."""

from __future__ import annotations

import difflib
import functools
from typing import TYPE_CHECKING

from kb import memo
from kb.taxonomy import LANGS, OTHER_LANG
from kb.validate import N_, Problem, problem

if TYPE_CHECKING:
    from kb.content import Entry, Site


def add(site: Site, entry: Entry) -> None:
    """Add a read entry to the Site, unless another has its id or its URL (reported)."""
    # Two dictionary look-ups, not a scan of every entry read so far (that made loading O(N²)).
    same_id = site.entries.get((entry.lang, entry.id))
    same_slug = site._slugs.get((entry.lang, entry.slug))
    if same_id and same_slug and same_slug is not same_id:
        # Both clash: report the entry read first, as a scan in reading order would.
        order = list(site.entries.values())
        if order.index(same_slug) < order.index(same_id):
            same_id = None
    if same_id:
        site.problems.append(
            problem(
                entry.path,
                2,
                N_("duplicate id '%(id)s': %(other)s has it too"),
                id=entry.id,
                other=same_id.path,
            )
        )
        return
    if same_slug:
        site.problems.append(
            problem(
                entry.path,
                1,
                N_("duplicate file name '%(slug)s.md': %(other)s has the same URL"),
                slug=entry.slug,
                other=same_slug.path,
            )
        )
        return
    site.entries[(entry.lang, entry.id)] = entry
    site._slugs[(entry.lang, entry.slug)] = entry


_translations = memo.per_key()
_references = memo.per_key()


def check_translations(site: Site, unread: set[tuple[str, str]], shape: int) -> None:
    """Every entry exists in both languages with the same phase, audiences and topics.

    shape: kb.loader's number for what this looks at: the findings are reused while it holds.
    """
    site.problems.extend(_translations(shape, lambda: _translation_problems(site, unread)))


def _translation_problems(site: Site, unread: set[tuple[str, str]]) -> tuple:
    found: list[Problem] = []
    paired = _mismatched_ids(site, unread, found)
    for entry in list(site.entries.values()):
        other = site.translation(entry)
        if (other is None and (OTHER_LANG[entry.lang], entry.id) in unread) or entry.path in paired:
            continue
        if other is None:
            msgid = (
                N_(
                    "entry '%(id)s' has no French translation: add a file under "
                    "content/%(other)s/ with '%(line)s'"
                )
                if entry.lang == "en"
                else N_(
                    "entry '%(id)s' has no English translation: add a file under "
                    "content/%(other)s/ with '%(line)s'"
                )
            )
            found.append(
                problem(
                    entry.path,
                    2,
                    msgid,
                    id=entry.id,
                    other=OTHER_LANG[entry.lang],
                    line=f"id: {entry.id}",
                )
            )
            continue
        if entry.lang != "en":
            continue
        for name in ("phase", "audiences", "topics", "status"):
            if set(_as_tuple(getattr(entry, name))) != set(_as_tuple(getattr(other, name))):
                found.append(
                    problem(
                        other.path,
                        other.lines.get(name, 2),  # the key's own line (each is required)
                        N_(
                            "%(name)s differs from the English entry %(path)s: "
                            "%(here)s vs %(there)s; give both files the same %(name)s"
                        ),
                        name=name,
                        path=entry.path,
                        here=_as_written(getattr(other, name)),
                        there=_as_written(getattr(entry, name)),
                    )
                )
    return tuple(found)


def _as_written(value) -> str:
    """A front matter value as an editor writes it: phase-2, or [ssms, service-providers]."""
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value)


def _mismatched_ids(site: Site, unread: set[tuple[str, str]], found: list[Problem]) -> set[str]:
    """One problem for each pair whose two files give different ids; the paths reported.

    An English and a French file without a counterpart are a pair when their ids are close, or
    when they are the only ones without a counterpart in their phase.
    """
    alone = {
        lang: [
            e
            for e in site.entries.values()
            if e.lang == lang
            and site.translation(e) is None
            and (OTHER_LANG[lang], e.id) not in unread
        ]
        for lang in LANGS
    }
    reported: set[str] = set()
    for en in alone["en"]:
        candidates = [fr for fr in alone["fr"] if fr.path not in reported]
        close = difflib.get_close_matches(en.id, [fr.id for fr in candidates], n=1, cutoff=0.6)
        same_phase = [fr for fr in candidates if fr.phase == en.phase]
        lonely = [e for e in alone["en"] if e.phase == en.phase]
        fr = next((f for f in candidates if close and f.id == close[0]), None) or (
            same_phase[0] if len(same_phase) == 1 and len(lonely) == 1 else None
        )
        if fr is None:
            continue
        reported |= {en.path, fr.path}
        msgid = (
            N_(
                "id '%(fr_id)s' differs from the id '%(en_id)s' of the English file "
                "%(en_path)s (did you mean '%(en_id)s'?): both files of a pair need the same "
                "id"
            )
            if close
            else N_(
                "id '%(fr_id)s' differs from the id '%(en_id)s' of the English file "
                "%(en_path)s: both files of a pair need the same id"
            )
        )
        found.append(
            problem(
                fr.path, fr.lines.get("id", 2), msgid, fr_id=fr.id, en_id=en.id, en_path=en.path
            )
        )
    return reported


def _as_tuple(value) -> tuple:
    return value if isinstance(value, tuple) else (value,)


def check_references(site: Site, unread: set[tuple[str, str]], shape: int) -> None:
    """Links between entries, and the entries that data files point to, must exist.

    shape: kb.loader's number for the entries and data files: an entry's findings are reused
    while its body and that number stay the same.
    """
    for entry in site.entries.values():
        key = (shape, entry.lang, entry.path, entry.draft, entry.body, entry.body_line)
        site.problems.extend(_references(key, functools.partial(_links_of, site, entry, unread)))
    _data_references(site, unread)


def _links_of(site: Site, entry: Entry, unread: set[tuple[str, str]]) -> tuple:
    """The problems of the links of entry to other entries."""
    found: list[Problem] = []
    for line, target in memo.entry_links(entry.body, entry.body_line):
        linked = site.get(entry.lang, target)
        if linked is None and (entry.lang, target) in unread:
            continue
        if linked is None and not target:
            continue  # 'entry: id', with a space: kb.links says so
        if linked is None:
            close = difflib.get_close_matches(
                target, [i for lang, i in site.entries if lang == entry.lang], n=1
            )
            found.append(
                problem(
                    entry.path,
                    line,
                    N_(
                        "link to a missing entry 'entry:%(target)s': no entry has this id (did "
                        "you mean 'entry:%(close)s'?)"
                    )
                    if close
                    else N_(
                        "link to a missing entry 'entry:%(target)s': no entry has this id: "
                        "correct it (kb status lists every id) or remove the link"
                    ),
                    target=target,
                    close=close[0] if close else "",
                )
            )
        elif linked.draft and not entry.draft:
            found.append(
                problem(
                    entry.path,
                    line,
                    N_("link to draft entry '%(target)s', which is not published"),
                    target=target,
                )
            )
    return tuple(found)


def _data_references(site: Site, unread: set[tuple[str, str]]) -> None:
    ids = {id for _, id in site.entries} | {id for _, id in unread}
    for item in site.glossary:
        if item.entry and item.entry not in ids:
            site.problems.append(
                problem(
                    "content/glossary.yml",
                    item.line,
                    N_("glossary item '%(item)s' points to a missing entry '%(entry)s'"),
                    item=item.id,
                    entry=item.entry,
                )
            )
    areas = {area.id for area in site.catchment_areas}
    for event in site.timeline:
        if event.catchment is not None:
            if event.catchment not in areas:
                site.problems.append(
                    problem(
                        "content/timeline.yml",
                        event.line,
                        N_(
                            "timeline event points to a missing catchment area '%(area)s': use an id from "
                            "content/catchment-areas.yml"
                        ),
                        area=event.catchment,
                    )
                )
        elif event.entry not in ids:
            site.problems.append(
                problem(
                    "content/timeline.yml",
                    event.line,
                    N_("timeline event points to a missing entry '%(entry)s'"),
                    entry=event.entry,
                )
            )
