"""Links and images in entry bodies, checked after rendering: nothing is dropped without a word.

Images and attachments must exist in content/media/ (and images need alt text); unsafe schemes,
links to .md files or other paths, and anchors to headings that do not exist are reported at
their line.
"""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING

from kb import media
from kb.markdown import SAFE_SCHEMES
from kb.memo import per_text
from kb.rawhtml import without_code
from kb.validate import N_, Problem, problem

if TYPE_CHECKING:
    from kb.content import Entry, Site

LINK = re.compile(r"(!?)\[([^\]]*)\]\(\s*(<[^>]*>|[^)\s]*)([^)]*)\)")
SPACED_ENTRY = re.compile(r"\]\(\s*entry:\s+([a-z0-9-]+)")
SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
HTML_ID = re.compile(r'\bid="([^"]+)"')


def check(site: Site) -> list[Problem]:
    """Every problem of the links and images of every entry of site."""
    anchors = {key: _anchors(entry.html) for key, entry in site.entries.items()}
    by_file = {entry.path.rsplit("/", 1)[-1]: entry for entry in site.entries.values()}
    found: list[Problem] = []
    for entry in site.entries.values():
        found.extend(_check_entry(site, entry, anchors, by_file))
    return found


@per_text
def _anchors(html: str) -> frozenset[str]:
    return frozenset(HTML_ID.findall(html))


@per_text
def _written(body: str) -> tuple[tuple[int, tuple, tuple], ...]:
    """(line offset, spaced 'entry: id' matches, links) of each line of body that has any:
    the regex work of a body, done once per body."""
    found = []
    for offset, text in enumerate(without_code(body).split("\n")):
        spaced = tuple((match.group(0), match.group(1)) for match in SPACED_ENTRY.finditer(text))
        written = tuple(
            (match.group(1), match.group(2), match.group(3).strip("<>"))
            for match in LINK.finditer(text)
        )
        if spaced or written:
            found.append((offset, spaced, written))
    return tuple(found)


def _check_entry(site: Site, entry: Entry, anchors, by_file) -> list[Problem]:
    found: list[Problem] = []
    for offset, spaced, written in _written(entry.body):
        line = entry.body_line + offset
        for whole, linked_id in spaced:
            found.append(
                problem(
                    entry.path,
                    line,
                    N_("'%(written)s' has a space after 'entry:': write '(entry:%(id)s)'"),
                    written=whole[2:].strip(),
                    id=linked_id,
                )
            )
        for image, alt, target in written:
            say = _Say(found, entry.path, line)
            if image:
                _image(site, entry, target, alt, say)
            else:
                _link(site, entry, target, anchors, by_file, say)
    return found


class _Say:
    def __init__(self, found: list[Problem], path: str, line: int):
        self.found, self.path, self.line = found, path, line

    def __call__(self, msgid: str, level: str = "error", **params) -> None:
        self.found.append(problem(self.path, self.line, msgid, level, **params))


def _media_file(site: Site, entry: Entry, target: str, say: _Say) -> str | None:
    """The media name of target, checked to exist and to be of a bounded size."""
    content = site.root / "content"
    name = media.media_name(content, entry.path, target)
    if name is None:
        return None
    file = content / media.FOLDER / name
    if not file.is_file():
        say(
            N_(
                "'%(target)s' does not exist: put the file in content/media/ and link it by its "
                "path from this file, as in '../../media/%(name)s'"
            ),
            target=target,
            name=name.rsplit("/", 1)[-1],
        )
        return None
    size = file.stat().st_size
    if size > media.MAX_BYTES:
        say(
            N_("'%(target)s' is %(mb).1f MB, over the limit of 5 MB: make it smaller"),
            target=target,
            mb=size / 1e6,
        )
        return None
    if size > media.WARN_BYTES:
        say(
            N_(
                "'%(target)s' is %(kb)d KB: readers on a phone wait for it; keep files under 500 KB"
            ),
            "warning",
            target=target,
            kb=size // 1000,
        )
    site.media[name] = size
    return name


