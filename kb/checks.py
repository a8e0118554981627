"""The rules that look at several entries at once: one entry per id and URL, both languages,
links and data files that point to entries that exist."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kb.markdown import entry_links
from kb.taxonomy import OTHER_LANG
from kb.validate import Problem

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
        site.problems.append(Problem(entry.path, 2, f"duplicate id '{entry.id}': "
                                                     f"{same_id.path} has it too"))
        return
    if same_slug:
        site.problems.append(Problem(entry.path, 1, f"duplicate file name '{entry.slug}.md': "
                                                     f"{same_slug.path} has the same URL"))
        return
    site.entries[(entry.lang, entry.id)] = entry
    site._slugs[(entry.lang, entry.slug)] = entry


def check_translations(site: Site, unread: set[tuple[str, str]]) -> None:
    """Every entry exists in both languages with the same phase, audiences and topics."""
    for entry in list(site.entries.values()):
        other = site.translation(entry)
        if other is None and (OTHER_LANG[entry.lang], entry.id) in unread:
            continue
        if other is None:
            missing = "French" if entry.lang == "en" else "English"
            site.problems.append(Problem(
                entry.path, 2, f"entry '{entry.id}' has no {missing} translation: add a file under "
                               f"content/{OTHER_LANG[entry.lang]}/ with 'id: {entry.id}'"))
            continue
        if entry.lang != "en":
            continue
        for name in ("phase", "audiences", "topics", "status"):
            if set(_as_tuple(getattr(entry, name))) != set(_as_tuple(getattr(other, name))):
                site.problems.append(Problem(
                    other.path, 2, f"{name} differs from the English entry {entry.path}: "
                                   f"{getattr(other, name)} vs {getattr(entry, name)}"))


def _as_tuple(value) -> tuple:
    return value if isinstance(value, tuple) else (value,)


def check_references(site: Site, unread: set[tuple[str, str]]) -> None:
    """Links between entries, and the entries that data files point to, must exist."""
    for entry in site.entries.values():
        for line, target in entry_links(entry.body, entry.body_line):
            linked = site.get(entry.lang, target)
            if linked is None and (entry.lang, target) in unread:
                continue
            if linked is None:
                site.problems.append(Problem(entry.path, line, f"link to a missing entry "
                                                               f"'entry:{target}': no entry has this id"))
            elif linked.draft and not entry.draft:
                site.problems.append(Problem(entry.path, line, f"link to draft entry '{target}', "
                                                               "which is not published"))
    ids = {id for _, id in site.entries} | {id for _, id in unread}
    for item in site.glossary:
        if item.entry and item.entry not in ids:
            site.problems.append(Problem("content/glossary.yml", item.line,
                                         f"glossary item '{item.id}' points to a missing entry "
                                         f"'{item.entry}'"))
    areas = {area.id for area in site.catchment_areas}
    for event in site.timeline:
        if event.catchment is not None:
            if event.catchment not in areas:
                site.problems.append(Problem(
                    "content/timeline.yml", event.line, f"timeline event points to a missing "
                    f"catchment area '{event.catchment}': use an id from content/catchment-areas.yml"))
        elif event.entry not in ids:
            site.problems.append(Problem("content/timeline.yml", event.line,
                                         f"timeline event points to a missing entry '{event.entry}'"))


