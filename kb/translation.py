"""Translation states by content: a file is stale when its counterpart changed since the last sync."""

from __future__ import annotations

import difflib
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from kb.fingerprint import KEY, SYNC_COMMAND, fingerprint
from kb.frontmatter import N_, Phrase, SourceError, decode, parse_yaml, split_front_matter
from kb.validate import Problem

if TYPE_CHECKING:
    from kb.content import Entry, Site

# Whole sentences per language of the counterpart: French agrees « le fichier anglais ».
CHANGED = {
    "en": N_(
        "the English file %(other)s changed since this one was last synced with it: update "
        "this file, then run '%(command)s'"
    ),
    "fr": N_(
        "the French file %(other)s changed since this one was last synced with it: update "
        "this file, then run '%(command)s'"
    ),
}
HISTORY_DEPTH = 50  # commits of the counterpart searched for the version last synced with
SHOWN_LINES = 40  # lines of a diff (or of the current text) quoted in a warning


def state(site: Site, entry: Entry) -> str:
    """'current', 'stale' (the counterpart changed since the last sync) or 'missing'."""
    other = site.translation(entry)
    if other is None:
        return "missing"
    if entry.synced is None and other.synced is None:
        # A pair never synced (written before fingerprints): judged by its dates until `kb sync`.
        return "stale" if entry.updated < other.updated else "current"
    return "current" if entry.synced == other.fingerprint else "stale"


def check(site: Site) -> list[Problem]:
    """A warning on each stale file, at its fingerprint line, saying what changed."""
    found = []
    for entry in site.entries.values():
        other = site.translation(entry)
        if other is None or state(site, entry) != "stale" or entry.synced == "invalid":
            continue  # a missing translation and a malformed line have their own messages
        if entry.synced is None and other.synced is None:
            found.append(_by_date(entry, other))
            continue
        line = entry.lines.get(KEY, entry.body_line - 2)
        command = f"{SYNC_COMMAND} {entry.id}"
        if entry.synced is None:
            message = Phrase(
                N_(
                    "no '%(key)s' line: kb cannot tell which version of %(other)s "
                    "this file translates; when both say the same thing, run "
                    "'%(command)s'"
                ),
                key=KEY,
                other=other.path,
                command=command,
            )
        else:
            message = Phrase(CHANGED[other.lang], other=other.path, command=command)
        detail = changes(site.root, entry, other) if entry.synced is not None else ""
        found.append(Problem(entry.path, line, message, "warning", detail))
    return found


def _by_date(entry: Entry, other: Entry) -> Problem:
    return Problem(
        entry.path,
        entry.lines.get("updated", 2),
        Phrase(
            N_(
                "%(other)s was updated on %(other_date)s, this translation on "
                "%(date)s: bring it up to date, then set '%(fix)s'"
            ),
            other=other.path,
            other_date=str(other.updated),
            date=str(entry.updated),
            fix=f"updated: {other.updated}",
        ),
        "warning",
    )


def changes(root: Path, entry: Entry, other: Entry) -> Phrase:
    """The counterpart's changed lines since entry's sync (from git), else its current text; a
    Phrase, whose heading a French page shows in French."""
    current = _without_key((root / other.path).read_text(encoding="utf-8-sig"))
    old = synced_version(root, other.path, entry.synced or "")
    if old is not None:
        commit, text = old
        diff = difflib.unified_diff(
            _without_key(text).splitlines(), current.splitlines(), lineterm="", n=1
        )
        # The --- and +++ lines are in the heading, whose words are the message's language.
        return _indent(
            list(diff)[2:],
            N_(
                "    changes since the last sync:\n    --- %(path)s (synced, %(commit)s)\n"
                "    +++ %(path)s (now)\n%(lines)s%(more)s"
            ),
            path=other.path,
            commit=commit[:10],
        )
    return _indent(
        current.splitlines(), N_("    no older version in git; its text now:\n%(lines)s%(more)s")
    )


def _indent(lines: list[str], heading: str, **values) -> Phrase:
    """The lines under their heading, indented below the message; past SHOWN_LINES, a count."""
    more = ""
    if len(lines) > SHOWN_LINES:
        more = Phrase(N_("\n    … %(count)d more lines"), count=len(lines) - SHOWN_LINES)
        lines = lines[:SHOWN_LINES]
    return Phrase(heading, lines="\n".join(f"    {line}" for line in lines), more=more, **values)


def _without_key(text: str) -> str:
    """The file without its fingerprint line, which changes at every sync and says nothing."""
    text = text.replace("\r\n", "\n")
    return "\n".join(line for line in text.split("\n") if not line.startswith(f"{KEY}:"))


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):  # no git on this machine
        return None
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else None


def synced_version(root: Path, path: str, wanted: str) -> tuple[str, str] | None:
    """(commit, text) of the latest committed version of path whose fingerprint is wanted."""
    log = _git(root, "log", f"-{HISTORY_DEPTH}", "--format=%H", "--", path)
    for commit in (log or "").split():
        text = _git(root, "show", f"{commit}:./{path}")
        if text is not None and file_fingerprint(text) == wanted:
            return commit, text
    return None


def file_fingerprint(text: str) -> str | None:
    """The fingerprint of an entry file's text, or None when it cannot be read as an entry."""
    try:
        source = split_front_matter(decode(text.encode("utf-8")))
        values, _ = parse_yaml(source.front_matter, source.front_matter_line)
    except SourceError:
        return None
    if not isinstance(values, dict):
        return None
    texts = [values.get(key) for key in ("title", "summary", "period")]
    if not all(isinstance(value, str | None) for value in texts):
        return None
    return fingerprint(texts[0] or "", texts[1], texts[2] or "", source.body)
