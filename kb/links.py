"""Links and images in entry bodies, checked after rendering: nothing is dropped without a word.

Images and attachments must exist in content/media/ (and images need alt text); unsafe schemes,
links to .md files or other paths, and anchors to headings that do not exist are reported at
their line.
"""

from __future__ import annotations

import difflib
import functools
import re
from typing import TYPE_CHECKING

from kb import media, memo
from kb.amount import Amount
from kb.markdown import SAFE_SCHEMES
from kb.memo import per_text
from kb.rawhtml import without_code
from kb.sourcefile import leads_out
from kb.validate import N_, Problem, problem
from kb.watching import file_version

if TYPE_CHECKING:
    from kb.content import Entry, Site

LINK = re.compile(r"(!?)\[([^\]]*)\]\(\s*(<[^>]*>|[^)\s]*)([^)]*)\)")
SPACED_ENTRY = re.compile(r"\]\(\s*entry:\s+([a-z0-9-]+)")
SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
HTML_ID = re.compile(r'\bid="([^"]+)"')
MAX_ANCHORS_SHOWN = 8  # a link to a missing anchor lists the page's, up to this many


_checked = memo.per_key()


def check(site: Site, shape: int) -> list[Problem]:
    """Every problem of the links and images of every entry of site.

    shape: kb.loader's number for the entries and data files: an entry's findings are reused
    while its body, its page, the pages it links to, the media files and that number stay the
    same.
    """
    anchors = _Anchors(site)
    by_file = _ByFile(site)
    media_files = memo.version(
        (site.root, "media"), media.stamp(site.root / "content" / media.FOLDER)
    )
    found: list[Problem] = []
    for entry in site.entries.values():
        targets = tuple(
            linked.html if (linked := site.get(entry.lang, target)) else None
            for target in _entry_targets(entry.body)
        )
        key = (shape, media_files, entry.lang, entry.id, entry.path, entry.body, entry.body_line)
        problems, used = _checked(
            (*key, entry.html, targets),
            functools.partial(_check_entry, site, entry, anchors, by_file),
        )
        found.extend(problems)
        site.media.update(used)
    return found


class _Anchors:
    """The anchors of each entry's page, by (lang, id): looked up only for the entries checked."""

    def __init__(self, site: Site):
        self.site = site

    def __getitem__(self, key: tuple[str, str]) -> dict[str, None]:
        return _anchors(self.site.entries[key].html)


class _ByFile:
    """The entries by file name, made on the first look-up."""

    def __init__(self, site: Site):
        self.site = site

    @functools.cached_property
    def names(self) -> dict[str, Entry]:
        return {entry.path.rsplit("/", 1)[-1]: entry for entry in self.site.entries.values()}

    def get(self, name: str) -> Entry | None:
        return self.names.get(name)


@per_text
def _entry_targets(body: str) -> tuple[str, ...]:
    """The ids of the entries that the links of body point to (whose anchors it may use)."""
    return tuple(
        sorted(
            {
                target[len("entry:") :].partition("#")[0]
                for _, _, written in _written(body)
                for _, _, target in written
                if target.startswith("entry:")
            }
        )
    )


@per_text
def _anchors(html: str) -> dict[str, None]:
    """The ids of a page, in its order (a message lists them as a reader meets them)."""
    return dict.fromkeys(HTML_ID.findall(html))


@per_text
def _written(body: str) -> tuple[tuple[int, tuple, tuple], ...]:
    """(line offset, spaced 'entry: id' matches, links) of each line of body that has any:
    the regex work of a body, done once per body."""
    found = []
    if "](" not in body:
        return ()  # both patterns need it
    for offset, text in enumerate(without_code(body).split("\n")):
        if "](" not in text:
            continue  # most lines of a body
        spaced = tuple((match.group(0), match.group(1)) for match in SPACED_ENTRY.finditer(text))
        written = tuple(
            (match.group(1), match.group(2), match.group(3).strip("<>"))
            for match in LINK.finditer(text)
        )
        if spaced or written:
            found.append((offset, spaced, written))
    return tuple(found)


def _check_entry(site: Site, entry: Entry, anchors, by_file) -> tuple[tuple, tuple]:
    """(the problems of entry's links and images, (name, bytes) of the media files it uses)."""
    found: list[Problem] = []
    used: dict[str, int] = {}
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
            say = _Say(found, entry.path, line, used)
            if image:
                _image(site, entry, target, alt, say)
            else:
                _link(site, entry, target, anchors, by_file, say)
    return tuple(found), tuple(used.items())


class _Say:
    def __init__(self, found: list[Problem], path: str, line: int, used: dict[str, int]):
        self.found, self.path, self.line = found, path, line
        self.used = used  # the media files linked: name → bytes

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
    real = leads_out(content / media.FOLDER, file)
    if real is not None:
        say(
            N_(
                "'%(target)s' leads through a symbolic link to %(real)s, outside content/media/: "
                "copy the file into content/media/ instead"
            ),
            target=target,
            real=real,
        )
        return None
    size = file.stat().st_size
    if size > media.MAX_BYTES:
        say(
            N_("'%(target)s' is %(mb)s MB, over the limit of 5 MB: make it smaller"),
            target=target,
            mb=Amount(size / 1e6),
        )
        return None
    if size > media.WARN_BYTES:
        say(
            N_(
                "'%(target)s' is %(kb)s KB: readers on a phone wait for it; keep files under 500 KB"
            ),
            "warning",
            target=target,
            kb=Amount(size // 1000, digits=0),
        )
    say.used[name] = size
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
    elif _unreadable(site.root / "content" / media.FOLDER / name):
        say(
            N_("image '%(target)s' cannot be read: save it again as PNG, JPEG, GIF, WebP or SVG"),
            target=target,
        )


def _unreadable(file) -> bool:
    """Whether kb cannot read the image's size (media.dimensions remembers each file by its
    version: an image saved again is read again)."""
    try:
        version = file_version(file.stat())
    except OSError:
        return True
    return media.dimensions(file, version) is None


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
    elif not area_id and anchor and anchor not in (phases := site_phases(site)):
        say(
            N_(
                "link to 'catchment:#%(anchor)s': the list of catchment areas has no section for "
                "this phase; use one of %(phases)s"
            ),
            anchor=anchor,
            phases=", ".join(f"'#{phase}'" for phase in phases),
        )


def site_phases(site: Site) -> list[str]:
    """The phases the list of catchment areas has a heading (an anchor) for."""
    return sorted({area.phase for area in site.catchment_areas})


def _anchor(ids: dict[str, None], anchor: str, where: str, say: _Say) -> None:
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
    elif headings := [i for i in ids if ":" not in i]:  # footnotes' ids (fn:1) aside
        shown = ", ".join(f"'#{heading}'" for heading in headings[:MAX_ANCHORS_SHOWN])
        say(
            N_(
                "link to '%(where)s#%(anchor)s': no heading has this anchor; the page's anchors "
                "are %(anchors)s"
            ),
            where=where,
            anchor=anchor,
            anchors=shown + (", …" if len(headings) > MAX_ANCHORS_SHOWN else ""),
        )
    else:
        say(
            N_(
                "link to '%(where)s#%(anchor)s': the page has no heading to link to: remove "
                "'#%(anchor)s'"
            ),
            where=where,
            anchor=anchor,
        )
