"""`kb status`: every entry file with its status, translation state and problem counts."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from kb import translation
from kb.content import Site
from kb.frontmatter import N_
from kb.taxonomy import LANGS, OTHER_LANG
from kb.terminal import command_lang, gettext, ngettext

_STATUS_LINE = re.compile(r"^status:[ \t]*[\"']?(published|review|draft)\b", re.MULTILINE)
_ID_LINE = re.compile(r"^id:[ \t]*[\"']?([a-z0-9-]+)", re.MULTILINE)


def rows(site: Site) -> list[dict[str, Any]]:
    """One row per entry file, unreadable files too, sorted by path."""
    counts: Counter = Counter((p.path, p.level) for p in site.problems)
    by_path = {entry.path: entry for entry in site.entries.values()}
    found = []
    for lang in LANGS:
        for file in sorted((site.root / "content" / lang).rglob("*.md")):
            path = file.relative_to(site.root).as_posix()
            entry = by_path.get(path)
            if entry is not None:
                id, status, state = entry.id, entry.status, translation.state(site, entry)
            else:  # a file with errors: what its lines say, and never 'current'
                head = (
                    file.read_text(encoding="utf-8", errors="replace")[:4096]
                    if file.is_file()
                    else ""
                )
                id_match, status_match = _ID_LINE.search(head), _STATUS_LINE.search(head)
                id = id_match.group(1) if id_match else None
                status = status_match.group(1) if status_match else "draft"
                state = "stale" if id and site.get(OTHER_LANG[lang], id) else "missing"
            found.append(
                {
                    "id": id,
                    "lang": lang,
                    "path": path,
                    "status": status,
                    "translation": state,
                    "errors": counts[path, "error"],
                    "warnings": counts[path, "warning"],
                }
            )
    return sorted(found, key=lambda row: row["path"])


def needs_work(row: dict[str, Any]) -> bool:
    return (
        bool(row["errors"] or row["warnings"])
        or row["translation"] != "current"
        or (row["status"] != "published")
    )


# The words of the editors' workspace for each status and translation state (kb.editor).
WORDS = {
    "published": N_("published"),
    "review": N_("awaiting review"),
    "draft": N_("draft"),
    "current": N_("current"),
    "stale": N_("needs updating"),
    "missing": N_("missing"),
}


def word(value: str) -> str:
    """A status or translation state in the command's language: in English, the value itself,
    as files and scripts write it; in French, the workspace's word (« à jour »)."""
    return value if command_lang() == "en" or value not in WORDS else gettext(WORDS[value])


def text(found: list[dict[str, Any]]) -> str:
    """Plain report: what needs work first (errors, translations, review, drafts), then the rest."""

    def urgency(row: dict[str, Any]) -> tuple:
        return (
            not row["errors"],
            row["translation"] == "current",
            ("review", "draft", "published").index(row["status"]),
            not row["warnings"],
            row["path"],
        )

    width = max((len(row["path"]) for row in found), default=4)
    ids = max((len(row["id"] or "?") for row in found), default=2)
    statuses = max((len(word(row["status"])) for row in found), default=9)
    states = max((len(word(row["translation"])) for row in found), default=7)
    lines = []
    work, done = [r for r in found if needs_work(r)], [r for r in found if not needs_work(r)]
    titles = (
        ngettext("Needs work (%(num)d file):", "Needs work (%(num)d files):", len(work)),
        ngettext(
            "Published and current (%(num)d file):",
            "Published and current (%(num)d files):",
            len(done),
        ),
    )
    for title, group in zip(titles, (work, done)):
        lines.append(title)
        for row in sorted(group, key=urgency):
            lines.append(
                f"  {row['path']:<{width}}  {row['id'] or '?':<{ids}}  {row['lang']}  "
                f"{word(row['status']):<{statuses}}  {word(row['translation']):<{states}}  "
                + ngettext("%(num)d error", "%(num)d errors", row["errors"])
                + ", "
                + ngettext("%(num)d warning", "%(num)d warnings", row["warnings"])
            )
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
