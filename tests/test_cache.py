"""The reading cache (.kb-cache/): used when it matches, ignored when it does not, invisible
in the output."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import kb.bodies
import kb.loader
from kb.cache import CACHE_DIR, Store
from kb.content import load_site
from kb.freeze import build
from kb.markdown import Renderer
from kb.parallel import can_fork

from support import ROOT, png, state

ENTRY = "content/en/phase-2/dispute-resolution.md"


@pytest.fixture()
def root(tmp_path) -> Path:
    """A copy of the real site, with no cache yet."""
    for name in ("content", "templates", "static"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path


@pytest.fixture()
def counts(monkeypatch) -> dict[str, int]:
    """How many files are parsed and bodies rendered (one process: jobs=1)."""
    found = {"parsed": 0, "rendered": 0}
    parse, render = kb.loader.parse_entry, Renderer.render

    def counted_parse(*args, **kwargs):
        found["parsed"] += 1
        return parse(*args, **kwargs)

    def counted_render(self, *args, **kwargs):
        found["rendered"] += 1
        return render(self, *args, **kwargs)

    monkeypatch.setattr(kb.loader, "parse_entry", counted_parse)
    monkeypatch.setattr(Renderer, "render", counted_render)
    return found


def files(root: Path) -> int:
    return len(list((root / "content").rglob("*.md")))


def test_a_second_load_reads_nothing_again_and_gives_the_same_site(root, counts):
    cold = load_site(root, jobs=1)
    assert counts == {"parsed": files(root), "rendered": len(cold.entries)}
    assert (root / CACHE_DIR / "entries.pickle").stat().st_size > 10_000
    counts.update(parsed=0, rendered=0)
    warm = load_site(root, jobs=1)
    assert counts == {"parsed": 0, "rendered": 0}
    assert state(warm) == state(cold)


def test_any_byte_changed_reads_that_file_again(root, counts):
    load_site(root, jobs=1)
    path = root / ENTRY
    data = bytearray(path.read_bytes())
    data[-2] = ord("!") if data[-2] != ord("!") else ord("?")  # one byte of the answer
    path.write_bytes(bytes(data))
    counts.update(parsed=0, rendered=0)
    site = load_site(root, jobs=1)
    assert counts == {"parsed": 1, "rendered": 1}
    assert state(site) == state(load_site(root, jobs=1, cache=Store(root)))


def test_renaming_an_entry_renders_again_only_what_links_to_it(root, counts):
    site = load_site(root, jobs=1)
    target = site.get("en", "dispute-resolution")
    linking = [
        e for e in site.entries.values() if e.lang == "en" and "entry:dispute-resolution" in e.body
    ]
    (root / target.path).rename(root / "content/en/phase-2/resolving-disputes.md")
    counts.update(parsed=0, rendered=0)
    renamed = load_site(root, jobs=1)
    # Its own HTML does not depend on its slug: only the linking entries are rendered again.
    assert linking and counts == {"parsed": 1, "rendered": len(linking)}
    assert state(renamed) == state(load_site(root, jobs=1, cache=Store(root)))
    for entry in linking:
        assert "../resolving-disputes/" in renamed.get("en", entry.id).html


def test_a_new_kb_reads_everything_again(root, counts, monkeypatch):
    load_site(root, jobs=1)
    monkeypatch.setattr(kb.loader, "code_digest", lambda: "another kb")
    monkeypatch.setattr(kb.bodies, "code_digest", lambda: "another kb")  # the render keys
    counts.update(parsed=0, rendered=0)
    load_site(root, jobs=1)
    assert counts["parsed"] == files(root) and counts["rendered"] > 0


def test_a_data_file_change_reads_what_depends_on_it_again(root, counts):
    cold = load_site(root, jobs=1)
    topics = root / "content" / "topics.yml"
    topics.write_text(
        topics.read_text(encoding="utf-8").replace("disputes", "quarrels", 1), encoding="utf-8"
    )  # a topic id changes: every entry is checked again
    counts.update(parsed=0, rendered=0)
    site = load_site(root, jobs=1)
    assert counts["parsed"] == files(root)
    assert site.problems != cold.problems  # the entries tagged 'disputes' are now wrong
    assert state(site) == state(load_site(root, jobs=1, cache=Store(root)))
    glossary = root / "content" / "glossary.yml"  # abbreviations: rendered again
    glossary.write_text(
        glossary.read_text(encoding="utf-8").replace(
            "Service System Manager", "Service Systems Manager", 1
        ),
        encoding="utf-8",
    )
    counts.update(parsed=0, rendered=0)
    load_site(root, jobs=1)
    english = [key for key in site.entries if key[0] == "en"]  # only English abbreviations changed
    assert counts["parsed"] == 0 and counts["rendered"] == len(english)


@pytest.mark.parametrize("damage", ["truncated", "corrupt", "garbage", "empty"])
def test_a_damaged_cache_is_ignored(root, counts, damage):
    cold = load_site(root, jobs=1)
    pack = root / CACHE_DIR / "entries.pickle"
    data = bytearray(pack.read_bytes())
    if damage == "truncated":
        data = data[: len(data) // 2]
    elif damage == "corrupt":
        data[len(data) // 2] ^= 0xFF
    elif damage == "garbage":
        data = bytearray(b"\x80\x05not a pickle at all" * 100)
    else:
        data = bytearray()
    pack.write_bytes(bytes(data))
    counts.update(parsed=0, rendered=0)
    site = load_site(root, jobs=1)
    assert counts == {"parsed": files(root), "rendered": len(cold.entries)}  # nothing trusted
    assert state(site) == state(cold)
    counts.update(parsed=0, rendered=0)
    load_site(root, jobs=1)  # and written afresh
    assert counts == {"parsed": 0, "rendered": 0}


def test_cold_and_warm_builds_are_byte_identical(root, counts):
    build(root, root / "cold", jobs=1)
    assert (root / CACHE_DIR / "entries.pickle").exists()
    counts.update(parsed=0, rendered=0)
    build(root, root / "warm", jobs=1)
    assert counts == {"parsed": 0, "rendered": 0}
    cold = {
        p.relative_to(root / "cold"): p.read_bytes()
        for p in sorted((root / "cold").rglob("*"))
        if p.is_file()
    }
    warm = {
        p.relative_to(root / "warm"): p.read_bytes()
        for p in sorted((root / "warm").rglob("*"))
        if p.is_file()
    }
    assert len(cold) > 100 and cold == warm
    assert not any(CACHE_DIR in str(path) for path in cold)


def test_the_cache_folder_is_ignored_by_git():
    assert ".kb-cache/" in (ROOT / ".gitignore").read_text(encoding="utf-8").split("\n")


@pytest.mark.skipif(not can_fork(), reason="no fork on this system")
def test_what_workers_read_and_render_is_kept_as_the_pickles_they_sent(root, monkeypatch):
    monkeypatch.setattr(kb.loader, "READ_CHUNK", 10)  # several chunks: read in the workers too
    store = Store(root)
    site = load_site(root, jobs=2, cache=store)
    assert len(store.records) == files(root) + len(site.entries)  # each file read, each body
    assert store.pickled.keys() == store.records.keys()  # none to pickle again at save
    assert Store.open(root).records == store.records


def test_a_media_file_renders_the_answers_again_only_when_what_they_show_of_it_changes(
    root, counts
):
    """An answer shows a media file's name and an image's size: a chmod, or a sync client
    touching the file, changes neither; an image of another size does."""
    media = root / "content/media"
    media.mkdir(exist_ok=True)
    (media / "chart.png").write_bytes(png(30, 20))
    load_site(root, jobs=1)
    (media / "chart.png").chmod(0o600)
    os.utime(media / "chart.png")
    counts.update(parsed=0, rendered=0)
    load_site(root, jobs=1)
    assert counts == {"parsed": 0, "rendered": 0}
    (media / "chart.png").write_bytes(png(60, 40))
    load_site(root, jobs=1)
    assert counts["rendered"] > 0
