"""The preview's reload and the persisted search index give what a full load and a fresh index
give, after adds, edits, renames, deletes and translations."""

from __future__ import annotations

import multiprocessing
import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
import yaml

from kb import memo
from kb.app import create_app
from kb.cache import CACHE_DIR, Store
from kb.content import load_site
from kb.preview import preview_config
from kb.search import engine_for
from kb.search.persist import persisted_engine
from kb.site import SiteHolder

from support import ROOT, state

CASES = yaml.safe_load((ROOT / "tests" / "search_relevance.yml").read_text("utf-8"))
EN = "content/en/phase-2/dispute-resolution.md"
FR_DIR = "content/fr/phase-2"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _add(root: Path) -> None:
    for lang, folder, title in (
        ("en", "content/en/phase-2", "How are quarrels mediated?"),
        ("fr", FR_DIR, "Comment les querelles sont-elles arbitrées ?"),
    ):
        (root / folder / f"quarrels-{lang}.md").write_text(
            f'---\nid: quarrels-mediated\ntitle: "{title}"\nphase: phase-2\n'
            "audiences: [service-providers]\ntopics: [disputes]\nsources: [ets-faq-2023-01]\n"
            "updated: 2024-01-05\nstatus: published\norder: 5\n---\n"
            "Quarrels between a provider and its SSM go to [dispute resolution]"
            "(entry:dispute-resolution) first: mediators answer within ten days.\n",
            encoding="utf-8",
        )


