"""New entries: an English and a French draft of one id, with valid front matter and marked
placeholders where the editor still has to write."""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kb.content import Site
from kb.editorial import PLACEHOLDERS
from kb.fingerprint import KEY, fingerprint
from kb.frontmatter import N_, Phrase, SourceError, one_line, parse_yaml
from kb.search.analysis import LIGATURES
from kb.taxonomy import LANGS
from kb.validate import SLUG, _did_you_mean

# How the prompt and the refusal both describe an id (and a file name): the same words.
ID_RULE = N_("lower-case letters a to z, digits and hyphens, such as transition-period")
PERIOD = {
    "en": f"{PLACEHOLDERS['en']} the period the answer describes, such as February 2023 to "
    "April 2023",
    "fr": f"{PLACEHOLDERS['fr']} la période visée par la réponse, par exemple de février à "
    "avril 2023",
}
STATUS_NOTE = {  # the draft's status line, in the language of the file the editor reads
    "en": "set to published in both languages when the answer is ready",
    "fr": "indiquez 'published' dans les deux langues lorsque la réponse est prête",
}
BODY = {
    "en": f"{PLACEHOLDERS['en']} write the answer.",
    "fr": f"{PLACEHOLDERS['fr']} rédiger la réponse.",
}


@dataclass(frozen=True)
class NewEntry:
    """What an editor chose for a new entry; titles and slugs per language."""

    id: str
    phase: str
    audiences: tuple[str, ...]
    topics: tuple[str, ...]
    titles: dict[str, str]
    slugs: dict[str, str]

    def path(self, lang: str) -> str:
        return f"content/{lang}/{self.phase}/{self.slugs[lang]}.md"


def slugify(text: str, limit: int = 60) -> str:
    """'Qu'est-ce que la période?' → 'qu-est-ce-que-la-periode' (accents folded)."""
    # Apostrophes and dashes separate words (qu'est-ce → qu-est-ce); accents fold away.
    spaced = re.sub(r"[\W_]+", " ", text.translate(LIGATURES))
    folded = unicodedata.normalize("NFKD", spaced).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    if len(slug) > limit:
        cut = slug[: limit + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut[:limit]
        # Nor on an elided word (l', d', qu'…) whose noun was cut off: "…-de-l" reads as a typo.
        slug = re.sub(r"(?:-(?:[a-z]|qu))+$", "", slug)
    return slug


def one_of(kind: str, value: str, allowed: Iterable[str]) -> str:
    """value if allowed, else a ValueError that lists the choices and the closest one."""
    allowed = list(allowed)
    if value in allowed:
        return value
    if not value:
        raise ValueError(
            Phrase(N_("give a %(kind)s: %(allowed)s"), kind=kind, allowed=", ".join(allowed))
        )
    hint = _did_you_mean(value, allowed)
    raise ValueError(
        Phrase(
            N_("unknown %(kind)s '%(value)s'%(hint)s: use %(allowed)s"),
            kind=kind,
            value=value,
            hint=hint,
            allowed=", ".join(allowed) or Phrase(N_("none defined")),
        )
    )


def some_of(kind: str, text: str, allowed: Iterable[str]) -> tuple[str, ...]:
    """Comma-separated values, each allowed, at least one, no repeats."""
    allowed = list(allowed)
    values = [one_of(kind, value, allowed) for value in re.split(r"[,\s]+", text) if value]
    if not values:
        raise ValueError(
            Phrase(
                N_("give at least one %(kind)s: %(allowed)s"), kind=kind, allowed=", ".join(allowed)
            )
        )
    return tuple(dict.fromkeys(values))


def new_id(value: str, site: Site) -> str:
    value = value.strip()
    if not value:
        raise ValueError(Phrase(N_("give an id: %(rule)s"), rule=Phrase(ID_RULE)))
    if not SLUG.match(value):
        raise ValueError(
            Phrase(
                N_("id '%(value)s' may contain only %(rule)s%(hint)s"),
                value=value,
                rule=Phrase(ID_RULE),
                hint=_try(value),
            )
        )
    taken = [entry.path for (_, id), entry in site.entries.items() if id == value]
    if taken:
        raise ValueError(
            Phrase(
                N_("id '%(value)s' is already used by %(path)s: choose another id"),
                value=value,
                path=taken[0],
            )
        )
    return value


def title(value: str) -> str:
    value = one_line(value)
    if not value:
        raise ValueError(Phrase(N_("the title cannot be empty")))
    return value


def new_slug(value: str, root: Path, lang: str) -> str:
    """A valid file name that no file of this language has yet, in any phase folder."""
    value = value.strip().removesuffix(".md")
    if not value:
        raise ValueError(Phrase(N_("give a file name: %(rule)s"), rule=Phrase(ID_RULE)))
    if not SLUG.match(value):
        raise ValueError(
            Phrase(
                N_("file name '%(value)s' may contain only %(rule)s%(hint)s"),
                value=value,
                rule=Phrase(ID_RULE),
                hint=_try(value),
            )
        )
    existing = sorted((root / "content" / lang).rglob(f"{value}.md"))
    if existing:
        raise ValueError(
            Phrase(
                N_("%(path)s already has this name: choose another file name"),
                path=existing[0].relative_to(root).as_posix(),
            )
        )
    return value


def _try(value: str) -> str:
    """': try 'transition-period'' when the value can be made into a valid name, else ''."""
    suggestion = slugify(value)
    return Phrase(N_(": try '%(suggestion)s'"), suggestion=suggestion) if suggestion else ""


def _scalar(text: str) -> str:
    """text as a YAML value: plain when it reads back unchanged, else double-quoted."""
    try:
        value, _ = parse_yaml(f"v: {text}")
    except SourceError:
        value = None
    if isinstance(value, dict) and value.get("v") == text:
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML quoted string


def render(entry: NewEntry, lang: str, today: dt.date) -> str:
    """The Markdown file of one language: front matter, then the placeholder answer."""
    return (
        "---\n"
        f"id: {entry.id}\n"
        f"title: {_scalar(entry.titles[lang])}\n"
        f"phase: {entry.phase}\n"
        f"audiences: [{', '.join(entry.audiences)}]\n"
        f"topics: [{', '.join(entry.topics)}]\n"
        f"updated: {today.isoformat()}\n"
        f"status: draft  # {STATUS_NOTE[lang]}\n"
        f"period: {_scalar(PERIOD[lang])}\n"
        f"{KEY}: {_scalar(counterpart_fingerprint(entry, lang))}\n"
        "---\n"
        f"{BODY[lang]}\n"
    )


def counterpart_fingerprint(entry: NewEntry, lang: str) -> str:
    """The fingerprint of the other language's new file: the pair starts in line."""
    other = LANGS[1 - LANGS.index(lang)]
    return fingerprint(entry.titles[other], None, PERIOD[other], BODY[other])


def write(root: Path, entry: NewEntry, today: dt.date) -> list[Path]:
    """Create both files; never overwrite, and leave nothing behind if either cannot be made."""
    paths = [root / entry.path(lang) for lang in LANGS]
    for lang, path in zip(LANGS, paths):
        if path.exists():
            raise FileExistsError(
                Phrase(N_("%(path)s already exists: nothing written"), path=entry.path(lang))
            )
    written: list[Path] = []
    try:
        for lang, path in zip(LANGS, paths):
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("x", encoding="utf-8", newline="\n") as file:
                written.append(path)
                file.write(render(entry, lang, today))
    except OSError:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return paths
