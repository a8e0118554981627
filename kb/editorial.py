"""Editorial checks across a loaded Site: stale translations, removed raw HTML, placeholder text.

Most are warnings: the site can be published, but an editor should look. Placeholder text in a
published entry is an error, since readers would see it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kb import translation
from kb.rawhtml import removed_html, unclosed_html, without_code
from kb.validate import N_, Phrase, Problem

if TYPE_CHECKING:
    from kb.content import Entry, Site

# What `kb new` writes where an editor still has to write; kept unmistakable so it is never
# mistaken for real text ("à faire" in lower case is ordinary French).
PLACEHOLDERS = {"en": "TODO:", "fr": "À FAIRE\u00a0:"}
PLACEHOLDER = re.compile(r"\bTODO\b|\bÀ FAIRE\b")
TOP_HEADING = re.compile(r"^ {0,3}# ")


def _placeholder_in(text: str) -> bool:
    """Whether text holds a placeholder word (the words looked for first, far quicker than the
    regex's search for a word boundary at every character)."""
    return ("TODO" in text or "À FAIRE" in text) and PLACEHOLDER.search(text) is not None


def check(site: Site) -> list[Problem]:
    """The editorial problems between the site's entries (see check_entry for the rest)."""
    return translation.check(site)  # by content fingerprints


def check_entry(entry: Entry) -> list[Problem]:
    """The editorial problems of one entry on its own."""
    return _placeholders(entry) + check_body(entry.path, entry.body, entry.body_line)


def check_body(path: str, body: str, body_line: int) -> list[Problem]:
    """The problems of an answer's text that need nothing of its front matter: also reported
    for a file whose front matter has errors, so that one fix does not reveal the next."""
    found = [
        Problem(path, line, message, "warning") for line, message in removed_html(body, body_line)
    ]
    found.extend(
        Problem(path, line, message)  # an error: the reader would lose text
        for line, message in unclosed_html(body, body_line)
    )
    found.extend(
        Problem(
            path,
            body_line + n,
            Phrase(
                N_(
                    "a '# ' heading is shown as plain text (the title is the page's only top heading): "
                    "start it with '## '"
                )
            ),
            "warning",
        )
        for n, line in enumerate(without_code(body).split("\n"))
        if TOP_HEADING.match(line)
    )
    return found


def _placeholders(entry: Entry) -> list[Problem]:
    """One problem per file listing the lines that still hold placeholder text."""
    texts = [
        (entry.lines.get(key, 2), getattr(entry, key) or "")
        for key in ("title", "period", "summary")
    ]
    # One search of the whole body first: a placeholder is a word, so it is in the body exactly
    # when it is on one of its lines (most bodies have none, and need no line by line search).
    if not _placeholder_in(entry.body) and not any(_placeholder_in(t) for _, t in texts):
        return []
    texts += [(entry.body_line + n, line) for n, line in enumerate(entry.body.split("\n"))]
    lines = sorted({line for line, text in texts if _placeholder_in(text)})
    if not lines:
        return []
    # 'line 4' or 'lines 4, 9': a phrase of its own, so French says « ligne » or « lignes ».
    where = (
        Phrase(N_("lines %(lines)s"), lines=", ".join(map(str, lines)))
        if len(lines) > 1
        else Phrase(N_("line %(line)d"), line=lines[0])
    )
    marker = PLACEHOLDERS[entry.lang]
    if entry.draft:
        return [
            Problem(
                entry.path,
                lines[0],
                Phrase(
                    N_(
                        "draft still holds placeholder text '%(marker)s' (%(where)s): replace it before "
                        "publishing"
                    ),
                    marker=marker,
                    where=where,
                ),
                "warning",
            )
        ]
    return [
        Problem(
            entry.path,
            lines[0],
            Phrase(
                N_(
                    "placeholder text '%(marker)s' in a published entry (%(where)s): replace it, or set "
                    "'%(fix)s'"
                ),
                marker=marker,
                where=where,
                fix="status: draft",
            ),
        )
    ]