def _rewrite_keeping_size_and_time(path: Path, old: str, new: str) -> None:
    """As a copy that keeps times does: the same inode, size and modification time, other bytes
    (only the change time tells)."""
    assert len(old) == len(new)
    kept = path.stat()
    _edit(path, old, new)
    os.utime(path, ns=(kept.st_atime_ns, kept.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (kept.st_size, kept.st_mtime_ns)


def _french(root: Path) -> Path:
    return next(
        p
        for p in (root / FR_DIR).glob("*.md")
        if "id: dispute-resolution" in p.read_text(encoding="utf-8")
    )


STEPS = {
    "add": _add,
    "edit": lambda root: _edit(root / EN, "quarterly", "every three months, quarterly"),
    "rewrite keeping size and time": lambda root: _rewrite_keeping_size_and_time(
        root / EN, "every three months, quarterly", "every three months, QUARTERLY"
    ),
    "rename": lambda root: (root / EN).rename(root / "content/en/phase-2/resolving-disputes.md"),
    "translate": lambda root: _edit(
        _french(root), "\nstatus: published", "\nstatus: published\n# relu"
    ),
    "delete": lambda root: [
        (root / folder / f"quarrels-{lang}.md").unlink()
        for lang, folder in (("en", "content/en/phase-2"), ("fr", FR_DIR))
    ],
    "broken": lambda root: (root / "content/en/phase-2/half-saved.md").write_text(
        "---\nid: [\n", encoding="utf-8"
    ),
}
PAGES = [
    "/en/",
    "/fr/",
    "/en/questions/resolving-disputes/",
    "/en/questions/dispute-resolution/",
    "/en/search/?q=quarrels+mediated",
    "/en/search/?q=dispute",
    "/fr/recherche/?q=litiges",
]


@pytest.fixture()
def root(tmp_path) -> Path:
    for name in ("content", "templates", "static"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path


def _pages(app) -> dict[str, tuple[int, bytes]]:
    client = app.test_client()
    found = {}
    for url in PAGES:
        response = client.get(url)
        found[url] = (response.status_code, response.data)
    return found


def test_incremental_reload_equals_a_full_load(root):
    preview = create_app({**preview_config(root), "TESTING": True})
    holder = preview.extensions["kb"]
    _pages(preview)  # loaded, searched: the persisted index exists
    for name, step in STEPS.items():
        version = holder.version
        step(root)
        shown = _pages(preview)  # the request sees the change and reloads what changed
        assert holder.version == version + 1, name
        full = load_site(root, cache=Store(root))  # an empty cache: everything read
        assert state(holder.get()) == state(full), name
        shutil.rmtree(root / CACHE_DIR)
        fresh = create_app({**preview_config(root), "TESTING": True})
        assert shown == _pages(fresh), name  # pages and search results alike
    assert holder.get().get("en", "dispute-resolution").slug == "resolving-disputes"


def _answers(engine, lang: str) -> list:
    found = []
    for case in CASES[lang]:
        results = engine.search(lang, case["q"], limit=10)
        found.append(
            (
                case["q"],
                results.total,
                results.suggestion,
                results.relaxed,
                [hit.as_json() for hit in results.hits],
            )
        )
    return found


@pytest.mark.parametrize("segments", [None, 2], ids=["segments kept", "merged every other commit"])
def test_the_persisted_index_answers_as_a_fresh_one_after_edits(root, segments, monkeypatch):
    """Also when commits merge the segments, renumbering the documents: the index read after
    one must not reuse what it knew of the old numbers, nor Whoosh's rounded totals."""
    from kb.search import persist

    if segments:
        monkeypatch.setattr(persist, "MAX_SEGMENTS", segments)
    folder = root / CACHE_DIR / "search"
    persisted_engine(load_site(root), folder)
    for name, step in STEPS.items():
        step(root)
        site = load_site(root)
        kept, fresh = persisted_engine(site, folder), engine_for(site)
        for lang in ("en", "fr"):
            assert _answers(kept, lang) == _answers(fresh, lang), (name, lang)
            assert kept.indexes[lang].table() == fresh.indexes[lang].table(), (name, lang)
            assert kept.indexes[lang].word_frequencies() == fresh.indexes[lang].word_frequencies()
            assert kept.indexes[lang].docs == fresh.indexes[lang].docs, (name, lang)
    if not segments:
        # Updated in place, not rebuilt: the deleted documents are still there, left out.
        assert kept.indexes["en"].ix.reader().has_deletions()


# Whoosh leaves a damaged segment's file open when it fails to read it: closed by the collector.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_damaged_index_is_rebuilt(root):
    folder = root / CACHE_DIR / "search"
    site = load_site(root)
    persisted_engine(site, folder)
    for file in (folder / "published" / "en").glob("*.seg"):
        file.write_bytes(file.read_bytes()[:100])
    (folder / "published" / "fr" / "manifest.json").write_text("{", encoding="utf-8")
    kept, fresh = persisted_engine(site, folder), engine_for(site)
    for lang in ("en", "fr"):
        assert _answers(kept, lang) == _answers(fresh, lang)


def _quarrels(root: Path, anchor: str) -> None:
    """A pair whose English side links to a heading of dispute-resolution."""
    _add(root)
    for lang in ("en", "fr"):
        _edit(
            root / f"content/{lang}/phase-2/quarrels-{lang}.md",
            "\norder: 5",
            '\norder: 5\nperiod: "2024"',
        )
    _edit(
        root / "content/en/phase-2/quarrels-en.md",
        "(entry:dispute-resolution)",
        f"(entry:dispute-resolution#{anchor})",
    )


HEADING = "## Openness and reporting"
RELOADS = {
    "add with an anchor link": lambda root: _quarrels(root, "openness-and-reporting"),
    "heading renamed: the anchor breaks": lambda root: _edit(
        root / EN, HEADING, "## Openness and reports"
    ),
    "heading back: the anchor works": lambda root: _edit(
        root / EN, "## Openness and reports", HEADING
    ),
    "body edit": STEPS["edit"],
    "translation edit": lambda root: _edit(_french(root), "\n---\n", "\n---\nRelu en 2024.\n\n"),
    # The problem is on the key's line: a line added above it moves it, nothing else changing.
    "a translation's phase differs": lambda root: _edit(
        _french(root), "\nphase: phase-2", "\nphase: phase-3"
    ),
    "a line above that phase": lambda root: _edit(
        _french(root), "\nphase: phase-3", "\n# relu\nphase: phase-3"
    ),
    "the phase agrees again": lambda root: _edit(
        _french(root), "\nphase: phase-3", "\nphase: phase-2"
    ),
    # Every English page spells SSM out in its <abbr title>, and a glossary item points away.
    "glossary edit": lambda root: _edit(
        root / "content/glossary.yml",
        'term: "Service System Manager", abbr: SSM,',
        'term: "Service System Managers", abbr: SSM,',
    ),
    "glossary entry gone": lambda root: _edit(
        root / "content/glossary.yml", "entry: prototype-results", "entry: no-such-entry"
    ),
    "catchment area renamed": lambda root: _edit(  # an entry links to its page
        root / "content/catchment-areas.yml",
        '"Kingston–Pembroke", slug: kingston-pembroke,',
        '"Kingston–Pembroke", slug: kingston-and-pembroke,',
    ),
    "rename": STEPS["rename"],
    "delete": STEPS["delete"],
    "broken file": STEPS["broken"],
    "broken file fixed": lambda root: (root / "content/en/phase-2/half-saved.md").unlink(),
    # The message names the registry's first source: its order is part of what a read gives.
    "an entry without its source": lambda root: _edit(
        root / OVERVIEW, "\nsources: [ets-faq-2023-01]", ""
    ),
    "sources reordered": lambda root: _first_source_last(root / "content/sources.yml"),
    # Whether a file is a link is not in its bytes: what a read gives must not depend on it.
    "the entry made a link": lambda root: _linked(root, OVERVIEW),
    # A link's own stat stays the same when the file it leads to changes: read every time.
    "the file it leads to fixed": lambda root: _edit(
        root / "content/shared/phase-1-overview.md",
        "\nupdated:",
        "\nsources: [ets-faq-2023-01]\nupdated:",
    ),
    "the file it leads to edited": lambda root: _edit(
        root / "content/shared/phase-1-overview.md", "\n---\n", "\n---\nShared text.\n\n"
    ),
    "an image that cannot be read": lambda root: _image(root, b"not an image"),
    "the image saved again": lambda root: _image(root, PNG),
    # cp -p of another map: the same size and time, other dimensions on the page.
    "another image copied over it, times kept": lambda root: _image_keeping_size_and_time(
        root, PNG_WIDE
    ),
}
OVERVIEW = "content/en/phase-1/phase-1-overview.md"


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + (640).to_bytes(4) + (480).to_bytes(4)
PNG_WIDE = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + (960).to_bytes(4) + (320).to_bytes(4)


def _image(root: Path, data: bytes) -> None:
    """content/media/map.png written with data, shown by an entry (the first time)."""
    (root / "content/media").mkdir(exist_ok=True)
    (root / "content/media/map.png").write_bytes(data)
    entry = root / "content/en/phase-3/phase-3-overview.md"
    if "map.png" not in entry.read_text(encoding="utf-8"):
        entry.write_text(
            entry.read_text(encoding="utf-8") + "\n![The map](../../media/map.png)\n",
            encoding="utf-8",
        )


def _image_keeping_size_and_time(root: Path, data: bytes) -> None:
    image = root / "content/media/map.png"
    kept = image.stat()
    assert len(data) == kept.st_size
    image.write_bytes(data)
    os.utime(image, ns=(kept.st_atime_ns, kept.st_mtime_ns))


def _first_source_last(file: Path) -> None:
    """The first block of sources.yml moved to its end (the same sources, in another order)."""
    head, _, rest = file.read_text(encoding="utf-8").partition("\n\n")
    first, _, others = rest.partition("\n\n")
    file.write_text(f"{head}\n\n{others.rstrip()}\n\n{first}\n", encoding="utf-8")


def _linked(root: Path, path: str) -> None:
    """The file at path moved to content/shared/, and a link to it left in its place."""
    (root / "content/shared").mkdir()
    shared = root / "content/shared" / Path(path).name
    (root / path).rename(shared)
    (root / path).symlink_to(os.path.relpath(shared, (root / path).parent))


def _from_nothing(root: Path) -> tuple:
    memo.forget()  # in another process: the reloads keep what they remembered
    return state(load_site(root, cache=Store(root)))


def test_each_reload_gives_exactly_what_a_load_from_nothing_gives(root):
    holder = SiteHolder(root)
    holder.get()
    broken = []
    # Each load from nothing in a process of its own, forked from one that has loaded nothing:
    # a fork of this one would inherit what its caches hold (not all of them are kb.memo's).
    started = multiprocessing.get_context("forkserver")
    started.set_forkserver_preload(["kb.content", "kb.cache", "kb.memo"])
    other = ProcessPoolExecutor(1, mp_context=started, max_tasks_per_child=1)
    for name, step in RELOADS.items():
        step(root)
        assert holder.reload(), name
        assert state(holder.get()) == other.submit(_from_nothing, root).result(), name
        broken.append(
            any(
                p.path.endswith("quarrels-en.md") and "no heading has" in p.message
                for p in holder.get().problems
            )
        )
    assert broken[:3] == [False, True, False]  # the anchor reported broken, then no longer
    assert holder.get().get("en", "quarrels-mediated") is None  # deleted
    other.shutdown()


def test_the_files_listed_are_those_rglob_finds_in_its_order(tmp_path):
    folder = tmp_path / "content" / "en"
    for name in (
        "b/z.md",
        "a.md",
        "B.md",
        ".hidden.md",
        "a/b/c.md",
        "x.md/inner.md",
        "n.txt",
        "a-b/d.md",
        "a_b.md",
    ):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        if not name.startswith("x.md/"):
            (folder / name).write_text("x", encoding="utf-8")
    (folder / "x.md" / "inner.md").write_text("x", encoding="utf-8")
    (folder / "linked").symlink_to(folder / "b", target_is_directory=True)
    (folder / "link.md").symlink_to(folder / "a.md")
    assert memo.markdown_files(folder) == sorted(folder.rglob("*.md"))
    assert memo.markdown_files(tmp_path / "missing") == []
    # Told what changed, the last listing is brought up to date without walking the folder.
    (folder / "a" / "b" / "new.md").write_text("x", encoding="utf-8")
    (folder / "a.md").unlink()
    (folder / "b" / "z.md").rename(folder / "b" / "y.md")
    (folder / "c.md").write_text("x", encoding="utf-8")  # not told: not listed yet
    told = {str(folder / name) for name in ("a/b/new.md", "a.md", "b/z.md", "b/y.md", "n.txt")}
    listed = memo.markdown_files(folder, told)
    assert listed == [p for p in sorted(folder.rglob("*.md")) if p != folder / "c.md"]
    assert memo.markdown_files(folder) == sorted(folder.rglob("*.md"))  # walked again
    # A folder replaced by a link to one with the same files: a walk does not follow it.
    (folder / "a" / "b").rename(tmp_path / "b")
    (folder / "a" / "b").symlink_to(tmp_path / "b", target_is_directory=True)
    told = {str(folder / "a/b"), str(folder / "a/b/c.md"), str(folder / "a/b/new.md")}
    assert memo.markdown_files(folder, told) == sorted(folder.rglob("*.md"))


def test_the_watcher_hands_over_what_changed_even_when_a_file_changes_between_the_looks(root):
    """The loader skips what the watcher saw unchanged; a file saved after the watcher looked
    (changed or not at that moment) is read at the next request, never lost."""
    preview = create_app({**preview_config(root), "TESTING": True})
    holder, watcher = preview.extensions["kb"], preview.extensions["kb_watcher"]
    preview.test_client().get("/en/")
    reload, handed = holder.reload, []
    other = root / "content/en/phase-2/dispute-resolution.md"
    changed_later = next(p for p in sorted((root / "content/en").rglob("*.md")) if p != other)

    def saved_meanwhile(changed=None):
        handed.append(changed)
        if len(handed) == 1:  # after the watcher's look, before the loader's
            _edit(other, "quarterly", "every quarter, quarterly")  # seen changed: read again
            _edit(changed_later, "\n---\n", "\n---\nSaved meanwhile.\n\n")  # seen unchanged
        return reload(changed)

    holder.reload = saved_meanwhile
    STEPS["edit"](root)
    watcher.check()
    assert handed[0] == {EN}  # only the edited file, relative to the root
    assert "every quarter" in holder.get().get("en", "dispute-resolution").summary
    later = str(changed_later.relative_to(root))
    body = next(e.body for e in holder.get().entries.values() if e.path == later)
    assert "Saved meanwhile" not in body  # not looked at again: the watcher saw it unchanged
    watcher.check()  # the next request: the file saved meanwhile differs from the stamp kept
    assert len(handed) == 2 and handed[1] == {EN, later}  # both were saved after the look
    assert state(holder.get()) == state(load_site(root, cache=Store(root)))
    watcher.check()
    assert len(handed) == 2  # nothing changed since: no reload


def test_after_an_edit_only_the_new_document_is_read(root, monkeypatch):
    from kb.search import index

    folder = root / CACHE_DIR / "search"
    before = persisted_engine(load_site(root), folder)
    read = []
    original = index.Doc.from_stored.__func__
    monkeypatch.setattr(
        index.Doc,
        "from_stored",
        classmethod(lambda cls, f: read.append(f["id"]) or original(cls, f)),
    )
    STEPS["edit"](root)  # one English entry
    site = load_site(root)
    after = persisted_engine(site, folder)
    assert read == ["dispute-resolution"]  # the others are known by their numbers
    assert after.indexes["fr"] is before.indexes["fr"]  # French unchanged: the same index
    assert _answers(after, "en") == _answers(engine_for(site), "en")


def test_a_file_with_two_names_is_read_again_under_both(root):
    """The watch names the name written through; the other name, a hard link to the same file,
    changed too (the French entry here is the English file under a second name)."""
    holder = SiteHolder(root)
    holder.get()
    french = _french(root)
    french.unlink()
    os.link(root / EN, french)
    assert holder.reload({str(french.relative_to(root))})
    _edit(root / EN, "quarterly", "every three months, quarterly")  # in place: the same inode
    assert holder.reload({EN})
    assert "every three months" in holder.get().get("fr", "dispute-resolution").summary
    assert state(holder.get()) == _from_nothing(root)