def _image(site: Site, entry: Entry, target: str, alt: str, say: _Say) -> None:
    name = _media_file(site, entry, target, say)
    if name is None:
        if media.media_name(site.root / "content", entry.path, target) is None:
            say(
                N_(
                    "image '%(target)s' is not in content/media/: put the file there and link it "
                    "by its path from this file, as in '![alt text](../../media/name.png)'"
                ),
                target=target,
            )
        return
    if not alt.strip():
        say(
            N_(
                "image '%(target)s' has no alt text: describe it between the brackets, "
                "'![what it shows](%(target)s)', or write '![decorative](%(target)s)' if it "
                "adds nothing to the text"
            ),
            target=target,
        )
    if not name.lower().endswith(media.IMAGE_SUFFIXES):
        say(
            N_(
                "'%(target)s' is not an image kb can show (PNG, JPEG, GIF, WebP or SVG): "
                "link it with '[text](%(target)s)' instead"
            ),
            target=target,
        )
    elif media.dimensions(site.root / "content" / media.FOLDER / name) is None:
        say(
            N_("image '%(target)s' cannot be read: save it again as PNG, JPEG, GIF, WebP or SVG"),
            target=target,
        )


def _link(site: Site, entry: Entry, target: str, anchors, by_file, say: _Say) -> None:
    if target.startswith("entry:"):
        linked_id, _, anchor = target[len("entry:") :].partition("#")
        linked = site.get(entry.lang, linked_id)
        if anchor and linked is not None:
            _anchor(anchors[linked.lang, linked.id], anchor, f"entry:{linked_id}", say)
        return
    if target.startswith("catchment:"):
        _catchment(site, target[len("catchment:") :], say)
        return
    if target.startswith("#"):
        _anchor(anchors[entry.lang, entry.id], target[1:], "", say)
        return
    scheme = SCHEME.match(target)
    if scheme:
        if scheme.group(1).lower() not in SAFE_SCHEMES:
            say(
                N_(
                    "link '%(scheme)s:' is removed from the published page (its text stays, "
                    "without a link): use an http, https, mailto or tel link"
                ),
                "warning",
                scheme=scheme.group(1),
            )
        return
    if not target or _media_file(site, entry, target, say) is not None:
        return
    if media.media_name(site.root / "content", entry.path, target) is not None:
        return  # a missing media file: reported above
    file = target.split("#")[0].rsplit("/", 1)[-1]
    if file.endswith(".md"):
        linked = by_file.get(file)
        if linked is not None:
            say(
                N_(
                    "link to '%(target)s' would be broken on the published site: link entries by "
                    "id, '(entry:%(id)s)'"
                ),
                target=target,
                id=linked.id,
            )
        else:
            say(
                N_(
                    "link to '%(target)s' would be broken on the published site: link entries by "
                    "id, '(entry:ID)'"
                ),
                target=target,
            )
        return
    say(
        N_(
            "link to '%(target)s' is not a page of the site: link an entry with '(entry:ID)', a "
            "file of content/media/ by its path, or a web page with https://"
        ),
        target=target,
    )


def _catchment(site: Site, target: str, say: _Say) -> None:
    """`catchment:ID` is an area's page; `catchment:#PHASE` is the list of areas at a phase."""
    area_id, _, anchor = target.partition("#")
    ids = [area.id for area in site.catchment_areas]
    if area_id and area_id not in ids:
        close = difflib.get_close_matches(area_id, ids, n=1)
        hint = f"'{close[0]}'" if close else ", ".join(ids)
        say(
            N_(
                "link to 'catchment:%(id)s': no catchment area has this id in "
                "content/catchment-areas.yml (did you mean %(hint)s?)"
            ),
            id=area_id,
            hint=hint,
        )
    elif not area_id and anchor:
        _anchor(set(site_phases(site)), anchor, "catchment:", say)


def site_phases(site: Site) -> list[str]:
    """The phases the list of catchment areas has a heading (an anchor) for."""
    return sorted({area.phase for area in site.catchment_areas})


def _anchor(ids: set[str], anchor: str, where: str, say: _Say) -> None:
    if anchor in ids:
        return
    close = difflib.get_close_matches(anchor, sorted(ids), n=1)
    if close:
        say(
            N_(
                "link to '%(where)s#%(anchor)s': no heading has this anchor (did you mean "
                "'#%(close)s'?)"
            ),
            where=where,
            anchor=anchor,
            close=close[0],
        )
    else:
        say(
            N_(
                "link to '%(where)s#%(anchor)s': no heading has this anchor; an anchor is the "
                "heading's text in lower case with hyphens, such as '#who-holds-the-contract'"
            ),
            where=where,
            anchor=anchor,
        )
